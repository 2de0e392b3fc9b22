// Unit test bench for hdl/storage/storage_unit.sv (and its table RAM, hdl/common/ram_sdp.sv).
//
//   storage_unit_tb [seed]
//
// Built by run_storage_unit_tb.sh once per table configuration (-DENTRIES, -DWAYS, -DEPOCH_BITS
// must match the RTL parameters). The bench plays the dispatcher: it pulses cmd_start with LEN,
// offers the payload words (header, then records) one per clock from the next cycle (or with
// random gaps), drops the words the unit did not take once res_valid rises, and acknowledges the
// answer (at once or late). Every answer is compared, field by field, with a C++ model of the
// protocol's STORAGE semantics (docs/protocol.md): records in order, a read whose version differs
// from the table (absent 0xFFFF) stops the batch, a write enters its tx, a write that finds its
// set full sets OVERFLOW (the model tracks the keys per set, so overflow is predicted exactly).
// The model is itself checked against the software checker's algorithm (storage-check.ts: per
// transaction, all reads checked, then all writes entered) on every batch that did not overflow.
// Checks, all fatal on mismatch (exit status 1):
//   - answers (looked at, INVALID / OVERFLOW / STOPPED, invalid tx, conflict key, cycles = the
//     cycles the bench counted from cmd_start to res_valid);
//   - word accounting: every record of a frame is taken unless the batch stops or overflows;
//     BAD_LENGTH by LEN takes no word, by OP only the header; no word after res_valid;
//   - throughput: a frame of N records fed at a word per clock is answered N + 5 cycles after
//     cmd_start; the 10,000+-record block must reach >= 0.9 records per cycle.
// Scenarios: random blocks with hot sets (many keys per set), hot keys (back-to-back write/read
// of one key across the forwarding paths), uniform keys; tables driven to overflow; empty
// batches; one-tx blocks; batches split across frames of random size; STOPPED frames after an
// invalid one; bad lengths; RESET between blocks (past the epoch wrap, so the sweep runs); rst
// with a command arriving during the sweep that follows it.

#include "Vstorage_unit.h"
#include "verilated.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#ifndef ENTRIES
#error "build with -DENTRIES=<the RTL parameter> -DWAYS=... -DEPOCH_BITS=..."
#endif

namespace {

constexpr uint32_t kSets = ENTRIES / WAYS;
constexpr int kSetBits = __builtin_ctz(kSets);
constexpr uint16_t kPre = 0xFFFF;
constexpr uint8_t kStatusOk = 0;
constexpr uint8_t kStatusBadLength = 5;
constexpr int kMaxRecords = 511;

int g_failures = 0;
void fail(const std::string& what) {
  std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  if (++g_failures >= 10) {
    std::fprintf(stderr, "too many failures, stopping\n");
    std::exit(1);
  }
}

uint32_t set_of(uint32_t key) { return (key ^ (key >> kSetBits)) & (kSets - 1); }
// The key with the given set index and tag (tag = key bits above the index).
uint32_t make_key(uint32_t set, uint32_t tag) {
  tag &= (1u << (31 - kSetBits)) - 1;
  return (tag << kSetBits) | ((set ^ tag) & (kSets - 1));
}

struct Record {
  uint32_t key;
  bool write;
  uint16_t tx;
  uint16_t version;
  uint64_t word() const {
    return uint64_t(key & 0x7fffffffu) | (uint64_t(write) << 31) | (uint64_t(tx) << 32) |
           (uint64_t(version) << 48);
  }
};

struct Answer {
  uint8_t status = 0;
  bool has_result = false;
  uint16_t looked = 0;
  uint8_t flags = 0;
  uint16_t invalid_tx = 0;
  uint32_t key = 0;
  uint32_t cycles = 0;
};

// The protocol's semantics, with the set occupancy of the hardware table.
struct Model {
  std::map<uint32_t, uint16_t> table;
  std::map<uint32_t, int> set_fill;
  bool stopped = false;
  bool overflow = false;

