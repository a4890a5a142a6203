#include "control/daemon/mgmt_hooks.hpp"

#include <algorithm>

#include "config/ntp_config/ip_address.hpp"
#include "config/ntp_config/ntp_config_validate.hpp"
#include "control/auth/chrony_key_file.hpp"
#include "control/daemon/key_table_from_config.hpp"
#include "control/daemon/ntp_trace_run.hpp"
#include "control/daemon/status_report.hpp"

namespace wiretime::daemon {

std::variant<std::pair<engine::AssociationConfig, runtime::Peer>, std::string> to_engine(
    const config::Association& a, config::AssociationMode mode) {
  if (mode != config::AssociationMode::kServer) {
    return "unicast-peer " + a.address + ": symmetric mode is not supported by this daemon";
  }
  engine::AssociationConfig c;
  runtime::Peer peer;
  c.address = a.address;
  c.ipv6 = a.kind == config::ServerKind::kIpv6;
  // The dataplane writes NTPv4 requests; the configured version only labels the association.
  c.version = 4;
  c.port = a.port;
  c.key_id = a.key_id.value_or(0);
  c.source_interface = a.source_interface;
  c.vpn_instance = a.vpn_instance;
  c.preferred = a.preferred;
  c.min_poll = a.minpoll;
  c.max_poll = a.maxpoll;
  c.burst = a.burst;
  c.iburst = a.iburst;
  c.preempt = a.preempt;
  c.interleaved = a.interleaved;
  peer.port = a.port;
  switch (a.kind) {
    case config::ServerKind::kIpv4: {
      const std::optional<uint32_t> address = config::parse_ipv4(a.address);
      if (!address) return "unicast-server " + a.address + ": not an IPv4 address";
      peer.address = wire::IpAddress::from(wire::Ipv4Address::from_host_order(*address));
      break;
    }
    case config::ServerKind::kDomain:
      c.is_domain = true;  // the loop's resolver supplies the peer address
      break;
    case config::ServerKind::kIpv6: {
      const std::optional<config::Ipv6Bytes> address = config::parse_ipv6(a.address);
      if (!address) return "unicast-server ipv6 " + a.address + ": not an IPv6 address";
      wire::Ipv6Address v6;
      v6.bytes = *address;
      peer.address = wire::IpAddress::from(v6);
      break;
    }
  }
  // vpn-instance and source-interface become peer.vrf / peer.interface through the backend's
  // ControlLoop placement (its tables number them).
  return std::make_pair(c, peer);
}

namespace {

// to_engine, with the key of a key-file server (`key-id`) when it has no VRP key.
std::variant<std::pair<engine::AssociationConfig, runtime::Peer>, std::string> engine_side(
    const config::Association& a, config::AssociationMode mode) {
  auto converted = to_engine(a, mode);
  if (auto* c = std::get_if<0>(&converted); c && c->first.key_id == 0 && a.file_key_id) {
    c->first.key_id = *a.file_key_id;
  }
  return converted;
}

}  // namespace

MgmtHooks::MgmtHooks(runtime::ControlLoop& loop, config::NtpConfig running,
                     config::InterfaceInventory inventory, std::function<UnixNanos()> now,
                     InvalidPackets invalid_packets, auth::KeyTable* keys, Interfaces interfaces,
                     InterfaceName interface_name, Added added)
    : loop_(loop),
      running_(std::move(running)),
      inventory_(std::move(inventory)),
      now_(std::move(now)),
      invalid_packets_(std::move(invalid_packets)),
      interfaces_(std::move(interfaces)),
      interface_name_(std::move(interface_name)),
      added_(std::move(added)),
      keys_(keys) {
  if (keys_ != nullptr) {
    file_keys_ = *keys_;
    file_keys_path_ = running_.key_file;
  }
}

// A trace still walking holds callbacks into this object: the loop must not run them later.
MgmtHooks::~MgmtHooks() {
  loop_.cancel_queries();
}

mgmt::DaemonHooks MgmtHooks::hooks() {
  mgmt::DaemonHooks h;
  h.running = [this] { return running_; };
  h.inventory = [this] { return inventory_; };
  h.apply = [this](const apply::ApplyPlan& plan, const config::NtpConfig& candidate) {
    return apply(plan, candidate);
  };
  h.status = [this] { return status(); };
  h.reset_statistics = [this](bool ipv4, bool ipv6) { reset_packet_statistics(ipv4, ipv6); };
  h.trace = [this](std::function<void(std::string)> done) { trace(std::move(done)); };
  return h;
}

std::vector<MgmtHooks::Live>::iterator MgmtHooks::find(const config::Association& association) {
  return std::find_if(live_.begin(), live_.end(),
                      [&](const Live& l) { return l.association.same_key(association); });
}

std::variant<MgmtHooks::Globals, std::string> MgmtHooks::globals_of(
    const config::NtpConfig& c) const {
  Globals g;
  if (c.max_distance < 1 || c.max_distance > 16) {
    return "max-distance " + std::to_string(c.max_distance) + " is outside 1-16";
  }
  g.engine.max_distance = c.max_distance;
  if (c.unsync_max_poll) {
    g.engine.unsync.configured = true;
    g.engine.unsync.cap_exponent = c.unsync_max_poll->poll_interval;
    g.engine.unsync.step_exponent = c.unsync_max_poll->dec_step;
  }
  // The key file's `key-id` servers need no `ntp authentication enable`, as at start-up.
  bool file_keyed = false;
  for (const auto* list : {&c.unicast_servers, &c.unicast_peers}) {
    for (const config::Association& a : *list) file_keyed = file_keyed || a.file_key_id;
  }
  g.engine.authentication_enabled = c.authentication_enable || file_keyed;
  if (keys_ == nullptr) return g;

  if (c.key_file == file_keys_path_) {
    g.keys = file_keys_;
  } else if (!c.key_file.empty()) {
    auth::KeyFileResult file = auth::load_chrony_key_file(c.key_file);
    for (const auth::KeyFileDiagnostic& d : file.diagnostics) {
      if (d.line == 0) return d.to_string(c.key_file);  // unreadable; bad lines are skipped
    }
    for (auth::SymmetricKey& key : file.keys) (void)g.keys.add(std::move(key));
  }
  ConfigKeysResult configured = key_table_from_config(c);
  if (!configured.errors.empty()) return configured.errors.front();
  for (const auto& [id, key] : c.keys) g.keys.add(*configured.table.find(id));
  for (const auto* list : {&c.unicast_servers, &c.unicast_peers}) {
    for (const config::Association& a : *list) {
      if (a.file_key_id && g.keys.find(*a.file_key_id) == nullptr) {
        return "key-id " + std::to_string(*a.file_key_id) + " of " + a.address + " is not in " +
               (c.key_file.empty() ? std::string("any key file") : c.key_file);
      }
    }
  }
  return g;
}

void MgmtHooks::set_globals(Globals globals) {
  loop_.set_globals(globals.engine);
  // The backend reads the table when it signs the next request or checks the next reply.
  if (keys_ != nullptr) *keys_ = std::move(globals.keys);
}

std::optional<std::string> MgmtHooks::start(const config::NtpConfig& running) {
  if (auto error = config::validate_ntp_config(running, inventory_)) return error->to_string();
  // The backend loaded `keys_` from this configuration's key file.
  if (keys_ != nullptr) file_keys_path_ = running.key_file;
  return apply(apply::plan_apply(running_, running), running);
}

std::optional<std::string> MgmtHooks::apply(const apply::ApplyPlan& plan,
                                            const config::NtpConfig& candidate) {
  using apply::AssociationAction;
  // Check everything first, so a refusal changes nothing.
  auto globals = globals_of(candidate);
  if (auto* error = std::get_if<std::string>(&globals)) return *error;
  for (const apply::AssociationChange& change : plan.associations) {
    if (change.action == AssociationAction::kRemove || change.action == AssociationAction::kKeep) {
      continue;
    }
    if (!change.candidate) return std::string("internal error: change without candidate");
    auto converted = engine_side(*change.candidate, change.mode);
    if (auto* error = std::get_if<std::string>(&converted)) return *error;
    if (refuse_) {
      if (std::string why = refuse_(std::get<0>(converted).first); !why.empty()) return why;
    }
    if (change.action != AssociationAction::kAdd && change.running &&
        find(*change.running) == live_.end()) {
      return "internal error: " + change.running->address + " is not running";
    }
  }
  for (const apply::AssociationChange& change : plan.associations) {
    const auto converted =
        change.candidate ? std::optional(std::get<0>(engine_side(*change.candidate, change.mode)))
                         : std::nullopt;
    switch (change.action) {
      case AssociationAction::kKeep:
        break;
      case AssociationAction::kRemove:
      case AssociationAction::kReplace: {
        if (auto it = find(*change.running); it != live_.end()) {
          loop_.remove(it->id);
          live_.erase(it);
        }
        if (change.action == AssociationAction::kRemove) break;
        [[fallthrough]];
      }
      case AssociationAction::kAdd: {
        const engine::AssociationId id = loop_.add(converted->first, converted->second);
        live_.push_back(Live{*change.candidate, id});
        if (added_) added_(id, converted->first, loop_.peer_of(id).value_or(converted->second));
        break;
      }
      case AssociationAction::kModify: {
        auto it = find(*change.running);
        loop_.reconfigure(it->id, converted->first);
        it->association = *change.candidate;
        break;
      }
    }
  }
  set_globals(std::move(std::get<Globals>(globals)));
  running_ = candidate;
  return std::nullopt;
}

display::PacketStatistics MgmtHooks::raw_statistics(const runtime::RuntimeStatus& s,
                                                    size_t family) const {
  const runtime::FamilyCounters& f = s.counters.family[family];
  display::PacketStatistics p;
  p.send_failures = f.send_failures;
  p.sent = f.requests - std::min(f.requests, f.send_failures);
  p.processed = f.on_wire[static_cast<size_t>(engine::OnWireReason::kOk)];
  p.authentication_failures = f.on_wire[static_cast<size_t>(engine::OnWireReason::kAuthentication)];
  for (size_t r = 0; r < f.on_wire.size(); ++r) {
    // Authentication failures are counted again inside the validity test failures (VRP nests
    // them), so that the reasons add up to Dropped.
    if (r != static_cast<size_t>(engine::OnWireReason::kOk))
      p.validity_test_failures += f.on_wire[r];
  }
  if (invalid_packets_) {
    const BackendDrops d = invalid_packets_()[family];
    p.invalid_packets = d.invalid;
    p.server_disabled = d.server_disabled;
    p.processing_delay = d.processing_delay;
    p.access_denied = d.access_denied;
    p.rate_limited = d.rate_limited;
    // Requests the server refused for authentication: authentication failures too, nested in
    // the validity test failures as the engine's are.
    p.authentication_failures += d.server_auth_failed;
    p.validity_test_failures += d.server_auth_failed;
  }
  p.others = f.replies_unknown_source;  // replies from no configured server
  p.dropped = p.validity_test_failures + p.invalid_packets + p.server_disabled +
              p.processing_delay + p.access_denied + p.rate_limited + p.others;
  p.received = p.processed + p.dropped;
  return p;
}

namespace {

display::PacketStatistics minus(display::PacketStatistics a, const display::PacketStatistics& b) {
  auto sub = [](uint64_t& x, uint64_t y) { x = x >= y ? x - y : 0; };
  sub(a.sent, b.sent);
  sub(a.send_failures, b.send_failures);
  sub(a.received, b.received);
  sub(a.processed, b.processed);
  sub(a.dropped, b.dropped);
  sub(a.validity_test_failures, b.validity_test_failures);
  sub(a.authentication_failures, b.authentication_failures);
  sub(a.invalid_packets, b.invalid_packets);
  sub(a.access_denied, b.access_denied);
  sub(a.rate_limited, b.rate_limited);
  sub(a.processing_delay, b.processing_delay);
  sub(a.interface_disabled, b.interface_disabled);
  sub(a.max_dynamic_reached, b.max_dynamic_reached);
  sub(a.server_disabled, b.server_disabled);
  sub(a.offset_limit, b.offset_limit);
  sub(a.others, b.others);
  return a;
}

std::string drop_text(const runtime::DropRecord& d) {
  if (d.unknown_source) return "Others: reply from a host that is not a configured server";
  if (d.reason == engine::OnWireReason::kAuthentication) return "Authentication failure";
  return "Validity test failure: " + std::string(engine::to_string(d.reason));
}

}  // namespace

display::StatusSnapshot MgmtHooks::status() const {
  const runtime::RuntimeStatus s = loop_.status();
  display::StatusSnapshot snapshot;
  snapshot.now = now_();
  snapshot.system = system_report(s.system);
  for (const engine::AssociationStatus& a : s.associations) {
    display::SessionReport& r = snapshot.associations.emplace_back(session_report(a));
    // The interface its replies arrive on, where the backend knows it; else the configured one.
    const uint16_t rx = loop_.rx_interface(a.id);
    if (interface_name_ && a.received > 0) {
      if (std::string name = interface_name_(rx); !name.empty()) r.peer_interface = name;
    }
  }
  if (interfaces_) snapshot.interfaces = interfaces_();
  // `display ntp event clock-unsync`: the ring, newest first.
  const runtime::RuntimeCounters& counters = s.counters;
  for (uint64_t n = counters.unsyncs;
       n > counters.unsyncs - std::min<uint64_t>(counters.unsyncs, runtime::kLastUnsyncs); --n) {
    const runtime::UnsyncEvent& e = counters.last_unsyncs[(n - 1) % runtime::kLastUnsyncs];
    snapshot.unsync_events.push_back(
        display::ClockUnsyncEvent{e.source.data(), e.vpn_instance.data(), e.configured,
                                  runtime::to_string(e.reason), e.time});
  }
  for (size_t f = 0; f < 2; ++f) {
    display::PacketStatistics& p = f == 0 ? snapshot.ipv4_packets : snapshot.ipv6_packets;
    p = minus(raw_statistics(s, f), baseline_[f]);
    const runtime::RuntimeCounters& c = s.counters;
    // Newest first, those of this family recorded since its reset.
    const uint64_t oldest =
        std::max(baseline_drops_[f], c.drops - std::min(c.drops, runtime::kLastDrops));
    const wire::IpVersion family = f == 0 ? wire::IpVersion::kV4 : wire::IpVersion::kV6;
    for (uint64_t n = c.drops; n > oldest; --n) {
      const runtime::DropRecord& d = c.last_drops[(n - 1) % runtime::kLastDrops];
      if (d.family == family) p.last_drop_reasons.push_back(drop_text(d));
    }
  }
  return snapshot;
}

void MgmtHooks::reset_packet_statistics(bool ipv4, bool ipv6) {
  const runtime::RuntimeStatus s = loop_.status();
  for (size_t f = 0; f < 2; ++f) {
    if (f == 0 ? !ipv4 : !ipv6) continue;
    baseline_[f] = raw_statistics(s, f);
    baseline_drops_[f] = s.counters.drops;
  }
}

void MgmtHooks::trace(std::function<void(std::string)> done) {
  const engine::SystemStatus system = loop_.status().system;
  std::optional<runtime::Peer> first;
  for (const engine::AssociationStatus& a : loop_.engine().association_status(0)) {
    if (a.master) first = loop_.peer_of(a.id);
  }
  if (!first) {
    done(display::render_ntp_trace(system_report(system), display::TraceReport{}));
    return;
  }
  start_ntp_trace(loop_, *first, TraceOptions{},
                  [this, done = std::move(done)](const display::TraceReport& report) {
                    // The local line as it stands when the walk ends.
                    done(display::render_ntp_trace(system_report(loop_.status().system), report));
                  });
}

}  // namespace wiretime::daemon
