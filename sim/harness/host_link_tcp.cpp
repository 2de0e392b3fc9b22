// `--tcp PORT`: the device on 127.0.0.1:PORT (PORT 0 lets the kernel pick; the chosen port is
// announced as `tcp: 127.0.0.1:<port>`). Loopback only, because the protocol has no
// authentication. One client at a time, like a single UART: while one is connected, the next
// waits in the listen backlog and is accepted when the first disconnects. The simulated device
// keeps running between clients (its counters and any request still in flight persist); answers
// produced while nobody is connected are dropped, as a UART's TX bytes are with no cable plugged in.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_link.h"

namespace sim {
namespace {

class TcpLink final : public HostLink {
 public:
  explicit TcpLink(uint16_t port) : port_(port) {}
  ~TcpLink() override { close(); }

  bool open(std::string& err) override {
    listen_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_ < 0) {
      err = std::string("socket: ") + strerror(errno);
      return false;
    }
    int one = 1;
    // A restarted simulation must be able to take its port back while old connections linger.
    setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      err = "cannot listen on 127.0.0.1:" + std::to_string(port_) + ": " + strerror(errno);
      return false;
    }
    if (listen(listen_, 4) != 0) {
      err = std::string("listen: ") + strerror(errno);
      return false;
    }
    socklen_t len = sizeof addr;
    getsockname(listen_, reinterpret_cast<sockaddr*>(&addr), &len);
    printf("tcp: 127.0.0.1:%u\n", static_cast<unsigned>(ntohs(addr.sin_port)));
    fflush(stdout);
    log_info("listening on 127.0.0.1:%u", static_cast<unsigned>(ntohs(addr.sin_port)));
    return true;
  }

  size_t prepare(std::vector<pollfd>& fds, bool want_read, bool want_write) override {
    if (client_ < 0) {
      fds.push_back({listen_, POLLIN, 0});
      return 1;
    }
    // Always watch for input-side events, even with a full input buffer, so a hang-up is noticed;
    // POLLIN is only requested when there is room, or a full buffer would spin the loop.
    short events = static_cast<short>((want_read ? POLLIN : 0) | (want_write ? POLLOUT : 0));
    fds.push_back({client_, events, 0});
    return 1;
  }

  void service(const pollfd* fds, size_t count, ByteBuffer& in, ByteBuffer& out) override {
    if (count == 0) return;
    const short rev = fds[0].revents;
    if (client_ < 0) {
      if (rev & POLLIN) accept_client(out);
      return;
    }
    if (rev & (POLLIN | POLLERR | POLLHUP)) {
      ReadResult r = fill_from(client_, in);
      if (r == ReadResult::kEof || r == ReadResult::kError) {
        drop_client("disconnected");
        out.clear();
        return;
      }
    }
    if (rev & POLLOUT) {
      if (!drain_to(client_, out)) {
        drop_client("connection lost");
        out.clear();
      }
    }
  }

  bool discarding_output() const override { return client_ < 0; }

  void close() override {
    if (client_ >= 0) ::close(client_);
    if (listen_ >= 0) ::close(listen_);
    client_ = listen_ = -1;
  }

 private:
  void accept_client(ByteBuffer& out) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    int fd = accept4(listen_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // the client gave up between poll and accept: keep listening
    int one = 1;
    // Frames are small and request/response: do not let Nagle hold an answer back for an ACK.
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    client_ = fd;
    out.clear();  // answers to a previous client's requests are not this client's business
    log_info("client connected from 127.0.0.1:%u", static_cast<unsigned>(ntohs(peer.sin_port)));
  }

  void drop_client(const char* why) {
    ::close(client_);
    client_ = -1;
    log_info("client %s: waiting for the next one", why);
  }

  uint16_t port_;
  int listen_ = -1;
  int client_ = -1;
};

}  // namespace

std::unique_ptr<HostLink> make_tcp_link(uint16_t port) { return std::make_unique<TcpLink>(port); }

}  // namespace sim
