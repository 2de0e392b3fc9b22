// The evm-fpga simulation: the real RTL (evm_fpga_top, verilated) behind a host link.
//
//   evm_fpga_sim --stdio|--pty|--tcp PORT [--uart bit|fast] [--trace FILE.fst] [--max-cycles N] [--quiet]
//
// Speed is the point of this file's shape. A system call costs about as much as a clock cycle of
// the design, so the loop runs the clock in batches (kBatchCycles) and touches the host link only
// between batches, with one ppoll() that both checks the descriptors and delivers SIGINT/SIGTERM
// (blocked everywhere else, so a signal can never be lost between a check and a sleep). Bytes move
// between the link and the design through in-memory buffers, one byte per cycle at most, without
// system calls. When the design reports `idle` and nothing is queued, ppoll() blocks with no
// timeout: an idle simulation uses no CPU and its cycle counter stands still.
//
// Exit status: 0 after a clean stop (stdin EOF with all answers written, --max-cycles, SIGINT,
// SIGTERM, stdout closed by the reader); 1 when the link cannot be opened; 2 for bad arguments.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "Vevm_fpga_top.h"
#include "byte_buffer.h"
#include "host_link.h"
#include "sim_config.h"
#include "stop_signals.h"
#include "uart_model.h"
#include "verilated.h"
#if SIM_TRACE
#include "verilated_fst_c.h"
#endif

namespace {

using sim::ByteBuffer;

/** Clock cycles between two visits to the host link: ~1 % overhead at 10 M cycles/s (HDL-NOTES). */
constexpr uint64_t kBatchCycles = 4096;
/** Input buffer: a whole 64 KiB pipe's worth per read(2). */
constexpr size_t kInCapacity = 64 * 1024;
/** Output buffer; the clock stops while less than kOutReserve is free (a slow or absent reader). */
constexpr size_t kOutCapacity = 1024 * 1024;
/** More than one batch can produce, so the design never finds the buffer full mid-batch. */
constexpr size_t kOutReserve = kBatchCycles + 1;
/**
 * Cycles without any byte moving before `idle` is trusted. `idle` is the design's own promise;
 * the margin only guards against a registered idle that lags the byte it just accepted by a cycle
 * or two, which would otherwise let the loop go to sleep on a request.
 */
constexpr uint32_t kQuietCycles = 16;
/** Reset is held this many cycles at start (synchronous reset, as a board's power-on reset). */
constexpr int kResetCycles = 8;


double now_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Options {
  enum class Mode { kNone, kStdio, kPty, kTcp } mode = Mode::kNone;
  uint16_t tcp_port = 0;
  bool uart_bit = false;
  std::string trace_file;
  uint64_t max_cycles = 0;  // 0: unlimited
  bool quiet = false;
};

const char kUsage[] =
    "usage: evm_fpga_sim --stdio|--pty|--tcp PORT [--uart bit|fast] [--trace FILE.fst] "
    "[--max-cycles N] [--quiet]";

[[noreturn]] void usage_error(const std::string& msg) {
  fprintf(stderr, "sim: %s\n", msg.c_str());
  exit(2);
}

bool parse_u64(const char* s, uint64_t& out) {
  if (s == nullptr || *s == '\0' || *s == '-') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  out = v;
  return true;
}

Options parse_args(int argc, char** argv) {
  Options o;
  auto set_mode = [&](Options::Mode m) {
    if (o.mode != Options::Mode::kNone) usage_error("choose exactly one of --stdio, --pty, --tcp PORT");
    o.mode = m;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) usage_error(a + " needs " + what);
      return argv[++i];
    };
    if (a == "--stdio") {
      set_mode(Options::Mode::kStdio);
    } else if (a == "--pty") {
      set_mode(Options::Mode::kPty);
    } else if (a == "--tcp") {
      set_mode(Options::Mode::kTcp);
      uint64_t port;
      if (!parse_u64(value("a port number"), port) || port > 65535) usage_error("--tcp takes a port number 0-65535");
      o.tcp_port = static_cast<uint16_t>(port);
    } else if (a == "--uart") {
      std::string v = value("bit or fast");
      if (v == "bit") {
        o.uart_bit = true;
      } else if (v == "fast") {
        o.uart_bit = false;
      } else {
        usage_error("--uart takes bit or fast, not '" + v + "'");
      }
    } else if (a == "--trace") {
      o.trace_file = value("a file name");
      if (!sim::kTraceBuilt) usage_error("--trace needs a simulation built with tracing (evm-fpga sim build --trace)");
    } else if (a == "--max-cycles") {
      if (!parse_u64(value("a cycle count"), o.max_cycles) || o.max_cycles == 0)
        usage_error("--max-cycles takes a positive cycle count");
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a == "--help" || a == "-h") {
      printf("%s\n", kUsage);
      exit(0);
    } else {
      usage_error("unknown argument '" + a + "' (" + kUsage + ")");
    }
  }
  if (o.mode == Options::Mode::kNone) usage_error("choose exactly one of --stdio, --pty, --tcp PORT");
  return o;
}

