#include "control/daemon/socket_server.hpp"

#include <algorithm>
#include <random>

#include "config/ntp_config/interface_name.hpp"
#include "config/ntp_config/ip_address.hpp"
#include "control/daemon/server_publisher.hpp"
#include "dataplane/l3/ip_prefix.hpp"
#include "dataplane/socket/kernel_clock.hpp"

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

std::vector<wire::IpAddress> socket_server_ipv6_wanted(
    const config::NtpConfig& config, const std::vector<wire::IpAddress>& interface_addresses) {
  if (config.ipv6_service_disable || config.ipv6_server_disable) return {};
  if (config.ipv6_server_listen_all) return interface_addresses;
  std::vector<wire::IpAddress> out;
  for (const config::Ipv6ServerSourceAddress& a : config.ipv6_server_source_addresses) {
    if (!a.vpn_instance.empty()) continue;
    const auto bytes = config::parse_ipv6(a.address);
    if (!bytes) continue;
    wire::Ipv6Address v6;
    std::copy(bytes->begin(), bytes->end(), v6.bytes.begin());
    const auto address = wire::IpAddress::from(v6);
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  }
  return out;
}

std::string socket_server_refusal(const config::NtpConfig& config) {
  if (config.physic_isolate.empty()) return "";
  const config::PhysicIsolate& p = config.physic_isolate.front();
  return std::string("ntp ") + (p.family == config::AddressFamily::kIpv6 ? "ipv6 " : "") +
         "server physic-isolate source-interface " + p.interface + " source-address " + p.address +
         ": the socket backend cannot isolate by interface (use dataplane.backend: dpdk)";
}

SocketServer::SocketServer(const DaemonLog& log, wire::IpAddress local, std::string interface_name,
                           std::vector<wire::IpAddress> ipv6_local, size_t interleaved_entries,
                           size_t rate_limit_entries)
    : log_(log),
      local_(local),
      interface_name_(std::move(interface_name)),
      ipv6_local_(std::move(ipv6_local)),
      interleaved_(interleaved_entries),
      access_(rate_limit_entries,
              (uint64_t{std::random_device{}()} << 32) | std::random_device{}()) {}

void SocketServer::configure(const config::NtpConfig& config) {
  if (!access_config_ || !(config == *access_config_)) {
    std::vector<std::string> problems;
    access_.set(compile_access(config, &problems));
    for (const std::string& p : problems) log_.warning("server: " + p);
    access_config_ = config;
  }
  configure_ipv6(config);
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
  stamps_ = TxStampMatcher{};  // a new socket numbers its datagrams from 0
  log_.info("server: serving on " + interface_name_ + " " + l3::to_string(local_) + ":123");
}

void SocketServer::configure_ipv6(const config::NtpConfig& config) {
  const std::vector<wire::IpAddress> wanted = socket_server_ipv6_wanted(config, ipv6_local_);
  if (wanted != last_ipv6_wanted_) {
    failed_ipv6_ = {};
    last_ipv6_wanted_ = wanted;
  }
  // Close what is no longer wanted.
  for (auto it = ipv6_sockets_.begin(); it != ipv6_sockets_.end();) {
    if (std::find(wanted.begin(), wanted.end(), it->address) != wanted.end()) {
      ++it;
      continue;
    }
    log_.info("server: IPv6 server off on [" + l3::to_string(it->address) + "]:123");
    it = ipv6_sockets_.erase(it);
  }
  for (const wire::IpAddress& a : wanted) {
    const bool open = std::any_of(ipv6_sockets_.begin(), ipv6_sockets_.end(),
                                  [&](const Ipv6Socket& s) { return s.address == a; });
    if (open || failed_ipv6_ == a) continue;
    auto s = std::make_unique<socket::UdpSocket>();
    if (std::string e = s->open(a, wire::kNtpPort); !e.empty()) {
      // Logged once until the configuration changes (the loop calls this every pass).
      log_.warning("server: cannot open port 123 on [" + l3::to_string(a) + "]: " + e);
      failed_ipv6_ = a;
      continue;
    }
    ipv6_sockets_.push_back(Ipv6Socket{a, std::move(s), {}});
    log_.info("server: serving on [" + l3::to_string(a) + "]:123");
  }
}

size_t SocketServer::fill_pollfds(std::vector<pollfd>& fds) const {
  size_t n = 0;
  if (socket_) {
    fds.push_back(pollfd{socket_->fd(), POLLIN, 0});
    ++n;
  }
  for (const Ipv6Socket& s : ipv6_sockets_) {
    fds.push_back(pollfd{s.socket->fd(), POLLIN, 0});
    ++n;
  }
  return n;
}

