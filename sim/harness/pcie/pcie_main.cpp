// The simulated PCIe card: the real RTL of the PCIe top (evm_fpga_pcie_top, verilated) behind
// files that behave like the XDMA driver's character devices (xdma_files.h).
//
//   evm_fpga_sim --xdma PREFIX [--max-cycles N] [--quiet]
//
// creates PREFIX_h2c_0, PREFIX_c2h_0 and PREFIX_user (PREFIX = DIR/xdma0, say), prints
// `xdma: PREFIX` on stdout when they are ready, and serves them until SIGINT/SIGTERM, removing
// them on the way out. host/transport/pcie.ts (`--device pcie:PREFIX`) is the client.
//
// The loop has the shape of sim_main.cpp (clock in batches, one ppoll() per batch, sleep while the
// design is idle) with two additions:
//  - the streams are the XDMA AXI4-Stream ports, 64 bits a beat: host bytes are packed into beats
//    (tlast on the beat that empties the input, as at the end of a host write), and the card's
//    beats are unpacked by tkeep;
//  - the register window: a shared mapping of PREFIX_user. After a batch (at most once every
//    10 ms) and before sleeping, the harness reads every register over the real AXI4-Lite
//    port and stores it into the window; a word the host changed since is forwarded as an
//    AXI4-Lite write. While idle, the window is checked every kIdleCheckMs.
//
// Exit status: 0 after SIGINT/SIGTERM or --max-cycles; 1 when the files cannot be created or a
// FIFO fails; 2 for bad arguments.
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

#include "Vevm_fpga_pcie_top.h"
#include "byte_buffer.h"
#include "host_link.h"
#include "sim_config.h"
#include "stop_signals.h"
#include "verilated.h"
#include "xdma_files.h"

namespace {

using sim::ByteBuffer;

/** Clock cycles between two visits to the FIFOs (as sim_main.cpp). */
constexpr uint64_t kBatchCycles = 4096;
constexpr size_t kInCapacity = 64 * 1024;
constexpr size_t kOutCapacity = 1024 * 1024;
constexpr size_t kOutReserve = 8 * kBatchCycles + 8;  // a batch can produce at most a beat a clock
constexpr uint32_t kQuietCycles = 16;
constexpr int kResetCycles = 8;
/** Bytes per AXI4-Stream beat: the build passes -GDATA_WIDTH=64. */
constexpr unsigned kBeatBytes = 8;
/** Window words mirrored: the decoded map (0x50 bytes) rounded up; reads above it return 0. */
constexpr unsigned kWindowWords = 32;
/** CONTROL register and its soft-reset bit (hdl/pcie/pcie_regs_pkg.sv; test/pcie-regs.test.ts checks). */
constexpr uint32_t kRegControl = 0x18;
constexpr uint32_t kControlSoftReset = 1u << 0;
/** Register window refresh while running, and its check interval while idle. */
constexpr double kMirrorSeconds = 0.01;
constexpr int kIdleCheckMs = 5;
/** Clock cycles an AXI4-Lite access may take before the harness declares the bus hung. */
constexpr int kBusTimeoutCycles = 64;

static_assert(kWindowWords * 4 <= sim::XdmaFiles::kUserBytes, "the window must fit the user file");


double now_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Options {
  std::string prefix;
  uint64_t max_cycles = 0;
  bool quiet = false;
};

const char kUsage[] = "usage: evm_fpga_sim --xdma PREFIX [--max-cycles N] [--quiet]   (PREFIX: DIR/xdma0)";

[[noreturn]] void usage_error(const std::string& msg) {
  fprintf(stderr, "evm_fpga_sim: %s\n%s\n", msg.c_str(), kUsage);
  exit(2);
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) usage_error(a + " needs " + what);
      return argv[++i];
    };
    if (a == "--xdma") {
      o.prefix = value("a device prefix such as /tmp/card/xdma0");
      if (o.prefix.empty()) usage_error("--xdma needs a device prefix such as /tmp/card/xdma0");
    } else if (a == "--max-cycles") {
      const char* v = value("a cycle count");
      char* end = nullptr;
      errno = 0;
      unsigned long long n = strtoull(v, &end, 10);
      if (*v == '\0' || *v == '-' || errno != 0 || *end != '\0' || n == 0) usage_error("--max-cycles takes a positive cycle count");
      o.max_cycles = n;
    } else if (a == "--quiet") {
      o.quiet = true;
    } else if (a == "--help" || a == "-h") {
      printf("%s\n", kUsage);
      exit(0);
    } else if (a == "--stdio" || a == "--pty" || a == "--tcp" || a == "--uart" || a == "--trace") {
      usage_error("this is the PCIe build of the simulation: it serves XDMA files only (--xdma PREFIX)");
    } else {
      usage_error("unknown argument '" + a + "'");
    }
  }
  if (o.prefix.empty()) usage_error("--xdma PREFIX is required");
  return o;
}

