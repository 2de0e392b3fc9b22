// `--pty`: a pseudo-terminal that any serial-port program (node-serialport, screen, picocom) opens
// by path exactly like a board's USB UART, so the host's UART transport runs unchanged against
// the simulation.
//
// Two details make a pty behave like a UART:
// - Raw mode (cfmakeraw) on the slave side: otherwise the line discipline echoes bytes, maps CR/LF
//   and treats 0x03/0x1A as signals, corrupting binary frames.
// - The harness opens the slave once itself and keeps it open. With no slave open, the master reads
//   EIO/POLLHUP as soon as a client closes the port, and termios settings are lost between clients;
//   holding it keeps the device reachable across any number of open/close cycles. (Bytes the device
//   sends while no client has the port open wait in the pty and are read by the next client, as a
//   real UART's receiver would have them waiting in the USB adapter's FIFO.)
// The baud rate a client sets is accepted and ignored: the simulation's speed is its clock rate.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "host_link.h"

namespace sim {
namespace {

class PtyLink final : public HostLink {
 public:
  ~PtyLink() override { close(); }

  bool open(std::string& err) override {
    master_ = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || grantpt(master_) != 0 || unlockpt(master_) != 0) {
      err = std::string("cannot create a pseudo-terminal: ") + strerror(errno);
      return false;
    }
    const char* name = ptsname(master_);
    if (name == nullptr) {
      err = std::string("ptsname failed: ") + strerror(errno);
      return false;
    }
    path_ = name;
    slave_ = ::open(path_.c_str(), O_RDWR | O_NOCTTY);
    if (slave_ < 0) {
      err = "cannot open " + path_ + ": " + strerror(errno);
      return false;
    }
    termios t{};
    if (tcgetattr(slave_, &t) != 0) {
      err = std::string("tcgetattr failed: ") + strerror(errno);
      return false;
    }
    cfmakeraw(&t);
    if (tcsetattr(slave_, TCSANOW, &t) != 0) {
      err = std::string("tcsetattr failed: ") + strerror(errno);
      return false;
    }
    if (set_nonblocking(master_) < 0) {
      err = std::string("cannot make the pty non-blocking: ") + strerror(errno);
      return false;
    }
    printf("pty: %s\n", path_.c_str());
    fflush(stdout);
    log_info("serving on %s", path_.c_str());
    return true;
  }

  size_t prepare(std::vector<pollfd>& fds, bool want_read, bool want_write) override {
    short events = static_cast<short>((want_read ? POLLIN : 0) | (want_write ? POLLOUT : 0));
    if (events == 0) return 0;
    fds.push_back({master_, events, 0});
    return 1;
  }

  void service(const pollfd* fds, size_t count, ByteBuffer& in, ByteBuffer& out) override {
    if (count == 0) return;
    const short rev = fds[0].revents;
    if (rev & (POLLIN | POLLERR | POLLHUP)) {
      // With our own slave descriptor open the master never sees a hang-up, so EOF/EIO here would
      // be a kernel surprise: log it once and keep serving rather than exit under the client.
      ReadResult r = fill_from(master_, in);
      if ((r == ReadResult::kEof || r == ReadResult::kError) && !warned_) {
        warned_ = true;
        log_error("pty read failed (%s): continuing", strerror(errno));
      }
    }
    if (rev & POLLOUT) {
      if (!drain_to(master_, out) && !warned_) {
        warned_ = true;
        log_error("pty write failed (%s): continuing", strerror(errno));
      }
    }
  }

  void close() override {
    if (slave_ >= 0) ::close(slave_);
    if (master_ >= 0) ::close(master_);
    slave_ = master_ = -1;
  }

 private:
  int master_ = -1;
  int slave_ = -1;
  std::string path_;
  bool warned_ = false;
};

}  // namespace

std::unique_ptr<HostLink> make_pty_link() { return std::make_unique<PtyLink>(); }

}  // namespace sim
