// Build-time configuration of the simulation harness.
//
// The TypeScript builder (host/sim/build.ts) passes the same values to Verilator as -G parameter
// overrides and to this C++ compile as -D macros, so the harness' UART model runs at exactly the
// bit period the RTL was elaborated with. The defaults below match evm_fpga_top's defaults and
// only matter for a hand-run Verilator build.
#pragma once

#include <cstdint>

#ifndef SIM_CLK_HZ
#define SIM_CLK_HZ 48000000
#endif
#ifndef SIM_UART_DIV
#define SIM_UART_DIV 16
#endif
#ifndef SIM_TRACE
#define SIM_TRACE 0
#endif

namespace sim {

/** Design clock in Hz: only used to put real time units on the waveform. */
constexpr uint64_t kClockHz = SIM_CLK_HZ;
/** Clock cycles per UART bit (the RTL's UART_DIV). */
constexpr uint32_t kUartDiv = SIM_UART_DIV;
/** True when the model was verilated with --trace-fst. */
constexpr bool kTraceBuilt = SIM_TRACE != 0;

static_assert(kClockHz > 0, "SIM_CLK_HZ must be positive");
static_assert(kUartDiv >= 2, "SIM_UART_DIV must be at least 2 (mid-bit sampling needs a half period)");

}  // namespace sim
