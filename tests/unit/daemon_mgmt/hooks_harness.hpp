// MgmtHooks over a real ControlLoop and engine, with a simulated clock and a transport that
// records what the loop put on the wire and can play a server answering it: what a commit
// does is seen where the backend would see it.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "config/apply/apply_plan.hpp"
#include "control/auth/ntp_mac.hpp"
#include "control/daemon/mgmt_hooks.hpp"
#include "control/runtime/virtual_clock.hpp"

namespace wiretime::daemon {

inline constexpr uint64_t kTick0 = 1'000'000'000'000;
inline constexpr UnixNanos kUtc0 = int64_t{1'700'000'000} * 1'000'000'000;
inline constexpr uint64_t kSec = 1'000'000'000;

// Records what the loop asked to put on the wire: requests come signed by the loop, with the
// key of the association looked up in the daemon's key table at send time.
class SigningTransport : public runtime::Transport {
 public:
  struct Sent {
    uint32_t key_id = 0;
    size_t length = 0;  // bytes on the wire: 48 unsigned, 48 + 4 + digest signed
    runtime::Peer peer;
    NtpTimestamp cookie;
    uint8_t version = 0;
    std::optional<uint16_t> source_port;  // the transport's port when it left (none: random)
  };
  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest& request) override {
    const uint32_t key = request.mac ? request.mac->key_id : 0;
    const size_t length = 48 + (request.mac ? 4 + request.mac->digest_length : 0);
    sent.push_back({key, length, peer, request.cookie(), request.header.version, source_port});
    return true;
  }
  // Like a socket: any port, unless the test says it is taken.
  std::optional<std::string> set_source_port(std::optional<uint16_t> port) override {
    if (port && port == taken_port) return std::string("bind: Address already in use");
    source_port = port;
    return std::nullopt;
  }
  std::vector<Sent> sent;
  std::optional<uint16_t> source_port;
  std::optional<uint16_t> taken_port;
};

class Harness {
 public:
  // `file_keys`: the table as the backend loaded it from the key file at start.
  explicit Harness(auth::KeyTable file_keys = {})
      : keys_(std::move(file_keys)),
        clock_(published_, clock::ClockModel::from_rate(kTick0, kUtc0, 1e9),
               [this] { return ticks_; }),
        loop_(engine::EngineConfig{}, 1, clock_, transport_, observer_) {
    loop_.set_keys(&keys_);
    hooks_.emplace(
        loop_, config::NtpConfig{}, config::InterfaceInventory{{"GE1/0/1"}}, [] { return kUtc0; },
        BackendDropCounters{}, &keys_);
  }

  std::optional<std::string> commit(const config::NtpConfig& candidate) {
    return hooks_->apply(apply::plan_apply(hooks_->running(), candidate), candidate);
  }
  // Runs the loop for `seconds`, one tick per second; the requests sent meanwhile. With
  // `answer`, every request leaves at once and a server `server_offset` s ahead of true time
  // answers in 100 us, in the request's version (RFC 5905 section 9.2).
  std::vector<SigningTransport::Sent> run(int seconds, bool answer = false,
                                          double server_offset = 0.0) {
    std::vector<SigningTransport::Sent> all;
    for (int i = 0; i < seconds; ++i) {
      ticks_ += kSec;
      transport_.sent.clear();
      loop_.run_due();
      for (const auto& s : transport_.sent) {
        all.push_back(s);
        if (!answer) continue;
        loop_.on_transmitted(s.cookie, ticks_);
        wire::NtpPacket p;
        p.header.mode = wire::NtpMode::kServer;
        p.header.version = s.version;
        p.header.stratum = 1;
        p.header.precision = -20;
        p.header.origin = s.cookie;
        p.header.receive =
            clock_.to_ntp(ticks_ + 50'000) + NtpDuration::from_seconds(server_offset);
        p.header.transmit = p.header.receive;
        loop_.on_reply(s.peer, p, ticks_ + 100'000, engine::TimestampSource::kSimulated);
      }
    }
    return all;
  }

  runtime::ControlLoop& loop() { return loop_; }
  auth::KeyTable& keys() { return keys_; }
  MgmtHooks& hooks() { return *hooks_; }
  SigningTransport& transport() { return transport_; }
  uint64_t ticks() const { return ticks_; }

 private:
  auth::KeyTable keys_;
  uint64_t ticks_ = kTick0;
  clock::PublishedClock published_;
  runtime::VirtualClock clock_;
  SigningTransport transport_;
  runtime::RuntimeObserver observer_;
  runtime::ControlLoop loop_;
  std::optional<MgmtHooks> hooks_;
};

inline config::Association server(const char* address) {
  config::Association a;
  a.address = address;
  a.minpoll = 0;  // lab exponent: a request every second
  a.maxpoll = 0;
  return a;
}

inline config::NtpConfig with_server(std::optional<uint32_t> key_id = std::nullopt) {
  config::NtpConfig c;
  config::Association a = server("198.18.0.1");
  a.key_id = key_id;
  c.unicast_servers.push_back(a);
  return c;
}

}  // namespace wiretime::daemon
