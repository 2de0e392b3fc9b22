// `--stdio`: device input from stdin, device output to stdout, raw bytes both ways (logs go to
// stderr). Made for a parent process that spawns the simulation with pipes, which is how the
// TypeScript `sim` transport and the tests use it. Both descriptors are switched to non-blocking
// mode (and restored at exit, since a terminal's descriptor is shared with the shell), so a full
// pipe never stalls the clock loop; stdio's own buffering is bypassed entirely.
#include <fcntl.h>
#include <unistd.h>

#include "host_link.h"

namespace sim {
namespace {

class StdioLink final : public HostLink {
 public:
  bool open(std::string& err) override {
    in_flags_ = set_nonblocking(STDIN_FILENO);
    out_flags_ = set_nonblocking(STDOUT_FILENO);
    if (in_flags_ < 0 || out_flags_ < 0) {
      err = "cannot use stdin/stdout (are they open?)";
      return false;
    }
    return true;
  }

  size_t prepare(std::vector<pollfd>& fds, bool want_read, bool want_write) override {
    size_t n = 0;
    if (want_read && !eof_) {
      fds.push_back({STDIN_FILENO, POLLIN, 0});
      read_slot_ = n++;
    } else {
      read_slot_ = kNone;
    }
    if (want_write && !broken_) {
      fds.push_back({STDOUT_FILENO, POLLOUT, 0});
      write_slot_ = n++;
    } else {
      write_slot_ = kNone;
    }
    return n;
  }

  void service(const pollfd* fds, size_t count, ByteBuffer& in, ByteBuffer& out) override {
    (void)count;
    if (read_slot_ != kNone && fds[read_slot_].revents != 0) {
      // POLLHUP alone (writer gone, pipe drained) also lands here: read() then returns 0.
      switch (fill_from(STDIN_FILENO, in)) {
        case ReadResult::kEof:
          eof_ = true;
          log_info("stdin closed: finishing the requests in flight");
          break;
        case ReadResult::kError:
          eof_ = true;
          log_error("reading stdin failed: treating it as closed");
          break;
        default:
          break;
      }
    }
    if (write_slot_ != kNone && fds[write_slot_].revents != 0) {
      if (!drain_to(STDOUT_FILENO, out)) {
        broken_ = true;
        log_info("stdout closed by the reader: stopping");
      }
    }
  }

  bool input_closed() const override { return eof_; }
  bool broken() const override { return broken_; }

  void close() override {
    if (in_flags_ >= 0) fcntl(STDIN_FILENO, F_SETFL, in_flags_);
    if (out_flags_ >= 0) fcntl(STDOUT_FILENO, F_SETFL, out_flags_);
  }

 private:
  static constexpr size_t kNone = ~size_t{0};
  int in_flags_ = -1;
  int out_flags_ = -1;
  size_t read_slot_ = kNone;
  size_t write_slot_ = kNone;
  bool eof_ = false;
  bool broken_ = false;
};

}  // namespace

std::unique_ptr<HostLink> make_stdio_link() { return std::make_unique<StdioLink>(); }

}  // namespace sim