/**
 * The clocked design plus the device side of the wire: either the byte-stream port (fast) or the
 * pin-level UART models (bit). run() is instantiated per wire and per tracing so the per-cycle
 * loop carries no mode branches.
 */
class Simulation {
 public:
  Simulation(const Options& opt, ByteBuffer& in, ByteBuffer& out)
      : ctx_(new VerilatedContext), in_(in), out_(out), uart_tx_(sim::kUartDiv), uart_rx_(sim::kUartDiv),
        uart_bit_(opt.uart_bit) {
#if SIM_TRACE
    // Tracing must be switched on before the model is constructed, or its signals are not hooked.
    if (!opt.trace_file.empty()) ctx_->traceEverOn(true);
#endif
    top_.reset(new Vevm_fpga_top{ctx_.get(), "evm_fpga_top"});
#if SIM_TRACE
    if (!opt.trace_file.empty()) {
      trace_.reset(new VerilatedFstC);
      top_->trace(trace_.get(), 99);
      trace_->open(opt.trace_file.c_str());
      // Waveform time in picoseconds of the design clock, so viewers show real durations.
      half_period_ps_ = 500000000000ull / sim::kClockHz;
      if (half_period_ps_ == 0) half_period_ps_ = 1;
    }
#endif
    top_->link_sel = uart_bit_ ? 0 : 1;
    top_->uart_rxd = 1;
    top_->s_axis_tvalid = 0;
    top_->s_axis_tdata = 0;
    top_->m_axis_tready = 1;
    top_->rst = 1;
    for (int i = 0; i < kResetCycles; ++i) step_reset();
    top_->rst = 0;
  }

  ~Simulation() {
    top_->final();
#if SIM_TRACE
    if (trace_) trace_->close();
#endif
  }

  /** Runs up to `budget` cycles; returns early once the design is idle and no input is queued. */
  uint64_t run(uint64_t budget) {
#if SIM_TRACE
    if (trace_) return uart_bit_ ? run_cycles<true, true>(budget) : run_cycles<false, true>(budget);
#endif
    return uart_bit_ ? run_cycles<true, false>(budget) : run_cycles<false, false>(budget);
  }

  /** Nothing in flight anywhere: design idle, wire idle, no queued input. Output may be pending. */
  bool quiescent() const {
    if (!in_.empty() || quiet_ < kQuietCycles || !top_->idle) return false;
    return !uart_bit_ || (uart_tx_.idle() && uart_rx_.idle() && top_->uart_txd);
  }

  uint64_t cycles() const { return cycles_; }
  bool finished() const { return ctx_->gotFinish(); }
  uint64_t framing_errors() const { return uart_rx_.framing_errors(); }

 private:
  void step_reset() {
    top_->clk = 0;
    top_->eval();
    dump<true>(0);
    top_->clk = 1;
    top_->eval();
    dump<true>(1);
    ++cycles_;
  }

  template <bool kTrace>
  void dump(int edge) {
#if SIM_TRACE
    if (kTrace && trace_) trace_->dump((2 * cycles_ + static_cast<uint64_t>(edge)) * half_period_ps_);
#else
    (void)edge;
#endif
  }

