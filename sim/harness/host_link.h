// The host side of the simulated device: where the protocol bytes come from and go to.
//
// Three links, one per file, all driven by the same event loop in sim_main.cpp:
//   stdio  (host_link_stdio.cpp)  stdin → device → stdout, for a parent process with pipes
//   pty    (host_link_pty.cpp)    a pseudo-terminal that serial-port software opens like a UART
//   tcp    (host_link_tcp.cpp)    127.0.0.1:PORT, one client at a time, device state persists
//
// The loop never lets a link block: it collects the links' descriptors into one ppoll() per batch
// of clock cycles (timeout 0 while the design is busy, infinite when it is idle), then calls
// service() with the results, which moves whole spans between the descriptors and the buffers.
#pragma once

#include <poll.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "byte_buffer.h"

namespace sim {

class HostLink {
 public:
  virtual ~HostLink() = default;

  /**
   * Opens the link and prints its announcement line on stdout if it has one (`pty: /dev/pts/N`,
   * `tcp: 127.0.0.1:PORT`). Returns false with a one-line reason in `err` on failure.
   */
  virtual bool open(std::string& err) = 0;

  /**
   * Appends the descriptors to poll this round. `want_read`: the input buffer has room;
   * `want_write`: the output buffer holds bytes. Returns how many entries were appended.
   */
  virtual size_t prepare(std::vector<pollfd>& fds, bool want_read, bool want_write) = 0;

  /** Acts on the revents of the entries prepare() appended (starting at `fds`). */
  virtual void service(const pollfd* fds, size_t count, ByteBuffer& in, ByteBuffer& out) = 0;

  /** No more input will ever arrive (stdin hit EOF): finish the work in flight, then exit. */
  virtual bool input_closed() const { return false; }
  /** The output can never be delivered (stdout closed by the reader): exit now. */
  virtual bool broken() const { return false; }
  /** Nobody is connected to receive output (TCP between clients): drop it rather than stall. */
  virtual bool discarding_output() const { return false; }

  /** Restores anything the link changed in shared state (descriptor flags). */
  virtual void close() {}
};

std::unique_ptr<HostLink> make_stdio_link();
std::unique_ptr<HostLink> make_pty_link();
std::unique_ptr<HostLink> make_tcp_link(uint16_t port);

/** Set from --quiet: suppresses log_info lines and the exit summary. */
extern bool g_quiet;

/** Logs one line on stderr, prefixed `sim: `, unless --quiet. Errors use log_error (always shown). */
void log_info(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/** Sets O_NONBLOCK on fd; returns the previous flags (or -1 on failure). */
int set_nonblocking(int fd);

/** Writes as much of `out` as the descriptor takes now. Returns false on a fatal error (EPIPE...). */
bool drain_to(int fd, ByteBuffer& out);

/** Result of filling `in` from a descriptor. */
enum class ReadResult { kData, kNothing, kEof, kError };
ReadResult fill_from(int fd, ByteBuffer& in);

}  // namespace sim
