// Unit test bench for hdl/evm/evm_alu.sv (and through it evm_mul, evm_div, evm_lzc), and for the
// compact datapath hdl/evm/evm_alu_compact.sv (built with -DEVM_DATAPATH_COMPACT and Verilator's
// --prefix Vevm_alu, so the same bench drives it through the same ports).
//
//   evm_alu_tb [vector-dir] [random-cases-per-opcode]
//
// vector-dir defaults to /work/shared/vectors (CI passes ../shared/vectors); the random count to
// 1000 per opcode (25 opcodes). Built by run_evm_alu_tb.sh with -DMUL_LIMB_BITS=<the parameter>
// (16 for the compact datapath, whose multiplier takes 16 bits of y per cycle).
// Checks, all fatal on mismatch (exit status 1):
//   - go-ethereum's 21 operand tables (evm-alu/geth_testcases/testcases_*.json, 81 cases each) and
//     its inline BYTE/SHL/SHR/SAR/ADDMOD tables (evm-alu/geth_inline_tables.json). In geth's
//     tables Y is the top of the stack: A = Y, B = X (ADDMOD: A = x, B = y, C = z);
//   - the C++ reference model below (64-bit limbs, unsigned __int128 products, Knuth's algorithm
//     D for division; the model itself is checked against the geth tables and q*d + r = n) on
//     random operands drawn from edge values (0, 1, 2, 2^255, 2^255-1, 2^256-1, powers of two
//     +-1, small and small negative values) and random bit lengths (random quotient sizes),
//     for all 25 opcodes, plus directed worst cases;
//   - every one of the 231 other opcode bytes: result 0, m_unknown_op, 1 cycle;
//   - the handshake: m_cycles equals the cycles counted from acceptance to m_valid, the result
//     holds while m_ready is low, and s_valid offered while busy is never taken;
//   - the latency goals: MUL 256/MUL_LIMB_BITS + 2 (6 at 64), DIV/SDIV/MOD/SMOD <= 40 when the quotient fits 64 bits and
//     <= 140 always, MULMOD <= 300;
//   - compact datapath: instead of those goals, every operation's m_cycles against the latency
//     formula of evm_alu_compact.sv (compact_cycles below), exactly.
// Prints min/median/max cycles per opcode and the simulation speed.

#include "Vevm_alu.h"
#include "verilated.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#ifndef MUL_LIMB_BITS
#error "build with -DMUL_LIMB_BITS=<the RTL parameter>"
#endif

namespace {

using u128 = unsigned __int128;

int g_failures = 0;

void fail(const std::string& what) {
  std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  if (++g_failures >= 10) {
    std::fprintf(stderr, "too many failures, stopping\n");
    std::exit(1);
  }
}

// ------------------------------------------------------------------ 256-bit reference model
struct U256 {
  uint64_t w[4] = {0, 0, 0, 0};  // little-endian limbs
  bool operator==(const U256& o) const { return std::memcmp(w, o.w, sizeof w) == 0; }
  bool operator!=(const U256& o) const { return !(*this == o); }
};

U256 u(uint64_t v) {
  U256 r;
  r.w[0] = v;
  return r;
}

std::string hex(const U256& v) {
  char buf[80];
  std::snprintf(buf, sizeof buf, "%016llx%016llx%016llx%016llx", (unsigned long long)v.w[3],
                (unsigned long long)v.w[2], (unsigned long long)v.w[1], (unsigned long long)v.w[0]);
  return buf;
}

bool parse_hex(const std::string& s, U256& out) {
  out = U256{};
  if (s.empty() || s.size() > 64) return false;
  for (char ch : s) {
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
    else if (ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
    else return false;
    for (int i = 3; i > 0; i--) out.w[i] = (out.w[i] << 4) | (out.w[i - 1] >> 60);
    out.w[0] = (out.w[0] << 4) | uint64_t(d);
  }
  return true;
}

bool is_zero(const U256& a) { return (a.w[0] | a.w[1] | a.w[2] | a.w[3]) == 0; }
bool neg(const U256& a) { return a.w[3] >> 63; }

int cmp(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; i--)
    if (a.w[i] != b.w[i]) return a.w[i] < b.w[i] ? -1 : 1;
  return 0;
}

U256 add(const U256& a, const U256& b, uint64_t* carry_out = nullptr) {
  U256 r;
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += u128(a.w[i]) + b.w[i];
    r.w[i] = uint64_t(c);
    c >>= 64;
  }
  if (carry_out) *carry_out = uint64_t(c);
  return r;
}

U256 bnot(const U256& a) {
  U256 r;
  for (int i = 0; i < 4; i++) r.w[i] = ~a.w[i];
  return r;
}

