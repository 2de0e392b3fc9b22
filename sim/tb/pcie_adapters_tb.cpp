// Test bench of the PCIe width adapters (hdl/pcie/axis_h2c_unpack.sv, axis_c2h_pack.sv), through
// sim/tb/pcie_adapters_loop.sv: random beats (tkeep all ones, partial, with holes, empty), random
// tvalid gaps, random back-pressure on the output, and stalls of the byte stream between the two
// adapters. Checks, cycle by cycle and at the end:
//   - the bytes out are exactly the kept bytes in, in order;
//   - every output beat has tkeep = 2^k - 1 (k >= 1), and a partial beat carries tlast;
//   - an output beat held by back-pressure does not change (AXI4-Stream);
//   - after the input stops, everything is out with tlast within FLUSH_CYCLES + 4 clocks;
//   - full beats with nothing stalled move one byte per clock.
// Prints `pcie_adapters_tb: DATA_WIDTH=N PASS ...` or the first failure, and exits non-zero on it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "Vpcie_adapters_loop.h"
#include "verilated.h"

#ifndef DATA_BYTES
#define DATA_BYTES 8
#endif
#ifndef FLUSH_CYCLES
#define FLUSH_CYCLES 8
#endif

namespace {

constexpr unsigned kBytes = DATA_BYTES;
constexpr uint64_t kFullKeep = kBytes == 8 ? 0xffull : ((1ull << kBytes) - 1);

[[noreturn]] void fail(const char* what, uint64_t cycle, uint64_t a = 0, uint64_t b = 0) {
  fprintf(stderr, "pcie_adapters_tb: DATA_WIDTH=%u FAIL at cycle %llu: %s (%llu, %llu)\n", kBytes * 8,
          static_cast<unsigned long long>(cycle), what, static_cast<unsigned long long>(a),
          static_cast<unsigned long long>(b));
  exit(1);
}

struct Beat {
  uint64_t data;
  uint64_t keep;
  bool last;
};

class Bench {
 public:
  Bench() : ctx_(new VerilatedContext), top_(new Vpcie_adapters_loop{ctx_.get()}) {
    top_->rst = 1;
    top_->s_axis_tvalid = 0;
    top_->m_axis_tready = 0;
    top_->mid_stall = 0;
    for (int i = 0; i < 4; ++i) tick();
    top_->rst = 0;
  }

  // Sends `beats` with the given probabilities; returns the clocks it took until all were taken
  // and every byte came out.
  uint64_t run(const std::vector<Beat>& beats, double p_gap, double p_ready, double p_stall, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(0, 1);
    size_t next = 0;
    bool presenting = false;
    const uint64_t start = cycle_;
    uint64_t input_done_at = 0;
    for (;;) {
      if (!presenting && next < beats.size() && u(rng) >= p_gap) presenting = true;
      const bool input_done = next == beats.size();
      if (input_done && input_done_at == 0) input_done_at = cycle_;
      if (presenting) {
        top_->s_axis_tdata = beats[next].data;
        top_->s_axis_tkeep = static_cast<uint32_t>(beats[next].keep);
        top_->s_axis_tlast = beats[next].last;
      }
      top_->s_axis_tvalid = presenting;
      // Once the input is done the output is always ready and nothing stalls: the drain timing.
      top_->m_axis_tready = input_done || u(rng) < p_ready;
      top_->mid_stall = !input_done && u(rng) < p_stall;
      top_->clk = 0;
      top_->eval();
      check_output();
      if (presenting && top_->s_axis_tready) {
        for (unsigned i = 0; i < kBytes; ++i)
          if (beats[next].keep >> i & 1) expected_.push_back(static_cast<uint8_t>(beats[next].data >> (8 * i)));
        ++next;
        presenting = false;
      }
      tick_high();
      if (input_done && expected_.empty() && top_->in_empty && top_->out_empty) {
        if (!last_was_tlast_ && got_any_) fail("the final beat lacks tlast", cycle_);
        // The drain: the last byte must be out (with tlast) within the flush time plus the
        // pipeline (unpack, pack, output register).
        if (cycle_ - input_done_at > FLUSH_CYCLES + 4 + 2 * kBytes) fail("slow drain", cycle_, cycle_ - input_done_at);
        return cycle_ - start;
      }
      if (cycle_ - start > 100000000ull) fail("no progress", cycle_);
    }
  }

  uint64_t packets_out() const { return packets_; }
  uint64_t bytes_out() const { return bytes_; }