  void reset() {
    table.clear();
    set_fill.clear();
    stopped = false;
    overflow = false;
  }
  uint16_t get(uint32_t key) const {
    auto it = table.find(key);
    return it == table.end() ? kPre : it->second;
  }
  Answer check(const std::vector<Record>& recs, bool first) {
    Answer a;
    a.has_result = true;
    if (first) stopped = false;
    if (stopped || overflow || recs.empty()) {
      a.flags = (stopped ? 4 : 0) | (overflow ? 2 : 0);
      return a;
    }
    for (const Record& r : recs) {
      a.looked++;
      if (!r.write) {
        if (get(r.key) != r.version) {
          stopped = true;
          a.flags |= 1;
          a.invalid_tx = r.tx;
          a.key = r.key;
          break;
        }
      } else {
        auto it = table.find(r.key);
        if (it != table.end()) {
          it->second = r.tx;
        } else if (set_fill[set_of(r.key)] < WAYS) {
          set_fill[set_of(r.key)]++;
          table[r.key] = r.tx;
        } else {
          overflow = true;
          break;
        }
      }
    }
    if (overflow) a.flags |= 2;
    return a;
  }
};

// storage-check.ts's algorithm on one batch (transactions contiguous, ascending).
struct SoftResult {
  int committed = 0;
  bool invalid = false;
  uint16_t invalid_tx = 0;
  uint32_t key = 0;
};
SoftResult software_check(std::map<uint32_t, uint16_t>& table, const std::vector<Record>& batch) {
  SoftResult res;
  size_t i = 0;
  while (i < batch.size()) {
    size_t j = i;
    while (j < batch.size() && batch[j].tx == batch[i].tx) j++;
    for (size_t r = i; r < j; r++) {
      if (batch[r].write) continue;
      auto it = table.find(batch[r].key);
      uint16_t cur = it == table.end() ? kPre : it->second;
      if (cur != batch[r].version) {
        res.invalid = true;
        res.invalid_tx = batch[i].tx;
        res.key = batch[r].key;
        return res;
      }
    }
    for (size_t r = i; r < j; r++) {
      if (batch[r].write) table[batch[r].key] = batch[r].tx;
    }
    res.committed++;
    i = j;
  }
  return res;
}

class Bench {
 public:
  explicit Bench(uint32_t seed) : rng_(seed) {
    dut_ = new Vstorage_unit;
    dut_->clk = 0;
    dut_->rst = 1;
    dut_->cmd_start = 0;
    dut_->s_valid = 0;
    dut_->res_ack = 0;
    tick();
    tick();
    dut_->rst = 0;
    model.reset();
  }
  ~Bench() {
    dut_->final();
    delete dut_;
  }

  Model model;
  std::mt19937_64 rng_;
  bool stalls = false;     // random gaps in s_valid
  bool late_ack = false;   // res_ack some cycles after res_valid
  bool after_rst = false;  // the unit may still be sweeping: frames take longer than N + 5
  uint64_t cycle = 0;

  void tick() {
    dut_->clk = 0;
    dut_->eval();
    dut_->clk = 1;
    dut_->eval();
    cycle++;
  }

  // rst in the middle of things; the unit sweeps its table, and a command may come at once.
  void hard_reset() {
    dut_->rst = 1;
    tick();
    dut_->rst = 0;
    model.reset();
  }

  // Sends one frame; returns the answer and checks the word accounting.
  // expect_words: words the unit must take (-1: all of them).
  Answer frame(uint16_t len, const std::vector<uint64_t>& words, int expect_words) {
    dut_->cmd_start = 1;
    dut_->cmd_len = len;
    dut_->s_valid = 0;
    uint64_t start = cycle;
    tick();
    dut_->cmd_start = 0;
    size_t next = 0;
    size_t taken = 0;
    Answer a;
    for (uint64_t guard = 0;; guard++) {
      if (guard > 200000) {
        fail("no answer (len " + std::to_string(len) + ")");
        std::exit(1);
      }
      bool offer = next < words.size() && !(stalls && (rng_() % 4 == 0));
      dut_->s_valid = offer;
      dut_->s_word = offer ? words[next] : 0x5a5a5a5a5a5a5a5aull;
      dut_->clk = 0;
      dut_->eval();
      if (dut_->res_valid) {
        if (offer && dut_->s_ready) fail("word taken while res_valid");
        a.cycles = uint32_t(cycle - start);
        break;
      }
      if (offer && dut_->s_ready) {
        next++;
        taken++;
      }
      tick();
    }
    dut_->s_valid = 0;
    a.status = dut_->res_status;
    a.has_result = dut_->res_has_result;
    const uint32_t* d = dut_->res_data.data();   // 4 x 32 bits, little-endian words
    a.looked = d[0] & 0xffff;
    a.flags = (d[0] >> 16) & 0xff;
    if ((d[0] >> 24) != 0 || (d[1] >> 16) != 0) fail("reserved answer bytes not zero");
    a.invalid_tx = d[1] & 0xffff;
    a.key = d[2];
    uint32_t dev_cycles = d[3];
    if (a.status == kStatusOk && dev_cycles != a.cycles) {
      fail("cycles field " + std::to_string(dev_cycles) + ", bench counted " + std::to_string(a.cycles));
    }
    if (expect_words >= 0 && taken != size_t(expect_words)) {
      fail("unit took " + std::to_string(taken) + " words, expected " + std::to_string(expect_words));
    }
    int ack_delay = late_ack ? int(rng_() % 5) : 0;
    for (int i = 0; i < ack_delay; i++) {
      tick();
      dut_->clk = 0;
      dut_->eval();
      if (!dut_->res_valid) fail("res_valid dropped before res_ack");
    }
    dut_->res_ack = 1;
    tick();
    dut_->res_ack = 0;
    last_taken = taken;
    return a;
  }