U256 sub(const U256& a, const U256& b) { return add(add(a, bnot(b)), u(1)); }
U256 negate(const U256& a) { return sub(U256{}, a); }

// Full 512-bit product, 8 little-endian limbs (schoolbook, 128-bit partial products).
void mul_full(const U256& a, const U256& b, uint64_t out[8]) {
  std::memset(out, 0, 8 * sizeof(uint64_t));
  for (int i = 0; i < 4; i++) {
    u128 carry = 0;
    for (int j = 0; j < 4; j++) {
      u128 t = u128(a.w[i]) * b.w[j] + out[i + j] + carry;
      out[i + j] = uint64_t(t);
      carry = t >> 64;
    }
    out[i + 4] = uint64_t(carry);
  }
}

U256 mul_low(const U256& a, const U256& b) {
  uint64_t p[8];
  mul_full(a, b, p);
  U256 r;
  std::memcpy(r.w, p, sizeof r.w);
  return r;
}

// Knuth's algorithm D (after Hacker's Delight divmnu) on 64-bit digits: u (m digits) by v (n
// digits, v[n-1] != 0, m >= n) -> q (m-n+1 digits), r (n digits).
void divmnu(uint64_t* q, uint64_t* r, const uint64_t* uu, const uint64_t* v, int m, int n) {
  if (n == 1) {
    u128 k = 0;
    for (int j = m - 1; j >= 0; j--) {
      u128 cur = (k << 64) | uu[j];
      q[j] = uint64_t(cur / v[0]);
      k = cur % v[0];
    }
    r[0] = uint64_t(k);
    return;
  }
  const u128 b = u128(1) << 64;
  int s = __builtin_clzll(v[n - 1]);
  std::vector<uint64_t> vn(n), un(m + 1);
  for (int i = n - 1; i > 0; i--) vn[i] = (v[i] << s) | (s ? v[i - 1] >> (64 - s) : 0);
  vn[0] = v[0] << s;
  un[m] = s ? uu[m - 1] >> (64 - s) : 0;
  for (int i = m - 1; i > 0; i--) un[i] = (uu[i] << s) | (s ? uu[i - 1] >> (64 - s) : 0);
  un[0] = uu[0] << s;
  for (int j = m - n; j >= 0; j--) {
    u128 num = (u128(un[j + n]) << 64) | un[j + n - 1];
    u128 qhat = num / vn[n - 1];
    u128 rhat = num % vn[n - 1];
    while (qhat >= b || qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2])) {
      qhat--;
      rhat += vn[n - 1];
      if (rhat >= b) break;
    }
    uint64_t borrow = 0, carry = 0;
    for (int i = 0; i < n; i++) {
      u128 p = qhat * vn[i] + carry;
      carry = uint64_t(p >> 64);
      uint64_t plo = uint64_t(p), x = un[i + j];
      uint64_t d1 = x - plo, b1 = x < plo;
      uint64_t d2 = d1 - borrow, b2 = d1 < borrow;
      un[i + j] = d2;
      borrow = b1 + b2;
    }
    uint64_t x = un[j + n];
    uint64_t d1 = x - carry, b1 = x < carry;
    uint64_t d2 = d1 - borrow, b2 = d1 < borrow;
    un[j + n] = d2;
    q[j] = uint64_t(qhat);
    if (b1 | b2) {  // qhat was one too large: add the divisor back
      q[j]--;
      u128 c = 0;
      for (int i = 0; i < n; i++) {
        c += u128(un[i + j]) + vn[i];
        un[i + j] = uint64_t(c);
        c >>= 64;
      }
      un[j + n] += uint64_t(c);
    }
  }
  for (int i = 0; i < n - 1; i++) r[i] = (un[i] >> s) | (s ? un[i + 1] << (64 - s) : 0);
  r[n - 1] = un[n - 1] >> s;
}

// n (nl limbs, little-endian) divided by d: low 256 bits of the quotient and the remainder;
// both 0 for d == 0 (the EVM's rule).
void divmod(const uint64_t* n, int nl, const U256& d, U256& q, U256& r) {
  q = U256{};
  r = U256{};
  int dl = 4;
  while (dl > 0 && d.w[dl - 1] == 0) dl--;
  if (dl == 0) return;
  int m = nl;
  while (m > 0 && n[m - 1] == 0) m--;
  if (m < dl) {  // dividend < divisor
    for (int i = 0; i < m; i++) r.w[i] = n[i];
    return;
  }
  uint64_t qq[8] = {0}, rr[4] = {0};
  divmnu(qq, rr, n, d.w, m, dl);
  std::memcpy(q.w, qq, sizeof q.w);
  std::memcpy(r.w, rr, sizeof r.w);
}

void divmod256(const U256& a, const U256& b, U256& q, U256& r) { divmod(a.w, 4, b, q, r); }

