#pragma once

#include <poll.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "config/mgmt/mgmt_frame.hpp"
#include "config/mgmt/mgmt_protocol.hpp"

namespace wiretime::mgmt {

// The daemon's end of the management socket, for a single-threaded poll() loop: it never
// blocks, starts no thread and uses no epoll (the kernel-socket backend must run under
// simulators that interpose poll() only). Each round the daemon appends the server's
// descriptors (listener and clients) with fill_pollfds(), polls, and hands the results back to
// service(), which accepts, reads, answers complete requests through the handler and writes
// what it can, then returns.
class MgmtServer {
 public:
  using Handler = std::function<Response(const Request&)>;
  // A handler that may answer later (`display ntp trace` waits for network replies): `reply`
  // runs once, from the daemon's thread, before or after the handler returns. A client's
  // further requests wait until it has been answered, so answers keep the requests' order.
  using Reply = std::function<void(const Response&)>;
  using AsyncHandler = std::function<void(const Request&, Reply reply)>;

  struct Options {
    size_t max_clients = 16;  // beyond it the longest-idle connection is closed
    unsigned mode = 0600;     // socket file permissions: root's shell only, keys travel here
  };

  // Binds `path` (creating its directory if missing). A stale socket file is replaced; one a
  // live daemon still answers on is not. Error text on failure.
  static std::variant<std::unique_ptr<MgmtServer>, std::string> listen(const std::string& path,
                                                                       Handler handler);
  static std::variant<std::unique_ptr<MgmtServer>, std::string> listen(const std::string& path,
                                                                       Handler handler,
                                                                       Options options);
  static std::variant<std::unique_ptr<MgmtServer>, std::string> listen_async(
      const std::string& path, AsyncHandler handler);
  static std::variant<std::unique_ptr<MgmtServer>, std::string> listen_async(
      const std::string& path, AsyncHandler handler, Options options);
  ~MgmtServer();
  MgmtServer(const MgmtServer&) = delete;
  MgmtServer& operator=(const MgmtServer&) = delete;

  // Appends the listener (POLLIN) and every client (POLLIN, plus POLLOUT while an answer waits).
  void fill_pollfds(std::vector<pollfd>& fds) const;
  // Acts on the revents of poll() results; entries of other descriptors are ignored, so the
  // daemon may pass its whole set.
  void service(const pollfd* fds, size_t count);
  // Polls its own descriptors without waiting and services them (tests, simple loops).
  void service();

  size_t client_count() const { return clients_.size(); }
  const std::string& path() const { return path_; }
  uint64_t requests() const { return requests_; }

 private:
  struct Client {
    int fd = -1;
    FrameDecoder decoder;
    std::string output;          // encoded responses not yet written
    uint64_t last_activity = 0;  // service() round, for choosing whom to drop
    uint64_t id = 0;
    bool waiting = false;  // a request is being answered later
    bool processing = false;
  };

  MgmtServer(std::string path, int listen_fd, AsyncHandler handler, Options options);
  // Answers the complete requests decoded so far, stopping at one answered later.
  void process(Client& client);
  void answer(uint64_t client_id, const Response& response);
  void accept_clients();
  // False when the client is to be closed.
  bool read_client(Client& client);
  bool write_client(Client& client);
  void close_client(std::list<Client>::iterator it);
  std::list<Client>::iterator find(int fd);

  std::string path_;
  int listen_fd_;
  AsyncHandler handler_;
  Options options_;
  uint64_t next_id_ = 1;
  // Replies that come after the server is gone find this false.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::list<Client> clients_;
  uint64_t round_ = 0;
  uint64_t requests_ = 0;
};

}  // namespace wiretime::mgmt
