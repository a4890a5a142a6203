#include "config/mgmt/mgmt_server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretime::mgmt {

namespace {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

bool fill_address(const std::string& path, sockaddr_un& address) {
  address = {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return true;
}

// True when something accepts connections on `path`.
bool socket_is_live(const sockaddr_un& address) {
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return false;
  const bool live =
      ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
  ::close(probe);
  return live;
}

}  // namespace

std::variant<std::unique_ptr<MgmtServer>, std::string> MgmtServer::listen(const std::string& path,
                                                                          Handler handler) {
  return listen(path, std::move(handler), Options{});
}

std::variant<std::unique_ptr<MgmtServer>, std::string> MgmtServer::listen(const std::string& path,
                                                                          Handler handler,
                                                                          Options options) {
  return listen_async(
      path, [handler = std::move(handler)](const Request& r, Reply reply) { reply(handler(r)); },
      options);
}

std::variant<std::unique_ptr<MgmtServer>, std::string> MgmtServer::listen_async(
    const std::string& path, AsyncHandler handler) {
  return listen_async(path, std::move(handler), Options{});
}

std::variant<std::unique_ptr<MgmtServer>, std::string> MgmtServer::listen_async(
    const std::string& path, AsyncHandler handler, Options options) {
  sockaddr_un address{};
  if (!fill_address(path, address)) return "invalid management socket path '" + path + "'";
  if (const size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
    const std::string directory = path.substr(0, slash);
    if (::mkdir(directory.c_str(), 0750) != 0 && errno != EEXIST) {
      return errno_text("cannot create " + directory);
    }
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) return path + " exists and is not a socket";
    if (socket_is_live(address)) return "another wiretimed is listening on " + path;
    ::unlink(path.c_str());  // left behind by a daemon that died
  }
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_text("cannot create the management socket");
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    std::string message = errno_text("cannot bind " + path);
    ::close(fd);
    return message;
  }
  if (::chmod(path.c_str(), static_cast<mode_t>(options.mode)) != 0 || ::listen(fd, 16) != 0) {
    std::string message = errno_text("cannot listen on " + path);
    ::close(fd);
    ::unlink(path.c_str());
    return message;
  }
  return std::unique_ptr<MgmtServer>(new MgmtServer(path, fd, std::move(handler), options));
}

MgmtServer::MgmtServer(std::string path, int listen_fd, AsyncHandler handler, Options options)
    : path_(std::move(path)),
      listen_fd_(listen_fd),
      handler_(std::move(handler)),
      options_(options) {}

MgmtServer::~MgmtServer() {
  *alive_ = false;
  for (Client& c : clients_) ::close(c.fd);
  ::close(listen_fd_);
  ::unlink(path_.c_str());
}

std::list<MgmtServer::Client>::iterator MgmtServer::find(int fd) {
  for (auto it = clients_.begin(); it != clients_.end(); ++it) {
    if (it->fd == fd) return it;
  }
  return clients_.end();
}

void MgmtServer::close_client(std::list<Client>::iterator it) {
  ::close(it->fd);
  clients_.erase(it);
}

void MgmtServer::accept_clients() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: all accepted; other errors: retried on the next event
    if (clients_.size() >= options_.max_clients) {
      // Make room by dropping the connection idle the longest (front: oldest activity).
      auto oldest = clients_.begin();
      for (auto it = clients_.begin(); it != clients_.end(); ++it) {
        if (it->last_activity < oldest->last_activity) oldest = it;
      }
      close_client(oldest);
    }
    Client client;
    client.fd = fd;
    client.last_activity = round_;
    client.id = next_id_++;
    clients_.push_back(std::move(client));
  }
}

bool MgmtServer::read_client(Client& client) {
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(client.fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      client.decoder.feed(std::string_view(buffer, static_cast<size_t>(n)));
      if (client.decoder.failed()) return false;
      continue;
    }
    if (n == 0) return false;  // peer closed
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return false;
  }
  process(client);
  return !client.decoder.failed();
}

void MgmtServer::process(Client& client) {
  client.processing = true;
  while (!client.waiting) {
    std::optional<Fields> fields = client.decoder.next();
    if (!fields) break;
    ++requests_;
    auto request = decode_request(*fields);
    if (auto* error = std::get_if<std::string>(&request)) {
      client.output += encode_frame(encode_response(Response{false, *error}));
      continue;
    }
    client.waiting = true;
    handler_(std::get<Request>(request),
             [this, id = client.id, alive = std::weak_ptr<bool>(alive_)](const Response& r) {
               if (const auto a = alive.lock(); a && *a) answer(id, r);
             });
  }
  client.processing = false;
}

void MgmtServer::answer(uint64_t client_id, const Response& response) {
  for (Client& c : clients_) {
    if (c.id != client_id || !c.waiting) continue;
    c.output += encode_frame(encode_response(response));
    c.waiting = false;
    // A late answer: the client's next requests may already be waiting in its decoder. The
    // output goes out when poll() reports the socket writable (fill_pollfds asks for it).
    if (!c.processing) process(c);
    return;
  }
}

bool MgmtServer::write_client(Client& client) {
  while (!client.output.empty()) {
    // MSG_NOSIGNAL: a shell that went away must not kill the daemon with SIGPIPE.
    const ssize_t n = ::send(client.fd, client.output.data(), client.output.size(), MSG_NOSIGNAL);
    if (n > 0) {
      client.output.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return false;
  }
  return true;
}

void MgmtServer::fill_pollfds(std::vector<pollfd>& fds) const {
  fds.push_back(pollfd{listen_fd_, POLLIN, 0});
  for (const Client& c : clients_) {
    const short events = static_cast<short>(POLLIN | (c.output.empty() ? 0 : POLLOUT));
    fds.push_back(pollfd{c.fd, events, 0});
  }
}

void MgmtServer::service(const pollfd* fds, size_t count) {
  ++round_;
  // Clients accepted in this round are not in `fds`; they are polled next round.
  bool accept = false;
  for (size_t i = 0; i < count; ++i) {
    const pollfd& p = fds[i];
    if (p.revents == 0) continue;
    if (p.fd == listen_fd_) {
      accept = true;
      continue;
    }
    auto it = find(p.fd);
    if (it == clients_.end()) continue;  // not ours, or closed earlier in this round
    it->last_activity = round_;
    bool keep = true;
    if ((p.revents & (POLLIN | POLLHUP | POLLERR)) != 0) keep = read_client(*it);
    if ((p.revents & POLLNVAL) != 0) keep = false;
    // Answers go out even when the peer half-closed after its last request.
    if (!it->output.empty()) keep = write_client(*it) && (keep || !it->output.empty());
    if (!keep) close_client(it);
  }
  if (accept) accept_clients();
}

void MgmtServer::service() {
  std::vector<pollfd> fds;
  fill_pollfds(fds);
  if (::poll(fds.data(), fds.size(), 0) > 0) service(fds.data(), fds.size());
}

}  // namespace wiretime::mgmt
