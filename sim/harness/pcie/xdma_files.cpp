// XDMA-like files for the simulated PCIe card (see xdma_files.h).
#include "xdma_files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host_link.h"

namespace sim {
namespace {

std::string errno_text() { return strerror(errno); }

/**
 * Makes sure `path` can become a fresh FIFO or register file: absent, or a leftover of an earlier
 * simulation (a FIFO nobody reads, or a regular file). Anything else is refused, never deleted.
 */
bool clear_stale(const std::string& path, bool want_fifo, std::string& err) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return true;
    err = "cannot inspect " + path + ": " + errno_text();
    return false;
  }
  const bool ok_type = want_fifo ? S_ISFIFO(st.st_mode) : S_ISREG(st.st_mode);
  if (!ok_type) {
    err = path + " exists and is not a " + (want_fifo ? "FIFO" : "regular file") + " left by a simulation; not touching it";
    return false;
  }
  if (want_fifo) {
    // A FIFO with a live reader belongs to a running simulation (opening for writing succeeds).
    int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      ::close(fd);
      err = path + " is being served by another running simulation";
      return false;
    }
  }
  if (unlink(path.c_str()) != 0) {
    err = "cannot remove the stale " + path + ": " + errno_text();
    return false;
  }
  return true;
}

}  // namespace

XdmaFiles::~XdmaFiles() { close(); }

bool XdmaFiles::open(const std::string& prefix, std::string& err) {
  const size_t slash = prefix.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : prefix.substr(0, slash);
  if (slash == prefix.size() - 1) {
    err = "the device prefix '" + prefix + "' ends in '/': name the device, e.g. " + prefix + "xdma0";
    return false;
  }
  if (!dir.empty() && mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    err = "cannot create the directory " + dir + ": " + errno_text();
    return false;
  }
  h2c_path_ = prefix + "_h2c_0";
  c2h_path_ = prefix + "_c2h_0";
  user_path_ = prefix + "_user";
  // The H2C check comes first: it is the one that detects a running simulation.
  if (!clear_stale(h2c_path_, true, err) || !clear_stale(c2h_path_, true, err) || !clear_stale(user_path_, false, err))
    return false;

  // The register window first, so that by the time the FIFOs exist the identity can be read.
  user_fd_ = ::open(user_path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (user_fd_ < 0) {
    err = "cannot create " + user_path_ + ": " + errno_text();
    return false;
  }
  created_ = true;
  if (ftruncate(user_fd_, kUserBytes) != 0) {
    err = "cannot size " + user_path_ + ": " + errno_text();
    return false;
  }
  void* map = mmap(nullptr, kUserBytes, PROT_READ | PROT_WRITE, MAP_SHARED, user_fd_, 0);
  if (map == MAP_FAILED) {
    err = "cannot map " + user_path_ + ": " + errno_text();
    return false;
  }
  words_ = static_cast<volatile uint32_t*>(map);

  for (const std::string* p : {&h2c_path_, &c2h_path_}) {
    if (mkfifo(p->c_str(), 0666) != 0) {
      err = "cannot create the FIFO " + *p + ": " + errno_text();
      return false;
    }
  }
  h2c_read_ = ::open(h2c_path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  h2c_keep_ = h2c_read_ < 0 ? -1 : ::open(h2c_path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  c2h_fd_ = ::open(c2h_path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (h2c_read_ < 0 || h2c_keep_ < 0 || c2h_fd_ < 0) {
    err = "cannot open the FIFOs under " + prefix + ": " + errno_text();
    return false;
  }
  // A larger C2H pipe holds more answers while the host is between reads (best effort).
  (void)fcntl(c2h_fd_, F_SETPIPE_SZ, 1 << 20);
  return true;
}

size_t XdmaFiles::prepare(std::vector<pollfd>& fds, bool want_read, bool want_write) {
  size_t n = 0;
  read_slot_ = write_slot_ = ~size_t{0};
  if (want_read) {
    fds.push_back({h2c_read_, POLLIN, 0});
    read_slot_ = n++;
  }
  if (want_write) {
    fds.push_back({c2h_fd_, POLLOUT, 0});
    write_slot_ = n++;
  }
  return n;
}

bool XdmaFiles::service(const pollfd* fds, size_t count, ByteBuffer& in, ByteBuffer& out) {
  (void)count;
  if (read_slot_ != ~size_t{0} && fds[read_slot_].revents != 0) {
    // EOF cannot happen (we hold a writer); an error on our own FIFO is fatal.
    if (fill_from(h2c_read_, in) == ReadResult::kError) {
      log_error("reading %s failed: %s", h2c_path_.c_str(), strerror(errno));
      return false;
    }
  }
  if (write_slot_ != ~size_t{0} && fds[write_slot_].revents != 0) {
    if (!drain_to(c2h_fd_, out)) {
      log_error("writing %s failed: %s", c2h_path_.c_str(), strerror(errno));
      return false;
    }
  }
  return true;
}

void XdmaFiles::discard_pending() {
  uint8_t scratch[65536];
  for (int fd : {h2c_read_, c2h_fd_}) {
    while (::read(fd, scratch, sizeof scratch) > 0) {
    }
  }
}

void XdmaFiles::close() {
  if (words_ != nullptr) munmap(const_cast<uint32_t*>(words_), kUserBytes);
  words_ = nullptr;
  for (int* fd : {&h2c_read_, &h2c_keep_, &c2h_fd_, &user_fd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  if (created_) {
    unlink(h2c_path_.c_str());
    unlink(c2h_path_.c_str());
    unlink(user_path_.c_str());
    created_ = false;
  }
}

}  // namespace sim