U256 shl(const U256& a, unsigned n) {
  U256 r;
  if (n >= 256) return r;
  unsigned limbs = n / 64, bits = n % 64;
  for (int i = 3; i >= int(limbs); i--) {
    r.w[i] = a.w[i - limbs] << bits;
    if (bits && i - int(limbs) - 1 >= 0) r.w[i] |= a.w[i - limbs - 1] >> (64 - bits);
  }
  return r;
}

U256 shr(const U256& a, unsigned n) {
  U256 r;
  if (n >= 256) return r;
  unsigned limbs = n / 64, bits = n % 64;
  for (int i = 0; i + int(limbs) < 4; i++) {
    r.w[i] = a.w[i + limbs] >> bits;
    if (bits && i + limbs + 1 < 4) r.w[i] |= a.w[i + limbs + 1] << (64 - bits);
  }
  return r;
}

unsigned small_or_256(const U256& a) {  // a as a shift amount: 256 if a >= 256
  if (a.w[1] | a.w[2] | a.w[3] || a.w[0] >= 256) return 256;
  return unsigned(a.w[0]);
}

enum Op : uint8_t {
  ADD = 0x01, MUL = 0x02, SUB = 0x03, DIV = 0x04, SDIV = 0x05, MOD = 0x06, SMOD = 0x07,
  ADDMOD = 0x08, MULMOD = 0x09, EXP = 0x0a, SIGNEXTEND = 0x0b, LT = 0x10, GT = 0x11,
  SLT = 0x12, SGT = 0x13, EQ = 0x14, ISZERO = 0x15, AND = 0x16, OR = 0x17, XOR = 0x18,
  NOT = 0x19, BYTE = 0x1a, SHL = 0x1b, SHR = 0x1c, SAR = 0x1d,
};

const std::vector<std::pair<uint8_t, const char*>> kOps = {
    {ADD, "ADD"}, {MUL, "MUL"}, {SUB, "SUB"}, {DIV, "DIV"}, {SDIV, "SDIV"}, {MOD, "MOD"},
    {SMOD, "SMOD"}, {ADDMOD, "ADDMOD"}, {MULMOD, "MULMOD"}, {EXP, "EXP"},
    {SIGNEXTEND, "SIGNEXTEND"}, {LT, "LT"}, {GT, "GT"}, {SLT, "SLT"}, {SGT, "SGT"}, {EQ, "EQ"},
    {ISZERO, "ISZERO"}, {AND, "AND"}, {OR, "OR"}, {XOR, "XOR"}, {NOT, "NOT"}, {BYTE, "BYTE"},
    {SHL, "SHL"}, {SHR, "SHR"}, {SAR, "SAR"},
};

const char* op_name(uint8_t op) {
  for (auto& p : kOps)
    if (p.first == op) return p.second;
  return "?";
}

bool known(uint8_t op) {
  for (auto& p : kOps)
    if (p.first == op) return true;
  return false;
}

U256 model(uint8_t op, const U256& a, const U256& b, const U256& c) {
  U256 q, r;
  switch (op) {
    case ADD: return add(a, b);
    case MUL: return mul_low(a, b);
    case SUB: return sub(a, b);
    case DIV: divmod256(a, b, q, r); return q;
    case MOD: divmod256(a, b, q, r); return r;
    case SDIV: {
      divmod256(neg(a) ? negate(a) : a, neg(b) ? negate(b) : b, q, r);
      return neg(a) != neg(b) ? negate(q) : q;
    }
    case SMOD: {
      divmod256(neg(a) ? negate(a) : a, neg(b) ? negate(b) : b, q, r);
      return neg(a) ? negate(r) : r;
    }
    case ADDMOD: {
      uint64_t n[5], carry;
      U256 s = add(a, b, &carry);
      std::memcpy(n, s.w, sizeof s.w);
      n[4] = carry;
      divmod(n, 5, c, q, r);
      return r;
    }
    case MULMOD: {
      uint64_t n[8];
      mul_full(a, b, n);
      divmod(n, 8, c, q, r);
      return r;
    }
    case EXP: {  // right to left, unlike the RTL
      U256 result = u(1), base = a, e = b;
      while (!is_zero(e)) {
        if (e.w[0] & 1) result = mul_low(result, base);
        base = mul_low(base, base);
        e = shr(e, 1);
      }
      return result;
    }
    case SIGNEXTEND: {
      unsigned k = small_or_256(a);
      if (k >= 31) return b;
      unsigned bit = 8 * k + 7;
      U256 mask = sub(shl(u(1), bit + 1), u(1));
      U256 r2 = b;
      bool sign = (b.w[bit / 64] >> (bit % 64)) & 1;
      for (int i = 0; i < 4; i++) r2.w[i] = sign ? (b.w[i] | ~mask.w[i]) : (b.w[i] & mask.w[i]);
      return r2;
    }
    case LT: return u(cmp(a, b) < 0);
    case GT: return u(cmp(a, b) > 0);
    case SLT: return u(neg(a) != neg(b) ? neg(a) : cmp(a, b) < 0);
    case SGT: return u(neg(a) != neg(b) ? neg(b) : cmp(a, b) > 0);
    case EQ: return u(a == b);
    case ISZERO: return u(is_zero(a));
    case AND: { U256 r2; for (int i = 0; i < 4; i++) r2.w[i] = a.w[i] & b.w[i]; return r2; }
    case OR: { U256 r2; for (int i = 0; i < 4; i++) r2.w[i] = a.w[i] | b.w[i]; return r2; }
    case XOR: { U256 r2; for (int i = 0; i < 4; i++) r2.w[i] = a.w[i] ^ b.w[i]; return r2; }
    case NOT: return bnot(a);
    case BYTE: {
      unsigned k = small_or_256(a);
      if (k >= 32) return U256{};
      return u(shr(b, 8 * (31 - k)).w[0] & 0xff);
    }
    case SHL: return shl(b, small_or_256(a));
    case SHR: return shr(b, small_or_256(a));
    case SAR: {
      unsigned k = small_or_256(a);
      if (!neg(b)) return shr(b, k);
      return bnot(shr(bnot(b), k));  // floor division by 2^k of a negative value
    }
    default: return U256{};
  }
}