/** The PCIe top with the XDMA IP's side of its three interfaces. */
class Simulation {
 public:
  Simulation(ByteBuffer& in, ByteBuffer& out) : ctx_(new VerilatedContext), in_(in), out_(out) {
    top_.reset(new Vevm_fpga_pcie_top{ctx_.get(), "evm_fpga_pcie_top"});
    Vevm_fpga_pcie_top& t = *top_;
    t.s_axis_h2c_tvalid = 0;
    t.m_axis_c2h_tready = 0;
    t.s_axil_awvalid = 0;
    t.s_axil_wvalid = 0;
    t.s_axil_bready = 0;
    t.s_axil_arvalid = 0;
    t.s_axil_rready = 0;
    t.aresetn = 0;
    for (int i = 0; i < kResetCycles; ++i) step();
    t.aresetn = 1;
    for (int i = 0; i < 2; ++i) step();  // the registered reset lets go
  }

  ~Simulation() { top_->final(); }

  /** Runs up to `budget` cycles; returns early once everything is idle. */
  uint64_t run(uint64_t budget) {
    uint64_t n = 0;
    while (n < budget) {
      const bool moved = step();
      ++n;
      if (moved) {
        quiet_ = 0;
      } else if (++quiet_ >= kQuietCycles && top_->idle && in_.empty() && !beat_valid_) {
        break;
      }
    }
    return n;
  }

  bool quiescent() const { return in_.empty() && !beat_valid_ && quiet_ >= kQuietCycles && top_->idle; }

  /** One AXI4-Lite read (the streams keep flowing meanwhile). */
  uint32_t reg_read(uint32_t offset) {
    Vevm_fpga_pcie_top& t = *top_;
    t.s_axil_araddr = offset;
    t.s_axil_arvalid = 1;
    t.s_axil_rready = 1;
    uint32_t value = 0;
    bool addressed = false;
    for (int i = 0; i < kBusTimeoutCycles; ++i) {
      // Handshakes are sampled before the edge: look at the outputs as they stand, then clock.
      top_->clk = 0;
      top_->eval();
      const bool ar = t.s_axil_arvalid && t.s_axil_arready;
      const bool r = t.s_axil_rvalid && t.s_axil_rready;
      if (r) value = t.s_axil_rdata;
      step();
      if (ar) {
        t.s_axil_arvalid = 0;
        addressed = true;
      }
      if (r && addressed) {
        t.s_axil_rready = 0;
        return value;
      }
    }
    bus_hung("read", offset);
  }

  /** One AXI4-Lite write of a whole word. */
  void reg_write(uint32_t offset, uint32_t value) {
    Vevm_fpga_pcie_top& t = *top_;
    t.s_axil_awaddr = offset;
    t.s_axil_awvalid = 1;
    t.s_axil_wdata = value;
    t.s_axil_wstrb = 0xf;
    t.s_axil_wvalid = 1;
    t.s_axil_bready = 1;
    for (int i = 0; i < kBusTimeoutCycles; ++i) {
      top_->clk = 0;
      top_->eval();
      const bool aw = t.s_axil_awvalid && t.s_axil_awready;
      const bool w = t.s_axil_wvalid && t.s_axil_wready;
      const bool b = t.s_axil_bvalid && t.s_axil_bready;
      step();
      if (aw) t.s_axil_awvalid = 0;
      if (w) t.s_axil_wvalid = 0;
      if (b) {
        t.s_axil_bready = 0;
        return;
      }
    }
    bus_hung("write", offset);
  }

  /** Forgets every byte between the host and the design (after a soft reset). */
  void drop_in_flight() {
    in_.clear();
    out_.clear();
    beat_valid_ = false;
    top_->s_axis_h2c_tvalid = 0;
  }

