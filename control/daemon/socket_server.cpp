#include "control/daemon/socket_server.hpp"

#include <algorithm>

#include "config/ntp_config/interface_name.hpp"
#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::daemon {

bool socket_server_wanted(const config::NtpConfig& config, const std::string& interface_name) {
  if (config.service_disable || config.server_disable) return false;
  if (config.server_listen_all) return true;
  const auto wanted = config::canonical_interface_name(interface_name);
  return std::any_of(config.server_source_interfaces.begin(), config.server_source_interfaces.end(),
                     [&](const std::string& name) {
                       return name == interface_name ||
                              (wanted && config::canonical_interface_name(name) == wanted);
                     });
}

SocketServer::SocketServer(const DaemonLog& log, wire::IpAddress local, std::string interface_name)
    : log_(log), local_(local), interface_name_(std::move(interface_name)) {}

void SocketServer::configure(const config::NtpConfig& config) {
  const bool wanted = socket_server_wanted(config, interface_name_);
  if (wanted == (socket_ != nullptr)) return;
  if (!wanted) {
    socket_.reset();
    log_.info("server: IPv4 server off on " + interface_name_ + " (port 123 closed)");
    return;
  }
  auto s = std::make_unique<socket::UdpSocket>();
  if (std::string e = s->open(local_, wire::kNtpPort); !e.empty()) {
    log_.warning("server: cannot open port 123 on " + l3::to_string(local_) + ": " + e);
    return;
  }
  socket_ = std::move(s);
  log_.info("server: serving on " + interface_name_ + " " + l3::to_string(local_) + ":123");
}

void SocketServer::serve_all(const server::ServerClockState& state,
                             const std::function<NtpTimestamp(UnixNanos)>& to_ntp,
                             const std::function<NtpTimestamp()>& now) {
  if (!socket_) return;
  std::array<uint8_t, 1024> in{};
  // Room for a signed reply: header + key id + the longest digest.
  std::array<uint8_t, wire::kNtpHeaderSize + wire::kMacKeyIdSize + wire::kMaxMacDigestSize> out{};
  socket::ReceivedDatagram d;
  auth_.set_table(keys_ != nullptr ? keys_->acquire(keys_reader_) : nullptr);
  // Bounded per call, so a flood cannot hold the control loop.
  for (int i = 0; i < 256 && socket_->receive(in, d); ++i) {
    const NtpTimestamp t2 = to_ntp(d.rx_realtime);
    size_t length = 0;
    server::ServeOutcome o = server::serve_payload(std::span(in).first(d.length), out, state, t2,
                                                   now(), &auth_, &length);
    if (server::is_served(o)) {
      UnixNanos before = 0;
      // T3 was read just before this call: the reply's transmit field is written already, so
      // the read is as late as the codec allows without a second encode (a signed reply is
      // signed after, so T3 is early by the MAC's cost, docs/operations.md).
      if (!socket_->send(d.from, d.from_port, std::span(out).first(length), before)) {
        o = server::ServeOutcome::kTxFailed;
      } else if (length > wire::kNtpHeaderSize) {
        ++authenticated_;
      }
    }
    ++counts_[static_cast<size_t>(o)];
  }
  // The socket stamps what it sends into its error queue; basic replies do not use the stamps,
  // but a full queue keeps poll() reporting POLLERR, which would spin the control loop (at
  // real-time priority it starved the lab's upstream chronyd on the same CPU).
  socket::TxTimestamp stamp;
  for (int i = 0; i < 1024 && socket_->read_tx_timestamp(stamp); ++i) {
  }
}

std::string SocketServer::summary() const {
  std::string s = "server:";
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    s += " " + std::string(server::to_string(static_cast<server::ServeOutcome>(i))) + " " +
         std::to_string(counts_[i]) + ";";
  }
  if (authenticated_ != 0) s += " of which authenticated " + std::to_string(authenticated_) + ";";
  return s == "server:" ? "server: no requests" : s;
}

}  // namespace wiretime::daemon
