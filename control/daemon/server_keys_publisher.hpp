// The control side of server authentication: turns the daemon's key table (VRP
// `ntp authentication-keyid` keys with their trust, and the `ntp.key-file` keys) and
// `ntp authentication enable` into the immutable table the server stage reads
// (dataplane/server/server_keys.hpp), published by pointer swap only when it changed.
#pragma once

#include <optional>
#include <vector>

#include "control/auth/key_table.hpp"
#include "dataplane/server/server_keys.hpp"

namespace wiretime::daemon {

class ServerKeysPublisher {
 public:
  explicit ServerKeysPublisher(server::ServerKeyPublisher& out) : out_(out) {}

  // Call from the control loop (every server publish and after a commit). Publishes when the
  // keys or the requirement changed, and frees tables the readers are done with.
  void update(const auth::KeyTable& keys, bool required);

 private:
  server::ServerKeyPublisher& out_;
  std::optional<std::vector<server::ServerKey>> last_;
  bool last_required_ = false;
};

}  // namespace wiretime::daemon
