#include "control/daemon/dpdk_transport.hpp"

namespace wiretime::daemon {

DpdkTransport::DpdkTransport(const DpdkTransportConfig& config, Push push)
    : config_(config), push_(std::move(push)) {}

wire::Ipv4Address DpdkTransport::next_hop(wire::Ipv4Address destination) const {
  const uint32_t mask = config_.own_mask;
  const bool on_link =
      (destination.to_host_order() & mask) == (config_.own_ip.to_host_order() & mask);
  return on_link || !config_.gateway ? destination : *config_.gateway;
}

std::optional<wire::MacAddress> DpdkTransport::neighbor(wire::Ipv4Address ip) const {
  for (const Neighbor& n : neighbors_) {
    if (n.ip == ip) return n.mac;
  }
  return std::nullopt;
}

void DpdkTransport::on_neighbor(wire::Ipv4Address ip, wire::MacAddress mac) {
  if (mac.is_multicast()) return;
  for (Neighbor& n : neighbors_) {
    if (n.ip == ip) {
      n.mac = mac;
      return;
    }
  }
  neighbors_.push_back({ip, mac});
}

bool DpdkTransport::send_request(const runtime::Peer& peer, const engine::SendRequest& request) {
  // The IPv4 lcore path only; IPv6 servers need the dataplane's ND (not yet in the rings).
  if (peer.address.version != wire::IpVersion::kV4) return false;
  const wire::Ipv4Address hop = next_hop(peer.address.v4);
  dpdk::TxCommand command;
  const auto mac = neighbor(hop);
  if (!mac) {
    command.kind = dpdk::TxCommand::Kind::kArpRequest;
    command.target_ip = hop;
    ++arp_requests_;
    if (!push_(command)) ++ring_full_;
    return false;
  }
  command.kind = dpdk::TxCommand::Kind::kNtpRequest;
  command.poll = request.poll;
  command.src_port = config_.client_port;
  command.dst_port = peer.port;
  command.target_ip = peer.address.v4;
  command.dst_mac = *mac;
  command.cookie = request.cookie;
  if (!push_(command)) {
    ++ring_full_;
    return false;
  }
  return true;
}

}  // namespace wiretime::daemon
