// The simulated card's face to the host: files that behave like the XDMA driver's character
// devices, so host/transport/pcie.ts drives the simulation exactly as it drives a real card.
//
//   DIR/xdma0_h2c_0  a FIFO the host writes request bytes to (real card: write(2) = one H2C DMA)
//   DIR/xdma0_c2h_0  a FIFO the host reads answers from      (real card: read(2) = one C2H DMA)
//   DIR/xdma0_user   a 4 KiB regular file, mapped shared by the harness: pread/pwrite at an offset
//                    reach the register file (real card: the AXI4-Lite user BAR)
//
// What a FIFO cannot express, the harness arranges: it keeps a writer open on the H2C FIFO (so a
// host closing it is not end-of-input, and the next host can open it), and opens the C2H FIFO
// read-write (so the host's open never blocks while the simulation runs, and answers wait in the
// pipe like data waiting in the card for the next read). The register window is kept current by
// the harness (RegisterWindow); see docs/pcie.md "Simulation" for the timing.
#pragma once

#include <poll.h>

#include <cstdint>
#include <string>
#include <vector>

#include "byte_buffer.h"

namespace sim {

class XdmaFiles {
 public:
  /** Size of DIR/NAME_user in bytes (the register map needs 0x50). */
  static constexpr size_t kUserBytes = 4096;

  ~XdmaFiles();

  /**
   * Creates DIR (if missing) and the three files under `prefix` = DIR/NAME. Refuses when another
   * simulation is serving them, or when a path exists and is not what it should be. Returns false
   * with a one-line reason.
   */
  bool open(const std::string& prefix, std::string& err);

  /** Appends the FIFO descriptors to poll (see HostLink::prepare). */
  size_t prepare(std::vector<pollfd>& fds, bool want_read, bool want_write);
  /** Moves bytes between the FIFOs and the buffers after ppoll(). Returns false on a fatal error. */
  bool service(const pollfd* fds, size_t count, ByteBuffer& in, ByteBuffer& out);
  /** Discards whatever waits in both FIFOs (a soft reset: stale requests and answers go). */
  void discard_pending();

  /** The shared register window, 32-bit words at byte offset 4 × index. */
  volatile uint32_t* words() const { return words_; }

  /** Removes the files (only the ones this process created). */
  void close();

 private:
  std::string h2c_path_, c2h_path_, user_path_;
  int h2c_read_ = -1;   // our read end of the H2C FIFO
  int h2c_keep_ = -1;   // a write end we hold so the FIFO never reports EOF between hosts
  int c2h_fd_ = -1;     // read-write: a writer that never blocks at open, and a reader to discard with
  int user_fd_ = -1;
  volatile uint32_t* words_ = nullptr;
  bool created_ = false;
  size_t read_slot_ = ~size_t{0};
  size_t write_slot_ = ~size_t{0};
};

}  // namespace sim
