#include "config/mgmt/mgmt_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretime::mgmt {

namespace {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// Waits until `fd` is ready for `events`; false on timeout or error.
bool wait_for(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

class Connection {
 public:
  explicit Connection(int fd) : fd_(fd) {}
  ~Connection() {
    if (fd_ >= 0) ::close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::variant<Response, std::string> call_daemon(const std::string& socket_path,
                                                const Request& request, int timeout_ms) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof(address.sun_path)) {
    return "invalid socket path '" + socket_path + "'";
  }
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  Connection connection(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (connection.fd() < 0) return errno_text("cannot create a socket");
  if (::connect(connection.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) !=
      0) {
    return errno_text("cannot connect to wiretimed at " + socket_path);
  }

  const std::string frame = encode_frame(encode_request(request));
  size_t sent = 0;
  while (sent < frame.size()) {
    if (!wait_for(connection.fd(), POLLOUT, timeout_ms)) {
      return std::string("wiretimed does not accept the request (timeout)");
    }
    const ssize_t n =
        ::send(connection.fd(), frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return errno_text("cannot send to wiretimed");
    }
    sent += static_cast<size_t>(n);
  }

  FrameDecoder decoder;
  char buffer[16384];
  for (;;) {
    if (auto fields = decoder.next()) {
      auto response = decode_response(*fields);
      if (auto* error = std::get_if<std::string>(&response)) return *error;
      return std::get<Response>(response);
    }
    if (decoder.failed()) return std::string("malformed response from wiretimed");
    if (!wait_for(connection.fd(), POLLIN, timeout_ms)) {
      return std::string("wiretimed did not answer (timeout)");
    }
    const ssize_t n = ::recv(connection.fd(), buffer, sizeof(buffer), 0);
    if (n == 0) return std::string("wiretimed closed the connection without an answer");
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return errno_text("cannot read from wiretimed");
    }
    decoder.feed(std::string_view(buffer, static_cast<size_t>(n)));
  }
}

}  // namespace wiretime::mgmt
