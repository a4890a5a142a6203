#include "control/daemon/server_keys_publisher.hpp"

#include <memory>

namespace wiretime::daemon {

void ServerKeysPublisher::update(const auth::KeyTable& keys, bool required) {
  std::vector<server::ServerKey> now;
  now.reserve(keys.size());
  for (const auto& [id, key] : keys.all()) {
    now.push_back(server::ServerKey{id, key.algorithm, key.trusted, key.secret});
  }
  if (last_ && *last_ == now && last_required_ == required) {
    out_.reclaim();
    return;
  }
  out_.publish(std::make_unique<const server::ServerKeyTable>(now, required));
  last_ = std::move(now);
  last_required_ = required;
}

}  // namespace wiretime::daemon