  size_t last_taken = 0;

  // A CHECK frame, compared with the model. Returns the answer.
  Answer check(const std::vector<Record>& recs, bool first, const char* what) {
    std::vector<uint64_t> words;
    words.push_back(uint64_t(first ? 1 : 0) << 8);   // OP = CHECK, FLAGS
    for (const Record& r : recs) words.push_back(r.word());
    Answer want = model.check(recs, first);
    bool halts = (want.flags & 3) != 0 || (want.flags & 4) != 0;
    Answer got = frame(uint16_t(8 + 8 * recs.size()), words, halts ? -1 : int(words.size()));
    if (halts && last_taken > 1 + size_t(want.looked) + 2) fail(std::string(what) + ": words taken after the stop");
    if (got.status != kStatusOk || !got.has_result || got.looked != want.looked || got.flags != want.flags ||
        got.invalid_tx != want.invalid_tx || got.key != want.key) {
      char buf[400];
      std::snprintf(buf, sizeof buf,
                    "%s (%zu records, first %d): got status %u looked %u flags %u tx %u key %08x; "
                    "want looked %u flags %u tx %u key %08x",
                    what, recs.size(), first, got.status, got.looked, got.flags, got.invalid_tx, got.key,
                    want.looked, want.flags, want.invalid_tx, want.key);
      fail(buf);
    }
    if (!halts && !recs.empty() && !stalls && !after_rst && got.cycles != recs.size() + 5) {
      fail(std::string(what) + ": " + std::to_string(recs.size()) + " records took " +
           std::to_string(got.cycles) + " cycles, expected N + 5");
    }
    frames++;
    records_sent += recs.size();
    return got;
  }

  void reset_table() {
    Answer a = frame(8, {uint64_t(1)}, 1);
    model.reset();
    if (a.status != kStatusOk || !a.has_result || a.looked != 0 || a.flags != 0) fail("RESET answer");
    resets++;
    reset_cycles += a.cycles;
    max_reset_cycles = std::max<uint64_t>(max_reset_cycles, a.cycles);
  }

  void bad(uint16_t len, std::vector<uint64_t> words, int expect_words, const char* what) {
    Answer a = frame(len, words, expect_words);
    if (a.status != kStatusBadLength || a.has_result) fail(std::string("BAD_LENGTH expected: ") + what);
  }

  uint64_t frames = 0, records_sent = 0, resets = 0, reset_cycles = 0, max_reset_cycles = 0;

