// Unit test bench for hdl/keccak/keccak_unit.sv (and through it keccak_sponge and keccak_round).
//
//   keccak_unit_tb [vector-dir]        (default /work/shared/vectors; CI passes ../shared/vectors)
//
// Built by run_keccak_unit_tb.sh once per ROUNDS_PER_CLK. The bench plays the dispatcher: it
// pulses cmd_start with the payload length, offers the payload words one per clock (word 0 the
// chunk header, garbage past the payload in the last word), and acknowledges each result.
// Checks, all fatal on mismatch (exit status 1):
//   - Keccak-f[1600] itself: the sponge state is loaded with the XKCP inputs (state_reg is made
//     public by the runner's config file) and compared after every clock with XKCP's per-round
//     intermediate values, and the digest port with the permutation output;
//   - the 321 byte-aligned Keccak-256 KAT vectors and the ethereum/tests zero-byte vectors
//     (1,048,575 bytes as 257 non-final 4,080-byte chunks + a final chunk);
//   - random messages in random chunk plans, some with stalls on s_valid and late res_ack,
//     against a C++ reference Keccak-256 (itself checked against XKCP and the KATs);
//   - error answers (LEN < 8, bad non-final lengths, bad offsets, a finished or discarded
//     context), each followed by good messages that must still hash correctly;
//   - protocol rules: every word of an accepted chunk is taken before res_valid, only the
//     header word of a rejected one; perm_done and hash_done pulse counts match the blocks and
//     digests the bench expects.
// Prints the cycle figures (per permutation, per single chunk, per block of the 1 MiB message)
// and the simulation speed.
//
// Built with -DKECCAK_CORE=1 it tests the compact core (keccak_sponge_compact) instead: the same
// checks except the per-round XKCP comparison (its state lives in block RAM, lane-serial, and has
// no per-round register to load or watch); Keccak-f is then checked through the KATs and random
// messages, and the permutation's cycle count is measured from perm_step.

#include "Vkeccak_unit.h"
#include "Vkeccak_unit___024root.h"
#include "verilated.h"

#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#ifndef ROUNDS_PER_CLK
#error "build with -DROUNDS_PER_CLK=<the RTL parameter>"
#endif
#ifndef KECCAK_CORE
#define KECCAK_CORE 0
#endif

// keccak_sponge's registers inside keccak_unit's generate block (made public by the runner).
#define SPONGE_VAR(name) keccak_unit__DOT__g_sponge__DOT__u_sponge__DOT__##name

namespace {

using Bytes = std::vector<uint8_t>;

constexpr uint8_t kStatusOk = 0;
constexpr uint8_t kStatusBadLength = 5;
constexpr uint8_t kStatusSequence = 6;
constexpr size_t kRate = 136;
constexpr size_t kMaxChunkData = 4080;  // non-final chunk: at most 30 blocks
constexpr size_t kMaxFinalData = 4088;  // maxPayload - 8-byte chunk header

int g_failures = 0;

void fail(const std::string& what) {
  std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  if (++g_failures >= 10) {
    std::fprintf(stderr, "too many failures, stopping\n");
    std::exit(1);
  }
}

std::string hex(const uint8_t* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; i++) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}

bool unhex(const std::string& s, Bytes& out) {
  if (s.size() % 2) return false;
  out.clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int h = nib(s[i]), l = nib(s[i + 1]);
    if (h < 0 || l < 0) return false;
    out.push_back(uint8_t(h << 4 | l));
  }
  return true;
}

// ---- Reference Keccak (checked against XKCP below) ----------------------------------------