 private:
  void check_output() {
    const bool valid = top_->m_axis_tvalid;
    const uint64_t data = top_->m_axis_tdata;
    const uint64_t keep = top_->m_axis_tkeep;
    const bool last = top_->m_axis_tlast;
    if (held_ && (!valid || data != held_beat_.data || keep != held_beat_.keep || last != held_beat_.last))
      fail("a beat changed while held by back-pressure", cycle_);
    held_ = false;
    if (!valid) return;
    if (keep == 0 || (keep & (keep + 1)) != 0 || keep > kFullKeep) fail("tkeep is not 2^k - 1", cycle_, keep);
    if (keep != kFullKeep && !last) fail("a partial beat without tlast", cycle_, keep);
    if (!top_->m_axis_tready) {
      held_ = true;
      held_beat_ = {data, keep, last};
      return;
    }
    for (unsigned i = 0; i < kBytes; ++i) {
      if (!(keep >> i & 1)) continue;
      if (expected_.empty()) fail("a byte that was never sent", cycle_);
      const uint8_t b = static_cast<uint8_t>(data >> (8 * i));
      if (b != expected_.front()) fail("wrong byte", cycle_, b, expected_.front());
      expected_.pop_front();
      ++bytes_;
    }
    packets_ += last;
    last_was_tlast_ = last;
    got_any_ = true;
  }

  void tick() {
    top_->clk = 0;
    top_->eval();
    tick_high();
  }
  void tick_high() {
    top_->clk = 1;
    top_->eval();
    ++cycle_;
  }

  std::unique_ptr<VerilatedContext> ctx_;
  std::unique_ptr<Vpcie_adapters_loop> top_;
  std::deque<uint8_t> expected_;
  uint64_t cycle_ = 0;
  uint64_t packets_ = 0;
  uint64_t bytes_ = 0;
  bool held_ = false;
  Beat held_beat_{};
  bool last_was_tlast_ = false;
  bool got_any_ = false;
};

std::vector<Beat> random_beats(size_t n, std::mt19937_64& rng, bool full_only) {
  std::vector<Beat> beats;
  std::uniform_int_distribution<int> pct(0, 99);
  for (size_t i = 0; i < n; ++i) {
    Beat b{rng(), kFullKeep, pct(rng) < 10};
    if (!full_only) {
      const int p = pct(rng);
      if (p < 15) {
        b.keep = (1ull << (1 + rng() % (kBytes - 1))) - 1;  // partial from lane 0, as XDMA sends
        b.last = true;
      } else if (p < 25) {
        b.keep = rng() & kFullKeep;  // holes anywhere
      } else if (p < 28) {
        b.keep = 0;  // a beat of null bytes
      }
    }
    beats.push_back(b);
  }
  return beats;
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  std::mt19937_64 rng(20240611u + kBytes);
  Bench bench;
  uint64_t beats_sent = 0;
  // Random traffic in rounds of different pressure.
  const double profiles[][3] = {{0.0, 1.0, 0.0}, {0.5, 0.5, 0.1}, {0.1, 0.9, 0.4}, {0.8, 0.2, 0.02}, {0.2, 0.7, 0.7}};
  for (int round = 0; round < 40; ++round) {
    const double* p = profiles[round % 5];
    std::vector<Beat> beats = random_beats(50 + rng() % 400, rng, false);
    beats_sent += beats.size();
    bench.run(beats, p[0], p[1], p[2], rng);
  }
  // Throughput: full beats, nothing stalled: one byte per clock through the byte stream.
  std::vector<Beat> full = random_beats(2000, rng, true);
  for (Beat& b : full) b.last = false;
  const uint64_t before = bench.bytes_out();
  const uint64_t cycles = bench.run(full, 0.0, 1.0, 0.0, rng);
  const double per_clock = static_cast<double>(bench.bytes_out() - before) / static_cast<double>(cycles);
  if (per_clock < 0.98) fail("throughput below one byte per clock", 0, static_cast<uint64_t>(per_clock * 1000));
  printf("pcie_adapters_tb: DATA_WIDTH=%u PASS %llu beats in, %llu bytes and %llu packets out; %.3f bytes/clock streaming\n",
         kBytes * 8, static_cast<unsigned long long>(beats_sent + full.size()),
         static_cast<unsigned long long>(bench.bytes_out()), static_cast<unsigned long long>(bench.packets_out()), per_clock);
  return 0;
}
