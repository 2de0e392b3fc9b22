// Pin-level 8N1 UART models for `--uart bit`: the harness plays the host's UART, so the bytes go
// through the RTL's real receiver and transmitter (synchronisers, bit timing, framing) instead of
// the byte-stream port. Both models advance exactly one design clock per tick(), with the bit
// period fixed at build time (SIM_UART_DIV clocks per bit), as a board's UART at the matched baud
// rate would. Inline because they run inside the per-cycle loop.
#pragma once

#include <cstdint>

#include "byte_buffer.h"

namespace sim {

/** Host → device: serialises bytes onto uart_rxd, start bit, 8 data bits LSB first, stop bit. */
class UartTransmitter {
 public:
  explicit UartTransmitter(uint32_t div) : div_(div) {}

  /** Level to drive on the device's uart_rxd during the coming clock cycle (idle high). */
  uint8_t line() const { return line_; }
  bool idle() const { return bits_left_ == 0; }

  /**
   * Advances one clock. When the line is idle and a byte is waiting, starts its frame at once, so
   * consecutive bytes go out back to back (10 bit periods each) like a real UART's FIFO.
   * Returns true when a byte was taken from `src`.
   */
  bool tick(ByteBuffer& src) {
    if (bits_left_ != 0) {
      if (--count_ != 0) return false;
      shift_ >>= 1;
      if (--bits_left_ != 0) {
        line_ = shift_ & 1u;
        count_ = div_;
        return false;
      }
      // The stop bit has had its full period: fall through and start the next byte without a gap.
    }
    line_ = 1;
    if (src.empty()) return false;
    // Frame bits, LSB first: start (0), 8 data bits, stop (1).
    shift_ = (1u << 9) | (static_cast<uint32_t>(src.front()) << 1);
    src.pop();
    bits_left_ = 10;
    count_ = div_;
    line_ = 0;
    return true;
  }

 private:
  uint32_t div_;
  uint32_t shift_ = 0;
  uint32_t count_ = 0;
  uint32_t bits_left_ = 0;
  uint8_t line_ = 1;
};

/**
 * Device → host: decodes uart_txd. A falling edge on an idle line starts a frame; every bit is
 * sampled in the middle of its period (half a period after the edge, then one period apart), the
 * way a UART receiver with a 16x oversampling clock would. A low stop bit is a framing error: the
 * byte is dropped and counted, and the model waits for the line to return high.
 */
class UartReceiver {
 public:
  explicit UartReceiver(uint32_t div) : div_(div) {}

  bool idle() const { return state_ == kIdle; }
  uint64_t framing_errors() const { return framing_errors_; }

  /** Samples the line for one clock; appends a completed byte to `dst`. Returns true on a byte. */
  bool tick(uint8_t line, ByteBuffer& dst) {
    switch (state_) {
      case kIdle:
        if (line == 0) {
          state_ = kStart;
          count_ = div_ / 2;
        }
        return false;
      case kWaitHigh:  // after a framing error, resynchronise on the next idle level
        if (line != 0) state_ = kIdle;
        return false;
      default:
        break;
    }
    if (--count_ != 0) return false;
    count_ = div_;
    if (state_ == kStart) {
      // A glitch shorter than half a bit is not a start bit.
      if (line != 0) {
        state_ = kIdle;
      } else {
        state_ = kData;
        bit_ = 0;
        shift_ = 0;
      }
      return false;
    }
    if (state_ == kData) {
      shift_ |= static_cast<uint8_t>((line & 1u) << bit_);
      if (++bit_ == 8) state_ = kStop;
      return false;
    }
    // Stop bit.
    if (line != 0) {
      state_ = kIdle;
      dst.push(shift_);
      return true;
    }
    ++framing_errors_;
    state_ = kWaitHigh;
    return false;
  }

 private:
  enum State : uint8_t { kIdle, kStart, kData, kStop, kWaitHigh };
  uint32_t div_;
  uint32_t count_ = 0;
  uint32_t bit_ = 0;
  uint8_t shift_ = 0;
  State state_ = kIdle;
  uint64_t framing_errors_ = 0;
};

}  // namespace sim