  // One cycle = inputs set with clk low, eval (the design now shows what the rising edge will
  // sample, including ready/valid), record the handshakes, clk high, eval. Two evals per cycle is
  // the minimum for a single-clock design.
  template <bool kBit, bool kTrace>
  uint64_t run_cycles(uint64_t budget) {
    Vevm_fpga_top& t = *top_;
    uint64_t n = 0;
    while (n < budget) {
      bool moved = false;
      bool have_in = false;
      if (kBit) {
        t.uart_rxd = uart_tx_.line();
      } else {
        have_in = !in_.empty();
        t.s_axis_tvalid = have_in;
        if (have_in) t.s_axis_tdata = in_.front();
        // Back-pressure only if the host stopped reading and a whole megabyte is waiting.
        t.m_axis_tready = out_.free() > 0;
      }
      t.clk = 0;
      t.eval();
      dump<kTrace>(0);
      if (kBit) {
        moved = uart_rx_.tick(t.uart_txd, out_);
      } else {
        if (have_in && t.s_axis_tready) {
          in_.pop();
          moved = true;
        }
        if (t.m_axis_tvalid && t.m_axis_tready) {
          out_.push(t.m_axis_tdata);
          moved = true;
        }
      }
      t.clk = 1;
      t.eval();
      dump<kTrace>(1);
      ++cycles_;
      ++n;
      if (kBit) {
        moved |= uart_tx_.tick(in_);
        moved |= !uart_tx_.idle() || !uart_rx_.idle();
      }
      if (moved) {
        quiet_ = 0;
      } else if (++quiet_ >= kQuietCycles && t.idle && in_.empty()) {
        break;  // answer written, nothing queued: hand the output to the host now
      }
    }
    return n;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vevm_fpga_top> top_;
#if SIM_TRACE
  std::unique_ptr<VerilatedFstC> trace_;
  uint64_t half_period_ps_ = 1;
#endif
  ByteBuffer& in_;
  ByteBuffer& out_;
  sim::UartTransmitter uart_tx_;
  sim::UartReceiver uart_rx_;
  bool uart_bit_;
  uint64_t cycles_ = 0;
  uint32_t quiet_ = 0;
};

std::unique_ptr<sim::HostLink> make_link(const Options& o) {
  switch (o.mode) {
    case Options::Mode::kStdio:
      return sim::make_stdio_link();
    case Options::Mode::kPty:
      return sim::make_pty_link();
    default:
      return sim::make_tcp_link(o.tcp_port);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse_args(argc, argv);
  sim::g_quiet = opt.quiet;

  sigset_t wait_mask;
  if (!sim::install_stop_signals(&wait_mask)) return 0;

  ByteBuffer in(kInCapacity), out(kOutCapacity);
  std::unique_ptr<sim::HostLink> link = make_link(opt);
  std::string err;
  if (!link->open(err)) {
    sim::log_error("%s", err.c_str());
    return 1;
  }
  Simulation simulation(opt, in, out);
  const uint64_t start_cycles = simulation.cycles();

  const double t0 = now_seconds();
  double waited = 0;  // seconds blocked in ppoll (idle, or waiting on a slow reader)
  const char* stop_reason = nullptr;
  std::vector<pollfd> fds;
  fds.reserve(4);

  for (;;) {
    const bool quiescent = simulation.quiescent();
    if (quiescent && out.empty() && link->input_closed()) {
      stop_reason = "input closed, all answers written";
      break;
    }
    if (link->broken()) {
      stop_reason = "output closed";
      break;
    }
    // Sleep when there is nothing to simulate, or when the reader is too slow for the output.
    const bool out_full = out.free() < kOutReserve;
    const bool block = quiescent || out_full;

    fds.clear();
    size_t n = link->prepare(fds, in.free() > 0, !out.empty());
    timespec zero{0, 0};
    const double w0 = block ? now_seconds() : 0;
    int r = ppoll(fds.data(), fds.size(), block ? nullptr : &zero, &wait_mask);
    if (block) waited += now_seconds() - w0;
    if (sim::stop_signal() != 0) {
      stop_reason = sim::stop_signal() == SIGINT ? "SIGINT" : "SIGTERM";
      break;
    }
    if (r < 0 && errno != EINTR) {
      sim::log_error("poll failed: %s", strerror(errno));
      break;
    }
    if (r > 0) link->service(fds.data(), n, in, out);
    if (link->discarding_output()) out.clear();

    if (out.free() < kOutReserve) continue;
    if (simulation.quiescent() && in.empty()) continue;
    const uint64_t budget = sim::batch_budget(kBatchCycles, opt.max_cycles, simulation.cycles() - start_cycles);
    if (budget == 0) {
      stop_reason = "--max-cycles reached";
      break;
    }
    simulation.run(budget);
    if (simulation.finished()) {
      stop_reason = "$finish";
      break;
    }
  }
  // One last chance for answers already produced to leave (non-blocking: never hang at exit).
  if (!out.empty() && !link->broken() && !link->discarding_output()) {
    fds.clear();
    size_t n = link->prepare(fds, false, true);
    if (n > 0) {
      for (pollfd& p : fds) p.revents = p.events;  // let service() attempt the write now
      link->service(fds.data(), n, in, out);
    }
  }
  link->close();

  const double elapsed = now_seconds() - t0 - waited;
  const uint64_t cycles = simulation.cycles() - start_cycles;
  if (simulation.framing_errors() != 0)
    sim::log_error("%llu UART framing errors on the device's TX line",
                   static_cast<unsigned long long>(simulation.framing_errors()));
  if (!opt.quiet) {
    sim::log_info("stopped: %s", stop_reason ? stop_reason : "error");
    // Speed over the time the clock was actually running (waits for input excluded).
    const double rate = elapsed > 0 ? static_cast<double>(cycles) / elapsed / 1e6 : 0.0;
    fprintf(stderr, "sim: %llu cycles in %.3f s = %.2f M cycles/s\n", static_cast<unsigned long long>(cycles),
            elapsed, rate);
  }
  return stop_reason ? 0 : 1;
}
