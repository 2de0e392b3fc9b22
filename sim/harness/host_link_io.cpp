// Shared helpers of the host links: logging and the non-blocking bulk read/write.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "host_link.h"

namespace sim {

bool g_quiet = false;

static void vlog(const char* fmt, va_list ap) {
  // One fprintf per line so concurrent writers to the same stderr do not interleave mid-line.
  char line[512];
  vsnprintf(line, sizeof line, fmt, ap);
  fprintf(stderr, "sim: %s\n", line);
}

void log_info(const char* fmt, ...) {
  if (g_quiet) return;
  va_list ap;
  va_start(ap, fmt);
  vlog(fmt, ap);
  va_end(ap);
}

void log_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vlog(fmt, ap);
  va_end(ap);
}

int set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0) return -1;
  if (!(flags & O_NONBLOCK) && fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return -1;
  return flags;
}

bool drain_to(int fd, ByteBuffer& out) {
  while (!out.empty()) {
    ssize_t n = ::write(fd, out.read_ptr(), out.size());
    if (n > 0) {
      out.consume(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;
  }
  return true;
}

ReadResult fill_from(int fd, ByteBuffer& in) {
  // One read per round is enough: the buffer (64 KiB) outlasts a batch of cycles, since the device
  // takes at most one byte per clock.
  for (;;) {
    uint8_t* p = in.write_ptr();
    size_t room = in.write_room();
    if (room == 0) return ReadResult::kNothing;
    ssize_t n = ::read(fd, p, room);
    if (n > 0) {
      in.commit(static_cast<size_t>(n));
      return ReadResult::kData;
    }
    if (n == 0) return ReadResult::kEof;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return ReadResult::kNothing;
    return ReadResult::kError;
  }
}

}  // namespace sim