 private:
  Vstorage_unit* dut_;
};

// Key generators.
struct KeySource {
  enum Mode { kUniform, kHotSets, kHotKeys, kSpread } mode;
  std::vector<uint32_t> pool;
  KeySource(Mode m, std::mt19937_64& rng, int n) : mode(m) {
    std::set<uint32_t> seen;
    for (int i = 0; int(pool.size()) < n && i < 100 * n; i++) {
      uint32_t k;
      switch (m) {
        case kHotSets: k = make_key(uint32_t(rng() % 6), uint32_t(rng())); break;   // 6 sets
        case kHotKeys: k = make_key(uint32_t(rng() % 2), uint32_t(rng() % 3)); break;
        case kSpread: k = make_key(uint32_t(i) % kSets, uint32_t(rng())); break;
        default: k = uint32_t(rng()) & 0x7fffffffu; break;
      }
      if (seen.insert(k).second) pool.push_back(k);
    }
  }
  uint32_t pick(std::mt19937_64& rng) const { return pool[rng() % pool.size()]; }
};

// One block: transactions with reads (mostly of the version the committed prefix holds) then
// writes, sent as batches of frames. After an INVALID answer, possibly a frame or two more of
// the stopped batch (STOPPED), then a new batch (FIRST) from the invalid transaction, re-read
// against the committed table, as the executor would after re-executing it.
void run_block(Bench& b, const KeySource& keys, int txs, int max_reads, int max_writes, double p_bad,
               int max_frame, bool check_software, const char* what) {
  std::mt19937_64& rng = b.rng_;
  std::vector<Record> pending;
  std::map<uint32_t, uint16_t> gen_table = b.model.table;   // as if every generated tx commits
  int next_tx = 0;
  bool first = true;
  auto gen_tx = [&]() {
    uint16_t tx = uint16_t(next_tx++);
    int nr = int(rng() % (max_reads + 1)), nw = int(rng() % (max_writes + 1));
    for (int i = 0; i < nr; i++) {
      uint32_t k = keys.pick(rng);
      auto it = gen_table.find(k);
      uint16_t v = it == gen_table.end() ? kPre : it->second;
      if (double(rng() % 1000000) / 1e6 < p_bad) v = uint16_t(v == kPre ? (tx ? rng() % tx : 7) : kPre);
      pending.push_back({k, false, tx, v});
    }
    std::vector<Record> w;
    for (int i = 0; i < nw; i++) {
      uint32_t k = keys.pick(rng);
      pending.push_back({k, true, tx, uint16_t(rng())});
      w.push_back(pending.back());
    }
    for (const Record& r : w) gen_table[r.key] = tx;
  };
  // The software checker's view of the same batch, to cross-check the model.
  std::vector<Record> batch;
  std::map<uint32_t, uint16_t> soft_before = b.model.table;

  while (next_tx < txs || !pending.empty()) {
    while (next_tx < txs && int(pending.size()) < max_frame) gen_tx();
    size_t n = std::min<size_t>(pending.size(), size_t(rng() % (max_frame + 1)));
    if (rng() % 16 == 0) n = 0;   // an empty frame now and then
    std::vector<Record> recs(pending.begin(), pending.begin() + long(n));
    pending.erase(pending.begin(), pending.begin() + long(n));
    bool overflow_before = b.model.overflow;
    if (first) {
      batch.clear();
      soft_before = b.model.table;
    }
    batch.insert(batch.end(), recs.begin(), recs.end());
    Answer a = b.check(recs, first, what);
    first = false;
    if (b.model.overflow) {
      if (!overflow_before) {
        // A frame or two more after the overflow: OVERFLOW, nothing looked at.
        for (int i = 0; i < 2; i++) b.check(recs, rng() % 2 == 0, what);
      }
      return;   // the host would redo the block in software
    }
    if (a.flags & 1) {
      if (check_software) {
        // The software checker on the batch up to here agrees on the invalid transaction.
        std::map<uint32_t, uint16_t> t = soft_before;
        SoftResult s = software_check(t, batch);
        if (!s.invalid || s.invalid_tx != a.invalid_tx || s.key != a.key) fail(std::string(what) + ": software checker disagrees");
        if (t != b.model.table) fail(std::string(what) + ": table differs from the software checker's");
      }
      // The stopped batch's next frames are answered STOPPED.
      int more = int(rng() % 3);
      for (int i = 0; i < more && !pending.empty(); i++) {
        size_t m = std::min<size_t>(pending.size(), size_t(1 + rng() % 20));
        std::vector<Record> r2(pending.begin(), pending.begin() + long(m));
        pending.erase(pending.begin(), pending.begin() + long(m));
        b.check(r2, false, what);
      }
      // Re-execution: a new batch from the invalid transaction.
      pending.clear();
      gen_table = b.model.table;
      next_tx = a.invalid_tx;
      first = true;
    }
  }
  if (check_software && !b.model.overflow && !first) {
    std::map<uint32_t, uint16_t> t = soft_before;
    SoftResult s = software_check(t, batch);
    if (s.invalid) fail(std::string(what) + ": software checker found an invalid tx the unit did not");
    if (t != b.model.table) fail(std::string(what) + ": table differs from the software checker's at block end");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  uint32_t seed = argc > 1 ? uint32_t(std::strtoul(argv[1], nullptr, 0)) : 1;
  std::printf("storage_unit_tb: ENTRIES=%d WAYS=%d EPOCH_BITS=%d (%u sets), seed %u\n", ENTRIES, WAYS, EPOCH_BITS,
              kSets, seed);
  Bench b(seed);
  std::mt19937_64& rng = b.rng_;
  std::clock_t t0 = std::clock();

  // Bad lengths: by LEN (no word taken), by OP (the header only). None changes the state.
  b.bad(0, {}, 0, "LEN 0");
  b.bad(7, {0}, 0, "LEN 7");
  b.bad(12, {0, 0}, 0, "LEN 12");
  b.bad(8 + 8 * 512, std::vector<uint64_t>(513, 0), 0, "512 records");
  b.bad(16, {1, 0}, 1, "RESET with a record");
  b.bad(8, {2}, 1, "unknown OP");
  b.bad(16, {0x0102, 0}, 1, "unknown OP with FIRST");

  // Hand-made cases.
  {
    b.reset_table();
    uint32_t k = make_key(5, 77);
    b.check({}, true, "empty first batch");
    b.check({{k, false, 0, kPre}, {k, true, 0, 0}, {k, false, 1, 0}, {k, true, 1, 0}, {k, false, 2, 1}},
            false, "write then read next cycle");
    // Same set, different keys, back to back (forwarding of the set word, not just the key).
    std::vector<Record> r;
    for (int i = 0; i < WAYS; i++) r.push_back({make_key(9, uint32_t(i + 1)), true, uint16_t(3 + i), 0});
    for (int i = 0; i < WAYS; i++) r.push_back({make_key(9, uint32_t(i + 1)), false, uint16_t(3 + WAYS), uint16_t(3 + i)});
    b.check(r, false, "fill one set back to back");
    b.check({{make_key(9, 1000), false, 20, kPre}}, false, "read of an absent key in a full set");
    b.check({{make_key(9, 1000), true, 21, 0}, {make_key(9, 1), false, 22, 3}}, false, "overflow");
    b.check({{k, false, 23, 1}}, true, "after overflow (FIRST)");
    b.reset_table();
    b.check({{k, false, 0, 1}}, true, "after RESET the key is absent");
    b.check({{k, false, 0, kPre}}, false, "stopped batch");
    b.check({}, false, "stopped batch, empty frame");
    b.check({{k, false, 0, kPre}}, true, "new batch");
    // Read then write of one key in one tx, and the next tx's read (gap 1 and 2 forwarding).
    uint32_t k2 = make_key(5, 78);
    b.check({{k2, false, 1, kPre}, {k2, true, 1, 0}, {k, true, 2, 0}, {k2, false, 3, 1}, {k, false, 3, 2}, {k2, true, 3, 0},
             {k, false, 4, 2}, {k2, false, 4, 3}},
            false, "gaps 1 and 2");
  }

  // One-tx blocks, RESET between.
  for (int i = 0; i < 50; i++) {
    b.reset_table();
    KeySource ks(KeySource::kHotKeys, rng, 6);
    run_block(b, ks, 1, 4, 4, 0.1, 16, true, "one-tx block");
  }

  // Random blocks across the key patterns; stalls and late acks part of the time.
  const KeySource::Mode modes[] = {KeySource::kHotKeys, KeySource::kHotSets, KeySource::kUniform, KeySource::kSpread};
  int blocks = 0, overflowed = 0;
  for (int round = 0; round < 400; round++) {
    b.stalls = rng() % 3 == 0;
    b.late_ack = rng() % 3 == 0;
    KeySource::Mode m = modes[rng() % 4];
    int pool_n = m == KeySource::kHotSets ? int(2 + rng() % (3 * WAYS)) : int(2 + rng() % 300);
    if (m == KeySource::kUniform && rng() % 4 == 0) pool_n = ENTRIES + ENTRIES / 2;   // overflow likely
    KeySource ks(m, rng, pool_n);
    int txs = int(1 + rng() % 400);
    double p_bad = (rng() % 4 == 0) ? 0.0 : 0.002 * double(rng() % 20);
    int max_frame = (rng() % 3 == 0) ? kMaxRecords : int(1 + rng() % 64);
    if (rng() % 4 != 0) b.reset_table();   // else: the block continues the previous table
    run_block(b, ks, txs, 1 + int(rng() % 6), int(rng() % 4), p_bad, max_frame, true, "random block");
    blocks++;
    overflowed += b.model.overflow ? 1 : 0;
  }
  b.stalls = false;
  b.late_ack = false;

  // rst mid-block; a command right away waits for the sweep.
  b.hard_reset();
  b.after_rst = true;
  {
    KeySource ks(KeySource::kHotSets, rng, WAYS);
    run_block(b, ks, 50, 3, 2, 0.01, 40, true, "after rst");
  }
  b.after_rst = false;

  // Epoch wrap: enough RESETs to pass it at least twice, each followed by a small block.
  int wraps_needed = 2 * ((1 << EPOCH_BITS) - 1) + 3;
  for (int i = 0; i < wraps_needed; i++) {
    b.reset_table();
    if (i % 8 == 0 || i + 3 > wraps_needed) {
      KeySource ks(KeySource::kHotKeys, rng, 4);
      run_block(b, ks, 5, 2, 2, 0.05, 8, true, "across the epoch wrap");
    }
  }

  // Fill factor: uniform random keys written until the first overflow.
  double fill_sum = 0;
  int fill_runs = 0;
  for (int run = 0; run < 5; run++) {
    b.reset_table();
    uint16_t tx = 0;
    while (!b.model.overflow) {
      std::vector<Record> recs;
      for (int i = 0; i < kMaxRecords; i++) recs.push_back({uint32_t(rng()) & 0x7fffffffu, true, tx++, 0});
      b.check(recs, tx == kMaxRecords, "fill");
    }
    fill_sum += double(b.model.table.size()) / ENTRIES;
    fill_runs++;
  }

  // Throughput: a block of 10,220 records (20 frames of 511), no stalls, no conflicts, keys
  // spread so the table does not overflow; records per cycle from the unit's own cycle counts.
  uint64_t tp_records = 0, tp_cycles = 0;
  {
    b.reset_table();
    KeySource ks(KeySource::kSpread, rng, std::min(ENTRIES / 2, 4096));
    std::map<uint32_t, uint16_t> cur;
    std::vector<Record> all;
    for (uint16_t tx = 0; all.size() < 20 * kMaxRecords; tx++) {
      for (int i = 0; i < 3; i++) {
        uint32_t k = ks.pick(rng);
        auto it = cur.find(k);
        all.push_back({k, false, tx, it == cur.end() ? kPre : it->second});
      }
      for (int i = 0; i < 2; i++) {
        uint32_t k = ks.pick(rng);
        all.push_back({k, true, tx, 0});
        cur[k] = tx;
      }
    }
    all.resize(20 * kMaxRecords);
    for (int f = 0; f < 20; f++) {
      std::vector<Record> recs(all.begin() + f * kMaxRecords, all.begin() + (f + 1) * kMaxRecords);
      Answer a = b.check(recs, f == 0, "throughput block");
      if (a.flags != 0) fail("throughput block: unexpected flags");
      tp_records += recs.size();
      tp_cycles += a.cycles;
    }
  }
  double rpc = double(tp_records) / double(tp_cycles);
  double secs = double(std::clock() - t0) / CLOCKS_PER_SEC;

  std::printf("  %llu frames, %llu records, %d random blocks (%d overflowed), %llu RESETs (avg %.1f, max %llu cycles)\n",
              (unsigned long long)b.frames, (unsigned long long)b.records_sent, blocks, overflowed,
              (unsigned long long)b.resets, double(b.reset_cycles) / double(b.resets),
              (unsigned long long)b.max_reset_cycles);
  std::printf("  uniform random keys fill %.1f%% of the table before the first overflow (avg of %d)\n",
              100.0 * fill_sum / fill_runs, fill_runs);
  std::printf("  throughput: %llu records in %llu unit cycles = %.4f records/cycle (511-record frames: N + 5 cycles each)\n",
              (unsigned long long)tp_records, (unsigned long long)tp_cycles, rpc);
  std::printf("  simulated %llu cycles in %.2f s (%.1f M cycles/s)\n", (unsigned long long)b.cycle, secs,
              double(b.cycle) / secs / 1e6);
  if (rpc < 0.9) fail("throughput below 0.9 records/cycle");
  if (g_failures) {
    std::printf("storage_unit_tb: %d FAILURES\n", g_failures);
    return 1;
  }
  std::printf("storage_unit_tb: all checks passed\n");
  return 0;
}