  uint64_t cycles() const { return cycles_; }
  bool finished() const { return ctx_->gotFinish(); }

 private:
  [[noreturn]] void bus_hung(const char* what, uint32_t offset) {
    sim::log_error("AXI4-Lite %s at 0x%02x got no answer in %d cycles", what, offset, kBusTimeoutCycles);
    exit(1);
  }

  // One cycle: present the H2C beat and C2H ready with the clock low, evaluate, record the
  // handshakes the rising edge will complete, clock high. Returns whether a byte moved.
  bool step() {
    Vevm_fpga_pcie_top& t = *top_;
    if (!beat_valid_ && !in_.empty()) {
      // Pack the next beat; tlast marks the beat that empties the input (the end of what the
      // host has written so far, as XDMA marks the end of one write).
      const size_t n = in_.size() < kBeatBytes ? in_.size() : kBeatBytes;
      const uint8_t* p = in_.read_ptr();
      uint64_t data = 0;
      for (size_t i = 0; i < n; ++i) data |= static_cast<uint64_t>(p[i]) << (8 * i);
      in_.consume(n);
      beat_data_ = data;
      beat_keep_ = static_cast<uint8_t>((1u << n) - 1u);
      beat_last_ = in_.empty();
      beat_valid_ = true;
    }
    t.s_axis_h2c_tvalid = beat_valid_;
    t.s_axis_h2c_tdata = beat_data_;
    t.s_axis_h2c_tkeep = beat_keep_;
    t.s_axis_h2c_tlast = beat_last_;
    t.m_axis_c2h_tready = out_.free() >= kBeatBytes;
    t.clk = 0;
    t.eval();
    bool moved = false;
    if (beat_valid_ && t.s_axis_h2c_tready) {
      beat_valid_ = false;
      moved = true;
    }
    if (t.m_axis_c2h_tvalid && t.m_axis_c2h_tready) {
      const uint64_t data = t.m_axis_c2h_tdata;
      const unsigned keep = t.m_axis_c2h_tkeep;
      for (unsigned i = 0; i < kBeatBytes; ++i)
        if (keep & (1u << i)) out_.push(static_cast<uint8_t>(data >> (8 * i)));
      moved = true;
    }
    t.clk = 1;
    t.eval();
    ++cycles_;
    return moved;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vevm_fpga_pcie_top> top_;
  ByteBuffer& in_;
  ByteBuffer& out_;
  bool beat_valid_ = false;
  uint64_t beat_data_ = 0;
  uint8_t beat_keep_ = 0;
  bool beat_last_ = false;
  uint64_t cycles_ = 0;
  uint32_t quiet_ = 0;
};

/**
 * The register window: what the host sees in PREFIX_user. `shown_` is what the harness last
 * stored; a word that differs from it was written by the host.
 */
class RegisterWindow {
 public:
  RegisterWindow(volatile uint32_t* words, Simulation& sim, sim::XdmaFiles& files)
      : words_(words), sim_(sim), files_(files) {}

  /** Reads every register over AXI4-Lite into the window (LO before HI, so 64-bit pairs agree). */
  void refresh() {
    for (unsigned i = 0; i < kWindowWords; ++i) {
      const uint32_t v = sim_.reg_read(4 * i);
      // Compare-and-swap from what we showed last: a host write that landed meanwhile is kept
      // (and forwarded by the next forward_writes()).
      uint32_t expected = shown_[i];
      if (__atomic_compare_exchange_n(const_cast<uint32_t*>(&words_[i]), &expected, v, false, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST))
        shown_[i] = v;
      else
        pending_ = true;
    }
    dirty_ = false;
    last_refresh_ = now_seconds();
  }

  /** Forwards words the host changed as AXI4-Lite writes; returns whether there were any. */
  bool forward_writes() {
    bool any = false;
    for (unsigned i = 0; i < kWindowWords; ++i) {
      const uint32_t v = __atomic_load_n(const_cast<uint32_t*>(&words_[i]), __ATOMIC_SEQ_CST);
      if (v == shown_[i]) continue;
      any = true;
      sim_.reg_write(4 * i, v);
      // Whatever the register now reads is what the host should see (RO words snap back).
      shown_[i] = v;
      if (4 * i == kRegControl && (v & kControlSoftReset)) finish_soft_reset();
    }
    pending_ = false;
    if (any) refresh();
    return any;
  }