const uint64_t kRc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
const int kRho[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                      25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

uint64_t rol(uint64_t v, int r) { return r ? (v << r) | (v >> (64 - r)) : v; }

void ref_round(uint64_t a[25], int round) {
  uint64_t c[5], b[25];
  for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
  for (int x = 0; x < 5; x++) {
    uint64_t d = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
    for (int y = 0; y < 5; y++) a[x + 5 * y] ^= d;
  }
  for (int x = 0; x < 5; x++)
    for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rol(a[x + 5 * y], kRho[x + 5 * y]);
  for (int x = 0; x < 5; x++)
    for (int y = 0; y < 5; y++)
      a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
  a[0] ^= kRc[round];
}

Bytes ref_keccak256(const Bytes& msg) {
  uint64_t a[25] = {0};
  Bytes padded = msg;
  size_t pad = kRate - msg.size() % kRate;
  padded.resize(msg.size() + pad, 0);
  padded[msg.size()] ^= 0x01;
  padded.back() ^= 0x80;
  for (size_t off = 0; off < padded.size(); off += kRate) {
    for (int i = 0; i < 17; i++) {
      uint64_t lane = 0;
      for (int j = 0; j < 8; j++) lane |= uint64_t(padded[off + 8 * i + j]) << (8 * j);
      a[i] ^= lane;
    }
    for (int r = 0; r < 24; r++) ref_round(a, r);
  }
  Bytes md(32);
  for (int i = 0; i < 32; i++) md[i] = uint8_t(a[i / 8] >> (8 * (i % 8)));
  return md;
}

// ---- Vectors -------------------------------------------------------------------------------

struct Vector {
  size_t len;
  Bytes msg;
  Bytes md;
};

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The vector files are flat arrays of objects with "len_bytes", "msg" and "md" in that order;
// a "msg" that is not the hex of len_bytes bytes stands for len_bytes zero bytes (only allowed
// when allow_zero_fill: the ethereum/tests file does not inline its 1 MiB message).
std::vector<Vector> load_vectors(const std::string& path, bool allow_zero_fill) {
  std::string s = read_file(path);
  std::vector<Vector> out;
  size_t pos = 0;
  auto quoted_after = [&](const char* key, size_t from, size_t& end) -> std::string {
    size_t k = s.find(key, from);
    if (k == std::string::npos) return "";
    size_t q1 = s.find('"', k + std::strlen(key));
    size_t q2 = s.find('"', q1 + 1);
    end = q2 + 1;
    return s.substr(q1 + 1, q2 - q1 - 1);
  };
  while ((pos = s.find("\"len_bytes\"", pos)) != std::string::npos) {
    size_t colon = s.find(':', pos);
    Vector v;
    v.len = std::strtoull(s.c_str() + colon + 1, nullptr, 10);
    size_t end = colon;
    std::string msg = quoted_after("\"msg\"", end, end);
    std::string md = quoted_after("\"md\"", end, end);
    if (!unhex(msg, v.msg) || v.msg.size() != v.len) {
      if (!allow_zero_fill) {
        std::fprintf(stderr, "%s: bad msg for len %zu\n", path.c_str(), v.len);
        std::exit(2);
      }
      v.msg.assign(v.len, 0);
    }
    if (!unhex(md, v.md) || v.md.size() != 32) {
      std::fprintf(stderr, "%s: bad md\n", path.c_str());
      std::exit(2);
    }
    out.push_back(std::move(v));
    pos = end;
  }
  return out;
}

// XKCP KeccakF-1600-IntermediateValues.txt: per example, the input ("Same, with lanes as 64-bit
// words:") and the state after each round ("After iota:"), 5 rows of 5 lanes, row y, column x.
struct XkcpExample {
  uint64_t input[25];
  uint64_t after_round[24][25];
};

std::vector<XkcpExample> load_xkcp(const std::string& path) {
  std::ifstream f(path);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::vector<XkcpExample> out;
  std::string line;
  int round = 0;
  auto read_lanes = [&](uint64_t* lanes) {
    for (int y = 0; y < 5; y++) {
      std::getline(f, line);
      std::istringstream ls(line);
      for (int x = 0; x < 5; x++) {
        std::string w;
        ls >> w;
        lanes[x + 5 * y] = std::strtoull(w.c_str(), nullptr, 16);
      }
    }
  };
  while (std::getline(f, line)) {
    if (line.rfind("Same, with lanes as 64-bit words:", 0) == 0) {
      out.emplace_back();
      read_lanes(out.back().input);
      round = 0;
    } else if (line.rfind("After iota:", 0) == 0 && !out.empty() && round < 24) {
      read_lanes(out.back().after_round[round++]);
    }
  }
  if (out.size() != 2 || round != 24) {
    std::fprintf(stderr, "%s: expected 2 examples of 24 rounds\n", path.c_str());
    std::exit(2);
  }
  return out;
}

// ---- The device under test -----------------------------------------------------------------

struct Result {
  uint8_t status = 0xff;
  bool has_digest = false;
  Bytes digest;
  uint64_t cycles = 0;  // from the cmd_start clock to the first clock with res_valid
};

class Bench {
 public:
  explicit Bench(VerilatedContext* ctx) : top_(new Vkeccak_unit(ctx)), rng_(0x12345678u) {
    top_->clk = 0;
    top_->rst = 1;
    top_->cmd_start = 0;
    top_->s_valid = 0;
    top_->res_ack = 0;
    for (int i = 0; i < 4; i++) tick();
    top_->rst = 0;
    tick();
    perms_ = hashes_ = 0;
  }
  ~Bench() {
    top_->final();
    delete top_;
  }

  uint64_t cycle() const { return cycle_; }
  uint64_t perms() const { return perms_; }
  uint64_t steps() const { return steps_; }
  uint64_t hashes() const { return hashes_; }
  uint64_t busy_cycles() const { return busy_; }
  Vkeccak_unit* top() { return top_; }

  // One clock: inputs are already set (and evaluated with clk low when `evaluated`); count the
  // pulses sampled by this edge, then raise and lower the clock. Two evals per clock.
  void tick(bool evaluated = false) {
    if (!evaluated) top_->eval();
    perms_ += top_->perm_done;
    steps_ += top_->perm_step;
    hashes_ += top_->hash_done;
    busy_ += top_->busy;
    top_->clk = 1;
    top_->eval();
    top_->clk = 0;
    cycle_++;
  }

  uint32_t rand() {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    return rng_;
  }

  // Sends one KECCAK frame. len_override replaces LEN (the payload then holds that many bytes
  // of header + data, as far as they go). stall: random gaps on s_valid and a late res_ack.
  Result chunk(uint32_t offset, bool final, const uint8_t* data, size_t n, int len_override = -1,
               bool stall = false) {
    size_t len = len_override >= 0 ? size_t(len_override) : 8 + n;
    size_t nwords = (len + 7) / 8;
    std::vector<uint64_t> words(nwords);
    for (size_t w = 0; w < nwords; w++) {
      uint64_t v = 0;
      for (int b = 0; b < 8; b++) {
        size_t i = 8 * w + b;  // payload byte
        uint8_t byte;
        if (i >= len) {
          byte = uint8_t(rand());  // past the payload: garbage the unit must ignore
        } else if (i < 8) {
          byte = i < 4 ? uint8_t(offset >> (8 * i)) : i == 4 ? uint8_t(final ? 1 : 0) : 0;
        } else {
          byte = i - 8 < n ? data[i - 8] : uint8_t(rand());
        }
        v |= uint64_t(byte) << (8 * b);
      }
      words[w] = v;
    }

    Result r;
    top_->cmd_start = 1;
    top_->cmd_len = uint16_t(len);
    top_->s_valid = 0;
    tick();
    top_->cmd_start = 0;
    uint64_t start = cycle_ - 1;
    size_t idx = 0;
    for (uint64_t guard = 0;; guard++) {
      if (guard > 100000) {
        fail("no result within 100000 cycles");
        return r;
      }
      bool offer = idx < nwords && !(stall && rand() % 3 == 0);
      top_->s_valid = offer;
      top_->s_word = offer ? words[idx] : 0xdeadbeefdeadbeefULL;
      top_->eval();
      if (top_->res_valid) break;
      bool take = offer && top_->s_ready;
      tick(true);
      if (take) idx++;
    }
    r.cycles = cycle_ - start;
    r.status = top_->res_status;
    r.has_digest = top_->res_has_digest;
    r.digest.resize(32);
    for (int i = 0; i < 32; i++) r.digest[i] = uint8_t(top_->res_digest[i / 4] >> (8 * (i % 4)));
    // Accepted chunks take every word before answering; rejected ones only the header (none
    // when LEN < 8 leaves no header or LEN > maxPayload).
    size_t want = r.status == kStatusOk ? nwords : (len < 8 || len > 4096 ? 0 : 1);
    if (idx != want) {
      fail("took " + std::to_string(idx) + " of " + std::to_string(nwords) +
           " words before res_valid (expected " + std::to_string(want) + ")");
    }
    top_->s_valid = 0;
    if (stall) {
      // The result must hold until it is acknowledged.
      for (uint32_t d = rand() % 8; d > 0; d--) {
        tick();
        top_->eval();
        if (!top_->res_valid || top_->res_status != r.status) fail("result not held until res_ack");
      }
    }
    top_->res_ack = 1;
    tick();
    top_->res_ack = 0;
    top_->eval();
    if (top_->res_valid) fail("res_valid still high after res_ack");
    return r;
  }

 private:
  Vkeccak_unit* top_;
  uint32_t rng_;
  uint64_t cycle_ = 0;
  uint64_t perms_ = 0;
  uint64_t steps_ = 0;
  uint64_t hashes_ = 0;
  uint64_t busy_ = 0;
};

// Tracks what the unit must have done, for the pulse counters. A permutation counts when it
// completes: the last permutation of a message that is abandoned (error, or a new message at
// OFFSET 0) stays parked before its last step and never completes.
struct Expect {
  uint64_t perms = 0;
  uint64_t hashes = 0;
  uint64_t open_blocks = 0;  // blocks of the open context

  void abandon() {
#if KECCAK_CORE == 1
    // The compact core has no parked last step: every absorbed block's permutation completes.
    perms += open_blocks;
#else
    if (open_blocks) perms += open_blocks - 1;
#endif
    open_blocks = 0;
  }
  void account(uint32_t offset, bool final, size_t n, uint8_t status) {
    if (status != kStatusOk) {
      abandon();
      return;
    }
    if (offset == 0) abandon();
    if (final) {
      perms += open_blocks + n / kRate + 1;
      hashes++;
      open_blocks = 0;
    } else {
      open_blocks += n / kRate;
    }
  }
};

Expect g_expect;

// A frame with LEN < 8 or LEN > maxPayload: BAD_LENGTH, context discarded.
void send_bad_len(Bench& b, int len, const char* what) {
  Result r = b.chunk(0, true, nullptr, 0, len);
  if (r.status != kStatusBadLength) fail(std::string(what) + ": LEN " + std::to_string(len) + " not BAD_LENGTH");
  g_expect.account(0, true, 0, r.status);
}

Result send_checked(Bench& b, uint32_t offset, bool final, const uint8_t* data, size_t n,
                    uint8_t want_status, bool stall = false, const char* what = "") {
  Result r = b.chunk(offset, final, data, n, -1, stall);
  if (r.status != want_status) {
    fail(std::string(what) + ": status " + std::to_string(r.status) + ", expected " +
         std::to_string(want_status) + " (offset " + std::to_string(offset) + ", " +
         std::to_string(n) + " bytes, final " + std::to_string(final) + ")");
  }
  g_expect.account(offset, final, n, r.status);
  if (r.status == kStatusOk) {
    if (r.has_digest != final) fail(std::string(what) + ": has_digest wrong");
  } else if (r.has_digest) {
    fail(std::string(what) + ": error answer with a digest");
  }
  return r;
}

// Hashes msg as a chunk sequence: sizes[i] bytes per non-final chunk (each a multiple of 136),
// the rest final. Returns the digest (empty on a protocol failure); *last_cycles gets the final
// chunk's cycles.
Bytes hash_chunked(Bench& b, const Bytes& msg, const std::vector<size_t>& sizes, bool stall,
                   uint64_t* last_cycles = nullptr) {
  size_t off = 0;
  for (size_t sz : sizes) {
    Result r = send_checked(b, uint32_t(off), false, msg.data() + off, sz, kStatusOk, stall, "chunk");
    if (r.status != kStatusOk) return {};
    off += sz;
  }
  Result r = send_checked(b, uint32_t(off), true, msg.data() + off, msg.size() - off, kStatusOk,
                          stall, "final chunk");
  if (last_cycles) *last_cycles = r.cycles;
  return r.status == kStatusOk ? r.digest : Bytes{};
}

// Greedy plan: 4,080-byte chunks while more than a final chunk can carry remains.
std::vector<size_t> greedy_plan(size_t len) {
  std::vector<size_t> sizes;
  while (len > kMaxFinalData) {
    sizes.push_back(kMaxChunkData);
    len -= kMaxChunkData;
  }
  return sizes;
}

// Random plan: random whole-block chunks (1..30 blocks), final chunk anything that fits.
std::vector<size_t> random_plan(Bench& b, size_t len) {
  std::vector<size_t> sizes;
  for (;;) {
    size_t blocks_left = len / kRate;
    if (len <= kMaxFinalData && (blocks_left == 0 || b.rand() % 3 == 0)) break;
    size_t max_blocks = blocks_left < 30 ? blocks_left : 30;
    size_t blocks = 1 + b.rand() % max_blocks;
    sizes.push_back(blocks * kRate);
    len -= blocks * kRate;
  }
  return sizes;
}

Bytes random_bytes(Bench& b, size_t n) {
  Bytes m(n);
  for (auto& x : m) x = uint8_t(b.rand());
  return m;
}

// ---- Tests ---------------------------------------------------------------------------------

// Keccak-f[1600] against XKCP: runs a one-block message, but replaces the state with the XKCP
// input in the first clock of the permutation and checks every round's output. Returns the
// cycles the permutation took (clocks with perm_active).
#if KECCAK_CORE == 0
uint64_t test_xkcp(Bench& b, const std::vector<XkcpExample>& xs) {
  // Reference first: if it disagrees with XKCP nothing else can be trusted.
  for (const auto& x : xs) {
    uint64_t a[25];
    std::memcpy(a, x.input, sizeof a);
    for (int r = 0; r < 24; r++) {
      ref_round(a, r);
      if (std::memcmp(a, x.after_round[r], sizeof a)) fail("reference round " + std::to_string(r));
    }
  }

  Vkeccak_unit___024root* root = b.top()->rootp;
  auto& state = root->SPONGE_VAR(state_reg);
  auto lane = [&](int i) { return uint64_t(state[2 * i]) | uint64_t(state[2 * i + 1]) << 32; };
  uint64_t perm_cycles = 0;
  for (size_t e = 0; e < xs.size(); e++) {
    Vkeccak_unit* top = b.top();
    // An empty final chunk: one padding block, then one permutation.
    uint64_t header = uint64_t(1) << 32;  // OFFSET 0, FLAGS FINAL
    top->cmd_start = 1;
    top->cmd_len = 8;
    top->s_valid = 0;
    b.tick();
    top->cmd_start = 0;
    top->s_valid = 1;
    top->s_word = header;
    b.tick();  // header taken (the unit is idle, s_ready is high in STATE_HEADER)
    top->s_valid = 0;
    int guard = 0;
    // The first clock of the block's permutation: running from round 0, past init's fresh step.
    while (!(root->SPONGE_VAR(perm_active_reg) &&
             root->SPONGE_VAR(round_reg) == 0 &&
             !root->SPONGE_VAR(fresh_reg))) {
      if (++guard > 100) {
        fail("xkcp: permutation did not start");
        return 0;
      }
      b.tick();
      top->eval();
    }
    for (int i = 0; i < 25; i++) {
      state[2 * i] = uint32_t(xs[e].input[i]);
      state[2 * i + 1] = uint32_t(xs[e].input[i] >> 32);
    }
    top->eval();
    uint64_t cycles = 0;
    const int steps = 24 / ROUNDS_PER_CLK;
    for (int s = 0; s < steps; s++) {
      b.tick();
      cycles++;
      top->eval();
      int round = ROUNDS_PER_CLK * (s + 1) - 1;
      for (int i = 0; i < 25; i++) {
        if (lane(i) != xs[e].after_round[round][i]) {
          fail("xkcp example " + std::to_string(e) + " round " + std::to_string(round) + " lane " +
               std::to_string(i));
          break;
        }
      }
    }
    if (root->SPONGE_VAR(perm_active_reg)) fail("xkcp: permutation still active");
    perm_cycles = cycles;
    // The unit answers with the permutation output as the digest.
    guard = 0;
    while (!top->res_valid && ++guard < 10) {
      b.tick();
      top->eval();
    }
    if (!top->res_valid || top->res_status != kStatusOk || !top->res_has_digest) {
      fail("xkcp: no digest answer");
    } else {
      for (int i = 0; i < 4; i++) {
        uint64_t got = uint64_t(top->res_digest[2 * i]) | uint64_t(top->res_digest[2 * i + 1]) << 32;
        if (got != xs[e].after_round[23][i]) fail("xkcp: digest port lane " + std::to_string(i));
      }
    }
    top->res_ack = 1;
    b.tick();
    top->res_ack = 0;
    g_expect.account(0, true, 0, kStatusOk);
  }
  return perm_cycles;
}

#else
// The compact core: one empty message (one block, one permutation); the permutation's length
// is the perm_step clocks it took, which must be the same for every permutation.
uint64_t test_compact_permutation(Bench& b) {
  uint64_t steps0 = b.steps(), perms0 = b.perms();
  Result r = b.chunk(0, true, nullptr, 0);
  g_expect.account(0, true, 0, r.status);
  if (r.status != kStatusOk || !r.has_digest) fail("compact: no digest for the empty message");
  if (b.perms() - perms0 != 1) fail("compact: the empty message took other than one permutation");
  return b.steps() - steps0;
}
#endif

void check_digest(const Bytes& got, const Bytes& want, const std::string& what) {
  if (got != want) {
    fail(what + ": digest " + (got.empty() ? std::string("(none)") : hex(got.data(), got.size())) +
         " expected " + hex(want.data(), want.size()));
  }
}

void test_errors(Bench& b) {
  Bytes m = random_bytes(b, 3000);
  Bytes want = ref_keccak256(m);
  auto good = [&](const char* what) {
    check_digest(hash_chunked(b, m, {1360, 272}, false), want, what);
  };

  // LEN < 8: no header at all.
  for (int len = 0; len < 8; len++) send_bad_len(b, len, "no header");
  good("after LEN < 8");
  // LEN above maxPayload (the framer never passes one, but the unit must not misbehave).
  send_bad_len(b, 4097, "oversize");
  // Non-final chunks that are not a positive whole number of blocks (<= 4080 bytes).
  for (size_t n : {size_t(0), size_t(1), size_t(8), size_t(100), size_t(135), size_t(137),
                   size_t(271), size_t(4000), size_t(4088)}) {
    send_checked(b, 0, false, m.data(), n, kStatusBadLength, false, "bad non-final length");
  }
  good("after bad lengths");
  // OFFSET > 0 with no open context.
  send_checked(b, 136, false, m.data(), 136, kStatusSequence, false, "offset without context");
  send_checked(b, 136, true, m.data(), 10, kStatusSequence, false, "final offset without context");
  good("after sequence errors");
  // A wrong offset mid-message discards the context: the right continuation then fails too.
  send_checked(b, 0, false, m.data(), 272, kStatusOk, false, "first chunk");
  send_checked(b, 136, false, m.data() + 136, 136, kStatusSequence, false, "wrong offset");
  send_checked(b, 272, true, m.data() + 272, 100, kStatusSequence, false, "after discard");
  good("after mid-message sequence error");
  // A bad length mid-message discards the context as well.
  send_checked(b, 0, false, m.data(), 272, kStatusOk, false, "first chunk");
  send_checked(b, 272, false, m.data() + 272, 200, kStatusBadLength, false, "bad length mid-message");
  send_checked(b, 272, true, m.data() + 272, 100, kStatusSequence, false, "after bad length");
  // LEN < 8 mid-message, too.
  send_checked(b, 0, false, m.data(), 136, kStatusOk, false, "first chunk");
  send_bad_len(b, 5, "mid-message");
  send_checked(b, 136, true, m.data() + 136, 10, kStatusSequence, false, "after LEN 5");
  good("after mid-message bad length");
  // A finished message cannot be continued.
  check_digest(hash_chunked(b, m, {}, false), want, "one chunk");
  send_checked(b, uint32_t(m.size()), true, m.data(), 10, kStatusSequence, false, "after final");
  // Abandoning a message whose last permutation is still running: the new message waits for it.
  send_checked(b, 0, false, m.data(), 2720, kStatusOk, false, "abandoned");
  check_digest(hash_chunked(b, m, {}, false), want, "after abandoning");
  // OFFSET 0 restarts even with an open context.
  send_checked(b, 0, false, m.data(), 1360, kStatusOk, false, "restart 1");
  good("restart from offset 0");
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : "/work/shared/vectors";
  auto ctx = std::make_unique<VerilatedContext>();
  Bench b(ctx.get());
#if KECCAK_CORE == 0
  std::printf("keccak_unit_tb: ROUNDS_PER_CLK=%d\n", ROUNDS_PER_CLK);

  // 1. The permutation.
  auto xkcp = load_xkcp(dir + "/keccak/XKCP_KeccakF-1600-IntermediateValues.txt");
  uint64_t perm_cycles = test_xkcp(b, xkcp);
  std::printf("  XKCP Keccak-f[1600] per-round values: 2 examples checked\n");
#else
  std::printf("keccak_unit_tb: KECCAK_CORE=1\n");
  uint64_t perm_cycles = test_compact_permutation(b);
#endif

  // 2. KAT vectors, single chunk where they fit, else greedy 4080-byte chunks.
  auto kat = load_vectors(dir + "/keccak/keccak256_kat_bytealigned.json", false);
  int kat_ok = 0;
  for (const auto& v : kat) {
    if (ref_keccak256(v.msg) != v.md) fail("reference disagrees with KAT len " + std::to_string(v.len));
    Bytes got = hash_chunked(b, v.msg, greedy_plan(v.len), false);
    check_digest(got, v.md, "KAT len " + std::to_string(v.len));
    kat_ok += got == v.md;
  }
  std::printf("  KAT: %d/%zu\n", kat_ok, kat.size());
  // ... and again in random chunk plans, with stalls.
  for (const auto& v : kat) {
    if (v.len < 300 && v.len % 7) continue;
    check_digest(hash_chunked(b, v.msg, random_plan(b, v.len), true), v.md,
                 "KAT (random plan, stalls) len " + std::to_string(v.len));
  }

  // 3. ethereum/tests zero-byte vectors; the 1 MiB one gives the per-block figure and speed.
  auto zero = load_vectors(dir + "/keccak/ethtests_sha3_opcode_zero_vectors.json", true);
  double block_cycles = 0, sim_speed = 0;
  for (const auto& v : zero) {
    auto plan = greedy_plan(v.len);
    uint64_t c0 = b.cycle();
    std::clock_t t0 = std::clock();  // process CPU time: other jobs on the machine do not count
    Bytes got = hash_chunked(b, v.msg, plan, false);
    double secs = double(std::clock() - t0) / CLOCKS_PER_SEC;
    check_digest(got, v.md, "zero vector len " + std::to_string(v.len));
    if (v.len > 1000000) {
      uint64_t blocks = v.len / kRate + 1;
      block_cycles = double(b.cycle() - c0) / double(blocks);
      sim_speed = double(b.cycle() - c0) / secs;
      std::printf("  %zu zero bytes: %zu chunks, %llu blocks, %llu cycles\n", v.len, plan.size() + 1,
                  (unsigned long long)blocks, (unsigned long long)(b.cycle() - c0));
    }
  }
  std::printf("  ethereum/tests zero vectors: %zu checked\n", zero.size());

  // 4. Random messages in random chunk plans against the reference; every other with stalls.
  for (int i = 0; i < 150; i++) {
    size_t len = i < 40 ? size_t(i) * 34 : b.rand() % 12000;
    Bytes m = random_bytes(b, len);
    check_digest(hash_chunked(b, m, random_plan(b, len), i % 2), ref_keccak256(m),
                 "random len " + std::to_string(len));
  }
  std::printf("  random messages: 150 checked\n");

  // 5. Errors, each followed by good messages.
  test_errors(b);
  std::printf("  error cases checked\n");

  // 6. Cycle figures for single chunks.
  uint64_t single[4];
  const size_t sizes[4] = {32, 64, 136, 1024};
  for (int i = 0; i < 4; i++) {
    Bytes m = random_bytes(b, sizes[i]);
    check_digest(hash_chunked(b, m, {}, false, &single[i]), ref_keccak256(m), "timing message");
  }

  if (b.perms() != g_expect.perms) {
    fail("perm_done pulses " + std::to_string(b.perms()) + ", expected " + std::to_string(g_expect.perms));
  }
#if KECCAK_CORE == 1
  if (b.steps() != perm_cycles * b.perms()) {
    fail("perm_step clocks " + std::to_string(b.steps()) + " are not " + std::to_string(perm_cycles) +
         " per permutation");
  }
#endif
  if (b.hashes() != g_expect.hashes) {
    fail("hash_done pulses " + std::to_string(b.hashes()) + ", expected " + std::to_string(g_expect.hashes));
  }
  std::printf("  counters: %llu permutations, %llu digests, %llu busy of %llu cycles\n",
              (unsigned long long)b.perms(), (unsigned long long)b.hashes(),
              (unsigned long long)b.busy_cycles(), (unsigned long long)b.cycle());

  std::printf("  cycles: permutation %llu; single chunk (cmd_start to res_valid) 32 B %llu, 64 B %llu, "
              "136 B %llu, 1024 B %llu; 1 MiB message %.2f per block\n",
              (unsigned long long)perm_cycles, (unsigned long long)single[0],
              (unsigned long long)single[1], (unsigned long long)single[2],
              (unsigned long long)single[3], block_cycles);
  std::printf("  simulation speed (1 MiB message, bench included, CPU time): %.2f M cycles/s\n",
              sim_speed / 1e6);

#if KECCAK_CORE == 1
  if (g_failures) {
    std::printf("keccak_unit_tb: KECCAK_CORE=1 FAILED (%d)\n", g_failures);
    return 1;
  }
  std::printf("keccak_unit_tb: KECCAK_CORE=1 PASS\n");
  return 0;
#endif
  if (g_failures) {
    std::printf("keccak_unit_tb: ROUNDS_PER_CLK=%d FAILED (%d)\n", ROUNDS_PER_CLK, g_failures);
    return 1;
  }
  std::printf("keccak_unit_tb: ROUNDS_PER_CLK=%d PASS\n", ROUNDS_PER_CLK);
  return 0;
}