// ------------------------------------------------------------------ compact datapath latency
unsigned bit_length(const U256& v) {
  for (int i = 3; i >= 0; i--)
    if (v.w[i]) return 64 * i + 64 - __builtin_clzll(v.w[i]);
  return 0;
}

// m_cycles of evm_alu_compact for one operation (the formulas in its header comment).
uint32_t compact_cycles(uint8_t op, const U256& a, const U256& b, const U256& c) {
  bool high = (a.w[1] | a.w[2] | a.w[3]) != 0 || (a.w[0] >> 8) != 0;  // A >= 256
  switch (op) {
    case ADD: case SUB: case LT: case GT: case SLT: case SGT: case EQ: case ISZERO:
    case AND: case OR: case XOR: case NOT: case SIGNEXTEND:
      return 2;
    case SHL: case SHR: case SAR:
      if (high || a.w[0] == 0) return 2;
      return op == SHL ? 19 : 20;
    case BYTE:
      return small_or_256(a) >= 31 ? 2 : 20;
    case MUL:
      return 19;
    case DIV: case SDIV: case MOD: case SMOD: case ADDMOD: {
      bool sgn = op == SDIV || op == SMOD;
      U256 d = op == ADDMOD ? c : (sgn && neg(b) ? negate(b) : b);
      unsigned dl = bit_length(d);
      if (dl == 0 || (op == ADDMOD && dl == 1)) return 5;
      unsigned nl;
      if (op == ADDMOD) {
        uint64_t carry;
        U256 s = add(a, b, &carry);
        nl = carry ? 257 : bit_length(s);
      } else {
        nl = bit_length(sgn && neg(a) ? negate(a) : a);
      }
      unsigned k = nl >= dl ? nl - dl + 1 : 1;
      return 23 + k;
    }
    case MULMOD:
      return bit_length(c) <= 1 ? 21 : 534;
    case EXP: {
      unsigned len = bit_length(b);
      if (len <= 1) return 4;
      unsigned ones = 0;
      for (auto w : b.w) ones += __builtin_popcountll(w);
      return 5 + 17 * ((len - 1) + (ones - 1));
    }
    default:
      return 1;
  }
}

// ------------------------------------------------------------------ minimal JSON reader
struct Json {
  enum Kind { Null, Str, Num, Arr, Obj } kind = Null;
  std::string str;
  std::vector<Json> arr;
  std::vector<std::pair<std::string, Json>> obj;
  const Json* get(const std::string& k) const {
    for (auto& p : obj)
      if (p.first == k) return &p.second;
    return nullptr;
  }
};

