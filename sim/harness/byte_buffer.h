// A fixed-capacity FIFO of bytes between the host link (system calls, in bulk) and the simulated
// device (one byte per clock at most). The device side touches only `front/pop/push`, which are
// inline and branch-light, so the per-cycle cost stays at a couple of loads and stores; the host
// side appends or drains whole spans with read(2)/write(2) straight into the storage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace sim {

class ByteBuffer {
 public:
  explicit ByteBuffer(size_t capacity) : data_(capacity) {}

  bool empty() const { return head_ == tail_; }
  size_t size() const { return tail_ - head_; }
  /** Bytes that can still be appended (after compaction). */
  size_t free() const { return data_.size() - size(); }

  // ---- device side (hot path) ----
  uint8_t front() const { return data_[head_]; }
  void pop() {
    if (++head_ == tail_) head_ = tail_ = 0;  // rewind when drained: spans stay contiguous
  }
  /** Appends one byte; the caller checks free() first (the design is back-pressured instead). */
  void push(uint8_t b) {
    if (tail_ == data_.size()) compact();
    data_[tail_++] = b;
  }

  // ---- host side (bulk) ----
  /** Contiguous writable span at the end, compacting first so all free space is usable. */
  uint8_t* write_ptr() {
    if (head_ != 0) compact();
    return data_.data() + tail_;
  }
  size_t write_room() const { return data_.size() - tail_; }
  void commit(size_t n) { tail_ += n; }
  /** Contiguous readable span at the front. */
  const uint8_t* read_ptr() const { return data_.data() + head_; }
  void consume(size_t n) {
    head_ += n;
    if (head_ == tail_) head_ = tail_ = 0;
  }
  void clear() { head_ = tail_ = 0; }

 private:
  void compact() {
    if (head_ == 0) return;
    std::memmove(data_.data(), data_.data() + head_, tail_ - head_);
    tail_ -= head_;
    head_ = 0;
  }

  std::vector<uint8_t> data_;
  size_t head_ = 0;
  size_t tail_ = 0;
};

}  // namespace sim