void SocketServer::serve_all(const server::ServerClockState& state,
                             const std::function<NtpTimestamp(UnixNanos)>& to_ntp,
                             const std::function<NtpTimestamp()>& now) {
  if (socket_) serve_socket(*socket_, stamps_, false, state, to_ntp, now);
  for (Ipv6Socket& s : ipv6_sockets_) serve_socket(*s.socket, s.stamps, true, state, to_ntp, now);
}

void SocketServer::serve_socket(socket::UdpSocket& sock, TxStampMatcher& stamps, bool ipv6,
                                const server::ServerClockState& state,
                                const std::function<NtpTimestamp(UnixNanos)>& to_ntp,
                                const std::function<NtpTimestamp()>& now) {
  std::array<uint8_t, 1024> in{};
  // Room for a signed reply: header + key id + the longest digest.
  std::array<uint8_t, wire::kNtpHeaderSize + wire::kMacKeyIdSize + wire::kMaxMacDigestSize> out{};
  socket::ReceivedDatagram d;
  auth_.set_table(keys_ != nullptr ? keys_->acquire(keys_reader_) : nullptr);
  // Bounded per call, so a flood cannot hold the control loop.
  for (int i = 0; i < 256 && sock.receive(in, d); ++i) {
    const NtpTimestamp t2 = to_ntp(d.rx_realtime);
    size_t length = 0;
    // T3 is read before the request is checked and the reply built, signed and sent (the MAC
    // covers it): it is advanced by the measured mean time from this read to the kernel's TX
    // stamp of the reply (below), as DPDK advances it by the signing time.
    const UnixNanos t3_read = socket::realtime_ns();
    const NtpTimestamp t3 = now() + NtpDuration::from_nanos(tx_lag_.mean_ns());
    server::ServeOutcome o =
        server::serve_payload(std::span(in).first(d.length), out, state, t2, t3, &access_, d.from,
                              &auth_, &length, &interleaved_);
    if (server::sends_reply(o)) {
      UnixNanos before = 0;
      const std::optional<uint32_t> sequence =
          sock.send(d.from, d.from_port, std::span(out).first(length), before);
      if (!sequence) {
        o = server::ServeOutcome::kTxFailed;
      } else {
        if (length > wire::kNtpHeaderSize) ++authenticated_;
        // Its kernel TX stamp: the T3 of the client's next, interleaved, exchange, and the lag
        // of the T3 read.
        if (server::is_served(o) && sock.tx_timestamps()) {
          stamps.sent(TxStampMatcher::Pending{*sequence, t2, t3_read});
        }
      }
    }
    ++counts_[static_cast<size_t>(o)];
    ++family_counts_[ipv6 ? 1 : 0][static_cast<size_t>(o)];
  }
  // The socket stamps what it sends into its error queue (emptied every time: a full queue
  // keeps poll() reporting POLLERR, which would spin the control loop). A software stamp is
  // taken in the driver's transmit, within sendto, so the replies just sent find theirs here.
  socket::TxTimestamp stamp;
  for (int i = 0; i < 1024 && sock.read_tx_timestamp(stamp); ++i) {
    const auto reply =
        stamps.match(stamp.has_key, stamp.key, std::span(stamp.data).first(stamp.length));
    if (!reply) continue;
    if (interleaved_.enabled()) interleaved_.save(reply->cookie, to_ntp(stamp.realtime));
    tx_lag_.add(stamp.realtime - reply->before);
  }
  // A reply without its stamp yet is answered in basic mode next time; the list stays bounded.
  (void)stamps.take_all();
}

std::string SocketServer::summary() const {
  std::string s = "server:";
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    s += " " + std::string(server::to_string(static_cast<server::ServeOutcome>(i))) + " " +
         std::to_string(counts_[i]) + ";";
  }
  if (s == "server:") return "server: no requests";
  if (authenticated_ != 0) s += " of which authenticated " + std::to_string(authenticated_) + ";";
  // The IPv6 share, when there is one (the totals above cover both families).
  std::string v6;
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (family_counts_[1][i] == 0) continue;
    v6 += " " + std::string(server::to_string(static_cast<server::ServeOutcome>(i))) + " " +
          std::to_string(family_counts_[1][i]) + ";";
  }
  if (!v6.empty()) s += " of which IPv6:" + v6;
  if (tx_lag_.count() != 0) {
    s += " T3 read to kernel TX stamp: mean " + server::format_us(tx_lag_.total_mean_ns()) +
         ", max " + server::format_us(tx_lag_.max_ns()) + " over " +
         std::to_string(tx_lag_.count()) + " replies;";
  }
  return s;
}

}  // namespace wiretime::daemon