struct JsonParser {
  const std::string& s;
  size_t i = 0;
  explicit JsonParser(const std::string& src) : s(src) {}
  void ws() { while (i < s.size() && std::strchr(" \t\r\n", s[i])) i++; }
  bool parse(Json& out) {
    ws();
    if (i >= s.size()) return false;
    char ch = s[i];
    if (ch == '"') {
      out.kind = Json::Str;
      i++;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) i++;
        out.str += s[i++];
      }
      i++;
      return true;
    }
    if (ch == '[') {
      out.kind = Json::Arr;
      i++;
      ws();
      if (s[i] == ']') { i++; return true; }
      for (;;) {
        out.arr.emplace_back();
        if (!parse(out.arr.back())) return false;
        ws();
        if (s[i] == ',') { i++; continue; }
        if (s[i] == ']') { i++; return true; }
        return false;
      }
    }
    if (ch == '{') {
      out.kind = Json::Obj;
      i++;
      ws();
      if (s[i] == '}') { i++; return true; }
      for (;;) {
        Json key;
        if (!parse(key) || key.kind != Json::Str) return false;
        ws();
        if (s[i++] != ':') return false;
        out.obj.emplace_back(key.str, Json{});
        if (!parse(out.obj.back().second)) return false;
        ws();
        if (s[i] == ',') { i++; continue; }
        if (s[i] == '}') { i++; return true; }
        return false;
      }
    }
    // number, true, false, null: kept as text
    out.kind = Json::Num;
    while (i < s.size() && !std::strchr(",]} \t\r\n", s[i])) out.str += s[i++];
    return !out.str.empty();
  }
};

bool load_json(const std::string& path, Json& out) {
  std::ifstream f(path);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  JsonParser p(text);
  return p.parse(out);
}

// ------------------------------------------------------------------ the bench
struct Result {
  U256 value;
  uint32_t cycles;
  bool unknown;
};

class Bench {
 public:
  explicit Bench(VerilatedContext* ctx) : top_(new Vevm_alu(ctx)), rng_(0xE7A1u) {
    top_->clk = 0;
    top_->rst = 1;
    top_->s_valid = 0;
    top_->m_ready = 0;
    top_->eval();
    for (int i = 0; i < 4; i++) tick();
    top_->rst = 0;
    top_->eval();
  }
  ~Bench() { top_->final(); }

  uint64_t cycles() const { return cycles_; }

  // One operation through the handshake; checks m_cycles, holding under back-pressure, and
  // that nothing offered while busy is taken.
  Result run(uint8_t op, const U256& a, const U256& b, const U256& c) {
    for (unsigned gap = rng_() % 3; gap > 0; gap--) tick();  // idle cycles between operations
    if (!top_->s_ready) fail("s_ready low while idle");
    top_->s_valid = 1;
    top_->s_op = op;
    set(top_->s_a, a);
    set(top_->s_b, b);
    set(top_->s_c, c);
    tick();
    uint32_t latency = 1;
    bool junk = false;
    for (;;) {
      top_->eval();
      if (top_->m_valid) break;
      // Offer junk now and then: a busy unit must not take it.
      junk = (rng_() & 3) == 0;
      top_->s_valid = junk;
      if (junk) {
        top_->s_op = uint8_t(rng_());
        set(top_->s_a, rand_u256());
        top_->eval();
        if (top_->s_ready) fail(std::string("s_ready high while busy with ") + op_name(op));
      }
      tick();
      if (++latency > 100000) {
        fail(std::string("no result for ") + op_name(op));
        std::exit(1);
      }
    }
    top_->s_valid = 0;
    Result r;
    r.value = get(top_->m_result);
    r.cycles = top_->m_cycles;
    r.unknown = top_->m_unknown_op;
    if (r.cycles != latency) {
      fail(std::string(op_name(op)) + ": m_cycles " + std::to_string(r.cycles) + " but " +
           std::to_string(latency) + " cycles counted");
    }
    // Back-pressure: the result holds while m_ready is low.
    for (unsigned stall = (rng_() % 4 == 0) ? rng_() % 4 : 0; stall > 0; stall--) {
      top_->m_ready = 0;
      tick();
      top_->eval();
      if (!top_->m_valid || get(top_->m_result) != r.value || top_->m_cycles != r.cycles)
        fail(std::string(op_name(op)) + ": result not held under back-pressure");
    }
    top_->m_ready = 1;
    tick();
    top_->m_ready = 0;
    top_->eval();
    if (top_->m_valid) fail("m_valid still high after the handshake");
    return r;
  }

  U256 rand_u256() {
    U256 r;
    for (auto& w : r.w) w = rng64();
    return r;
  }
  uint64_t rng64() { return (uint64_t(rng_()) << 32) | rng_(); }
  std::mt19937& rng() { return rng_; }

 private:
  void tick() {
    top_->clk = 0;
    top_->eval();
    top_->clk = 1;
    top_->eval();
    cycles_++;
  }
  template <typename W>
  static void set(W& port, const U256& v) {
    for (int i = 0; i < 8; i++) port[i] = uint32_t(v.w[i / 2] >> (32 * (i % 2)));
  }
  template <typename W>
  static U256 get(const W& port) {
    U256 v;
    for (int i = 0; i < 8; i++) v.w[i / 2] |= uint64_t(port[i]) << (32 * (i % 2));
    return v;
  }

  std::unique_ptr<Vevm_alu> top_;
  std::mt19937 rng_;
  uint64_t cycles_ = 0;
};

