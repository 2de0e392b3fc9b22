// How a simulation process stops: with its parent, on SIGINT/SIGTERM (only ever inside ppoll()), or
// after --max-cycles.
// Shared by the byte-stream harness (sim_main.cpp) and the PCIe harness (pcie/pcie_main.cpp).
#pragma once

#include <stdint.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace sim {

/** The stop signal received (SIGINT or SIGTERM), 0 while none came. */
inline volatile sig_atomic_t& stop_signal() {
  static volatile sig_atomic_t received = 0;
  return received;
}

inline void on_stop_signal(int sig) { stop_signal() = sig; }

/**
 * A simulation left behind by a crashed test runner would hold its pty, port or files forever: it
 * dies with its parent (false when the parent is already gone: getppid() is no longer the one we
 * started with). SIGINT/SIGTERM are blocked except inside ppoll() with `*wait_mask`, which
 * atomically unblocks them while it waits: a signal can only arrive there, and it always wakes the
 * wait. SIGPIPE is ignored: a closed reader shows up as EPIPE from write(), handled there.
 */
inline bool install_stop_signals(sigset_t* wait_mask) {
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) return false;
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGINT);
  sigaddset(&blocked, SIGTERM);
  sigprocmask(SIG_BLOCK, &blocked, wait_mask);
  sigdelset(wait_mask, SIGINT);
  sigdelset(wait_mask, SIGTERM);
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return true;
}

/**
 * Cycles the next batch may run: `batch`, cut to what is left of `max_cycles` (0: no limit) after
 * `done` cycles; 0 once the limit is reached (the caller stops with "--max-cycles reached").
 */
inline uint64_t batch_budget(uint64_t batch, uint64_t max_cycles, uint64_t done) {
  if (max_cycles == 0) return batch;
  if (done >= max_cycles) return 0;
  return max_cycles - done < batch ? max_cycles - done : batch;
}

}  // namespace sim