  /** A cheap check, done every loop iteration: did the host write anything? */
  bool host_wrote() const {
    if (pending_) return true;
    for (unsigned i = 0; i < kWindowWords; ++i)
      if (__atomic_load_n(const_cast<uint32_t*>(&words_[i]), __ATOMIC_RELAXED) != shown_[i]) return true;
    return false;
  }

  void mark_dirty() { dirty_ = true; }
  bool dirty() const { return dirty_; }
  bool due() const { return dirty_ && now_seconds() - last_refresh_ >= kMirrorSeconds; }

 private:
  // The soft reset runs for a few clocks; then every byte that was on its way (in the FIFOs, the
  // harness buffers, the beat on offer) belongs to the time before it and is dropped, as the card
  // drops its adapters' contents. The host waits for CONTROL to read 0 before sending again.
  void finish_soft_reset() {
    for (int i = 0; i < kBusTimeoutCycles && (sim_.reg_read(kRegControl) & kControlSoftReset); ++i) {
    }
    sim_.drop_in_flight();
    files_.discard_pending();
  }

  volatile uint32_t* words_;
  Simulation& sim_;
  sim::XdmaFiles& files_;
  uint32_t shown_[kWindowWords] = {};
  bool pending_ = false;
  bool dirty_ = true;
  double last_refresh_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse_args(argc, argv);
  sim::g_quiet = opt.quiet;

  sigset_t wait_mask;
  if (!sim::install_stop_signals(&wait_mask)) return 0;

  ByteBuffer in(kInCapacity), out(kOutCapacity);
  sim::XdmaFiles files;
  std::string err;
  if (!files.open(opt.prefix, err)) {
    sim::log_error("%s", err.c_str());
    files.close();
    return 1;
  }
  Simulation simulation(in, out);
  RegisterWindow window(files.words(), simulation, files);
  window.refresh();
  printf("xdma: %s\n", opt.prefix.c_str());
  fflush(stdout);

  const uint64_t start_cycles = simulation.cycles();
  const double t0 = now_seconds();
  double waited = 0;
  const char* stop_reason = nullptr;
  std::vector<pollfd> fds;
  fds.reserve(4);

  for (;;) {
    if (window.host_wrote()) window.forward_writes();
    const bool quiescent = simulation.quiescent();
    if (quiescent && window.dirty()) window.refresh();  // the host sees the final counters
    const bool out_full = out.free() < kOutReserve;
    const bool block = quiescent || out_full;

    fds.clear();
    size_t n = files.prepare(fds, in.free() > 0, !out.empty());
    timespec zero{0, 0};
    timespec idle_check{0, kIdleCheckMs * 1000000L};
    const double w0 = block ? now_seconds() : 0;
    int r = ppoll(fds.data(), fds.size(), block ? &idle_check : &zero, &wait_mask);
    if (block) waited += now_seconds() - w0;
    if (sim::stop_signal() != 0) {
      stop_reason = sim::stop_signal() == SIGINT ? "SIGINT" : "SIGTERM";
      break;
    }
    if (r < 0 && errno != EINTR) {
      sim::log_error("poll failed: %s", strerror(errno));
      break;
    }
    if (r > 0 && !files.service(fds.data(), n, in, out)) break;

    if (out.free() < kOutReserve) continue;
    if (simulation.quiescent() && in.empty()) continue;
    const uint64_t budget = sim::batch_budget(kBatchCycles, opt.max_cycles, simulation.cycles() - start_cycles);
    if (budget == 0) {
      stop_reason = "--max-cycles reached";
      break;
    }
    simulation.run(budget);
    window.mark_dirty();
    if (window.due()) window.refresh();
    if (simulation.finished()) {
      stop_reason = "$finish";
      break;
    }
  }
  files.close();

  const double elapsed = now_seconds() - t0 - waited;
  const uint64_t cycles = simulation.cycles() - start_cycles;
  if (!opt.quiet) {
    sim::log_info("stopped: %s", stop_reason ? stop_reason : "error");
    const double rate = elapsed > 0 ? static_cast<double>(cycles) / elapsed / 1e6 : 0.0;
    fprintf(stderr, "sim: %llu cycles in %.3f s = %.2f M cycles/s\n", static_cast<unsigned long long>(cycles), elapsed,
            rate);
  }
  return stop_reason ? 0 : 1;
}