struct Stats {
  std::map<uint8_t, std::vector<uint32_t>> cycles;
  uint32_t div_small_quotient_max = 0;  // DIV/SDIV/MOD/SMOD with |quotient| < 2^64
  uint64_t checked = 0;
};

void check(Bench& bench, Stats& st, uint8_t op, const U256& a, const U256& b, const U256& c,
           const U256& expected, const std::string& where) {
  Result r = bench.run(op, a, b, c);
  st.checked++;
  if (r.value != expected || r.unknown) {
    fail(where + ": " + op_name(op) + " A=" + hex(a) + " B=" + hex(b) + " C=" + hex(c) +
         "\n  got      " + hex(r.value) + (r.unknown ? " (unknown)" : "") + "\n  expected " +
         hex(expected));
  }
  st.cycles[op].push_back(r.cycles);
#ifdef EVM_DATAPATH_COMPACT
  if (r.cycles != compact_cycles(op, a, b, c)) {
    fail(where + ": " + op_name(op) + " A=" + hex(a) + " B=" + hex(b) + " C=" + hex(c) + ": " +
         std::to_string(r.cycles) + " cycles, the compact latency formula says " +
         std::to_string(compact_cycles(op, a, b, c)));
  }
#endif
  if (op == DIV || op == SDIV || op == MOD || op == SMOD) {
    bool sgn = op == SDIV || op == SMOD;
    U256 q, rem;
    divmod256(sgn && neg(a) ? negate(a) : a, sgn && neg(b) ? negate(b) : b, q, rem);
    if ((q.w[1] | q.w[2] | q.w[3]) == 0)
      st.div_small_quotient_max = std::max(st.div_small_quotient_max, r.cycles);
  }
}

// Operand generator: edge values, powers of two +-1, small (and small negative) values, random
// bit lengths and uniform random words.
U256 pick(Bench& bench) {
  auto& rng = bench.rng();
  U256 top_bit = shl(u(1), 255);
  switch (rng() % 8) {
    case 0: {
      const U256 edges[] = {U256{}, u(1), u(2), u(3), top_bit, sub(top_bit, u(1)),
                            add(top_bit, u(1)), bnot(U256{}), bnot(u(1)), u(0xff), u(0x80),
                            shl(u(1), 64), sub(shl(u(1), 64), u(1)), shl(u(1), 128)};
      return edges[rng() % (sizeof edges / sizeof edges[0])];
    }
    case 1: {
      U256 p = shl(u(1), rng() % 256);
      int k = rng() % 3;
      return k == 0 ? p : k == 1 ? add(p, u(1)) : sub(p, u(1));
    }
    case 2: return u(rng() % 300);
    case 3: return negate(u(rng() % 300));
    case 4:
    case 5: {  // random bit length: random quotient sizes in division
      unsigned len = rng() % 257;
      U256 v = bench.rand_u256();
      v = len ? shr(v, 256 - len) : U256{};
      if (len) v.w[(len - 1) / 64] |= uint64_t(1) << ((len - 1) % 64);  // exactly len bits
      return (rng() % 4 == 0) ? negate(v) : v;
    }
    default: return bench.rand_u256();
  }
}

U256 pick_small_index(Bench& bench, unsigned limit) {  // shift amounts, byte indices
  auto& rng = bench.rng();
  return (rng() % 4 == 0) ? pick(bench) : u(rng() % limit);
}

// ------------------------------------------------------------------ test groups
const std::map<std::string, uint8_t> kGethFiles = {
    {"add", ADD}, {"and", AND}, {"byte", BYTE}, {"div", DIV}, {"eq", EQ}, {"exp", EXP},
    {"gt", GT}, {"lt", LT}, {"mod", MOD}, {"mul", MUL}, {"or", OR}, {"sar", SAR},
    {"sdiv", SDIV}, {"sgt", SGT}, {"shl", SHL}, {"shr", SHR}, {"signext", SIGNEXTEND},
    {"slt", SLT}, {"smod", SMOD}, {"sub", SUB}, {"xor", XOR},
};

bool field(const Json& o, const char* k, U256& out) {
  const Json* j = o.get(k);
  return j && j->kind == Json::Str && parse_hex(j->str, out);
}

// Runs a table of {X, Y, Expected} (A = Y, B = X) or {x, y, z, Expected} (A = x, B = y, C = z)
// against the model and the RTL.
size_t run_table(Bench& bench, Stats& st, uint8_t op, const Json& table, const std::string& name) {
  if (table.kind != Json::Arr || table.arr.empty()) {
    fail(name + ": not a non-empty array");
    return 0;
  }
  for (size_t i = 0; i < table.arr.size(); i++) {
    const Json& t = table.arr[i];
    U256 a, b, c, expected;
    bool ok = field(t, "Expected", expected);
    if (t.get("z")) ok = ok && field(t, "x", a) && field(t, "y", b) && field(t, "z", c);
    else ok = ok && field(t, "Y", a) && field(t, "X", b);
    std::string where = name + "[" + std::to_string(i) + "]";
    if (!ok) {
      fail(where + ": bad case");
      continue;
    }
    if (model(op, a, b, c) != expected) fail(where + ": the reference model disagrees");
    check(bench, st, op, a, b, c, expected, where);
  }
  return table.arr.size();
}

void self_check_model(Bench& bench) {
  // q * d + r == n and r < d over random and edge operands, 512-bit dividends included.
  for (int i = 0; i < 20000; i++) {
    U256 x = pick(bench), y = pick(bench), d = pick(bench);
    if (is_zero(d)) d = u(7);
    uint64_t n[8];
    mul_full(x, y, n);
    U256 q, r;
    int nl = (i & 1) ? 8 : 4;
    divmod(n, nl, d, q, r);
    if (cmp(r, d) >= 0) fail("model: remainder >= divisor");
    if (nl == 4) {
      if (add(mul_low(q, d), r) != U256{{n[0], n[1], n[2], n[3]}}) fail("model: q*d + r != n");
      uint64_t p[8];
      mul_full(q, d, p);
      if (p[4] | p[5] | p[6] | p[7]) fail("model: q*d overflows");
    } else {
      // Check n mod d by a second route: ((x mod d) * (y mod d)) mod d.
      U256 xq, xr, yq, yr, q2, r2;
      divmod256(x, d, xq, xr);
      divmod256(y, d, yq, yr);
      uint64_t m[8];
      mul_full(xr, yr, m);
      divmod(m, 8, d, q2, r2);
      if (r2 != r) fail("model: MULMOD disagrees with the reduced-operand route");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string vectors = argc > 1 ? argv[1] : "/work/shared/vectors";
  int per_op = argc > 2 ? std::atoi(argv[2]) : 1000;
  auto ctx = std::make_unique<VerilatedContext>();
  Bench bench(ctx.get());
  Stats st;
  self_check_model(bench);
  auto t0 = std::chrono::steady_clock::now();  // simulation time (the bench's model included)

  // geth's operand tables.
  size_t geth_cases = 0;
  for (auto& f : kGethFiles) {
    std::string path = vectors + "/evm-alu/geth_testcases/testcases_" + f.first + ".json";
    Json j;
    if (!load_json(path, j)) {
      fail("cannot read " + path);
      continue;
    }
    geth_cases += run_table(bench, st, f.second, j, "testcases_" + f.first);
  }
  {
    std::string path = vectors + "/evm-alu/geth_inline_tables.json";
    Json j;
    const Json* tables = nullptr;
    if (!load_json(path, j) || !(tables = j.get("tables"))) {
      fail("cannot read " + path);
    } else {
      const std::map<std::string, uint8_t> names = {
          {"byte", BYTE}, {"shl", SHL}, {"shr", SHR}, {"sar", SAR}, {"addmod", ADDMOD}};
      for (auto& t : tables->obj) {
        auto it = names.find(t.first);
        if (it == names.end()) {
          fail("unexpected inline table " + t.first);
          continue;
        }
        geth_cases += run_table(bench, st, it->second, t.second, "inline " + t.first);
      }
    }
  }
  std::printf("geth tables: %zu cases pass\n", geth_cases);

  // Directed worst cases and quotient-size sweeps.
  U256 ones = bnot(U256{});
  U256 top_bit = shl(u(1), 255);
  size_t directed = 0;
  auto directed_case = [&](uint8_t op, const U256& a, const U256& b, const U256& c) {
    check(bench, st, op, a, b, c, model(op, a, b, c), "directed");
    directed++;
  };
  for (uint8_t op : {DIV, MOD, SDIV, SMOD}) {
    for (unsigned bits = 0; bits <= 256; bits++) {  // quotient of about `bits` bits
      U256 d = add(shr(bench.rand_u256(), 192), u(1));
      U256 n = bits == 256 ? ones : shl(d, bits);
      directed_case(op, n, d, U256{});
      directed_case(op, n, u(1), U256{});
    }
    directed_case(op, ones, u(1), U256{});
    directed_case(op, top_bit, ones, U256{});  // SDIV: -2^255 / -1
    directed_case(op, ones, U256{}, U256{});
  }
  directed_case(MULMOD, ones, ones, u(1));
  directed_case(MULMOD, ones, ones, ones);
  directed_case(MULMOD, ones, ones, U256{});
  directed_case(MULMOD, ones, ones, sub(ones, u(1)));
  directed_case(ADDMOD, ones, ones, u(1));
  directed_case(ADDMOD, ones, ones, U256{});
  directed_case(EXP, u(3), ones, U256{});
  directed_case(EXP, ones, ones, U256{});
  directed_case(EXP, u(2), u(255), U256{});
  directed_case(EXP, u(2), u(256), U256{});
  for (unsigned k = 0; k < 40; k++) {
    directed_case(SHL, u(k * 8), ones, U256{});
    directed_case(SAR, u(k * 8), top_bit, U256{});
    directed_case(SIGNEXTEND, u(k), ones, U256{});
    directed_case(BYTE, u(k), ones, U256{});
  }
  std::printf("directed: %zu cases pass\n", directed);

  // Random differential testing, all 25 opcodes.
  size_t random_cases = 0;
  for (int i = 0; i < per_op; i++) {
    for (auto& p : kOps) {
      uint8_t op = p.first;
      U256 a, b = pick(bench), c = pick(bench);
      switch (op) {
        case SHL: case SHR: case SAR: a = pick_small_index(bench, 300); break;
        case BYTE: case SIGNEXTEND: a = pick_small_index(bench, 40); break;
        default: a = pick(bench);
      }
      check(bench, st, op, a, b, c, model(op, a, b, c), "random");
      random_cases++;
    }
  }
  std::printf("random: %zu cases pass (%d per opcode)\n", random_cases, per_op);

  // Every other opcode byte: result 0, m_unknown_op, latency 1.
  size_t unknown_cases = 0;
  for (int op = 0; op < 256; op++) {
    if (known(uint8_t(op))) continue;
    Result r = bench.run(uint8_t(op), bench.rand_u256(), bench.rand_u256(), bench.rand_u256());
    if (!r.unknown || !is_zero(r.value) || r.cycles != 1)
      fail("opcode 0x" + std::to_string(op) + " not reported unknown with result 0 in 1 cycle");
    unknown_cases++;
  }
  std::printf("unknown opcodes: %zu pass\n", unknown_cases);

  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // Latency table and goals.
#ifdef EVM_DATAPATH_COMPACT
  std::printf("\ncycles per opcode (compact datapath)\n%-11s %6s %6s %6s %6s\n", "opcode", "min",
              "median", "max", "cases");
#else
  std::printf("\ncycles per opcode (MUL_LIMB_BITS=%d)\n%-11s %6s %6s %6s %6s\n", MUL_LIMB_BITS,
              "opcode", "min", "median", "max", "cases");
#endif
  std::map<uint8_t, uint32_t> maxc;
  for (auto& p : kOps) {
    auto v = st.cycles[p.first];
    std::sort(v.begin(), v.end());
    if (v.empty()) continue;
    maxc[p.first] = v.back();
    std::printf("%-11s %6u %6u %6u %6zu\n", p.second, v.front(), v[v.size() / 2], v.back(),
                v.size());
  }
  std::printf("DIV/SDIV/MOD/SMOD with a quotient < 2^64: max %u cycles\n",
              st.div_small_quotient_max);
#ifdef EVM_DATAPATH_COMPACT
  // Every latency was checked against compact_cycles; the worst cases the directed tests reach.
  if (maxc[DIV] != 279 || maxc[MULMOD] != 534 || maxc[EXP] != 8675)
    fail("compact worst cases: DIV " + std::to_string(maxc[DIV]) + " (279), MULMOD " +
         std::to_string(maxc[MULMOD]) + " (534), EXP " + std::to_string(maxc[EXP]) + " (8675)");
#else
  for (uint8_t op : {ADD, SUB, LT, GT, SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, SHL, SHR,
                     SAR, SIGNEXTEND})
    if (maxc[op] != 1) fail(std::string(op_name(op)) + " is not single-cycle");
  // MUL: 256/MUL_LIMB_BITS steps + 2 (the goal, <= 8, holds for 64 and 128).
  if (maxc[MUL] != 256 / MUL_LIMB_BITS + 2) fail("MUL latency is not 256/MUL_LIMB_BITS + 2");
  if (st.div_small_quotient_max > 40) fail("DIV/MOD over 40 cycles with a 64-bit quotient");
  for (uint8_t op : {DIV, SDIV, MOD, SMOD, ADDMOD})
    if (maxc[op] > 140) fail(std::string(op_name(op)) + " over 140 cycles");
  if (maxc[MULMOD] > 300) fail("MULMOD over 300 cycles");
#endif

  std::printf("\n%llu operations, %llu cycles in %.2f s: %.2f M cycles/s\n",
              (unsigned long long)st.checked, (unsigned long long)bench.cycles(), secs,
              bench.cycles() / secs / 1e6);
  if (g_failures) {
    std::printf("FAILED: %d failure(s)\n", g_failures);
    return 1;
  }
  std::printf("evm_alu_tb: all checks pass\n");
  return 0;
}
