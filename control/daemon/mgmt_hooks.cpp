#include "control/daemon/mgmt_hooks.hpp"

#include <algorithm>

#include "config/apply/apply_plan.hpp"
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
  // Requests carry the configured version (spec section 4); the IPv6 branch has none: NTPv4,
  // and interleaved mode without a version is NTPv4 too.
  c.version = static_cast<uint8_t>(a.request_version());
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

// to_engine, with the key of a key-file server (`key-id`) when it has no VRP key, and the
// global `ntp [ipv6] source-interface` of its family and VPN when it has no interface of its own.
std::variant<std::pair<engine::AssociationConfig, runtime::Peer>, std::string> engine_side(
    const config::NtpConfig& config, const config::Association& a, config::AssociationMode mode) {
  auto converted = to_engine(a, mode);
  if (auto* c = std::get_if<0>(&converted)) {
    if (c->first.key_id == 0 && a.file_key_id) c->first.key_id = *a.file_key_id;
    c->first.source_interface = apply::effective_source(config, a);
  }
  return converted;
}

// What runs of `config`: its associations less those of a family `ntp [ipv6] disable` turned
// off, which stay configured (and come back when the family is enabled again).
config::NtpConfig active(const config::NtpConfig& config) {
  config::NtpConfig out = config;
  const auto off = [&](const config::Association& a) {
    return apply::family_of(a) == config::AddressFamily::kIpv4 ? config.service_disable
                                                               : config.ipv6_service_disable;
  };
  std::erase_if(out.unicast_servers, off);
  std::erase_if(out.unicast_peers, off);
  return out;
}

// `a` in the engine's terms through the backend's limits: error text (the conversion's or the
// backend's refusal), "" when the backend runs it.
std::string refusal_of(const MgmtHooks::Refuse& refuse, const config::NtpConfig& config,
                       const config::Association& a, config::AssociationMode mode) {
  auto converted = engine_side(config, a, mode);
  if (auto* error = std::get_if<std::string>(&converted)) return *error;
  return refuse ? refuse(std::get<0>(converted).first) : std::string();
}

}  // namespace

std::optional<std::string> backend_refusal(const config::NtpConfig& running,
                                           const MgmtHooks::Refuse& refuse,
                                           const MgmtHooks::RefuseServer& refuse_server) {
  // What start-up's commit applies: the running associations (apply() plans from active()).
  const config::NtpConfig runs = active(running);
  for (const config::Association& a : runs.unicast_servers) {
    if (std::string why = refusal_of(refuse, runs, a, config::AssociationMode::kServer);
        !why.empty()) {
      return why;
    }
  }
  for (const config::Association& a : runs.unicast_peers) {
    if (std::string why = refusal_of(refuse, runs, a, config::AssociationMode::kPeer);
        !why.empty()) {
      return why;
    }
  }
  if (refuse_server) {
    if (std::string why = refuse_server(running); !why.empty()) return why;
  }
  return std::nullopt;
}

MgmtHooks::MgmtHooks(runtime::ControlLoop& loop, config::NtpConfig running,
                     config::InterfaceInventory inventory, std::function<UnixNanos()> now,
                     BackendDropCounters backend_counters, auth::KeyTable* keys,
                     Interfaces interfaces, InterfaceName interface_name, Added added)
    : loop_(loop),
      running_(std::move(running)),
      inventory_(std::move(inventory)),
      now_(std::move(now)),
      backend_counters_(std::move(backend_counters)),
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
  g.engine.offset_limit = c.offset_limit.value_or(0);
  g.engine.sync_interval = c.sync_interval.value_or(0);
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

std::optional<std::string> MgmtHooks::apply(const apply::ApplyPlan& /*configured*/,
                                            const config::NtpConfig& candidate) {
  using apply::AssociationAction;
  // The loop runs what is active: a family's `ntp disable` takes its associations out of the
  // plan, though not out of the configuration.
  const apply::ApplyPlan plan = apply::plan_apply(active(running_), active(candidate));
  // Check everything first, so a refusal changes nothing.
  auto globals = globals_of(candidate);
  if (auto* error = std::get_if<std::string>(&globals)) return *error;
  if (refuse_server_) {
    if (std::string why = refuse_server_(candidate); !why.empty()) return why;
  }
  for (const apply::AssociationChange& change : plan.associations) {
    if (change.action == AssociationAction::kRemove || change.action == AssociationAction::kKeep) {
      continue;
    }
    if (!change.candidate) return std::string("internal error: change without candidate");
    if (std::string why = refusal_of(refuse_, candidate, *change.candidate, change.mode);
        !why.empty()) {
      return why;
    }
    if (change.action != AssociationAction::kAdd && change.running &&
        find(*change.running) == live_.end()) {
      return "internal error: " + change.running->address + " is not running";
    }
  }
  // The transport is the one step that can still fail (a port in use): first, so that a
  // refusal leaves the loop as it was.
  if (candidate.source_port != running_.source_port) {
    if (auto error = loop_.set_source_port(candidate.source_port)) {
      return "ntp source-port " + std::to_string(candidate.source_port.value_or(0)) + ": " + *error;
    }
  }
  for (const apply::AssociationChange& change : plan.associations) {
    const auto converted =
        change.candidate
            ? std::optional(std::get<0>(engine_side(candidate, *change.candidate, change.mode)))
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

namespace {

// The NTP server's requests in VRP's rows, each outcome in exactly one drop reason or in
// Processed, so that Received = Processed + Dropped holds for them too. Replies (time or a
// kiss-o'-death) count as Sent; a reply the TX queue refused is processed and a send failure.
void add_server_outcomes(display::PacketStatistics& p, const ServeCounts& c) {
  using server::ServeOutcome;
  auto n = [&c](ServeOutcome o) { return c[static_cast<size_t>(o)]; };
  const uint64_t served = n(ServeOutcome::kServedBasic) + n(ServeOutcome::kServedInterleaved);
  const uint64_t kods = n(ServeOutcome::kDenyKodSent) + n(ServeOutcome::kRateKodSent);
  p.processed += served + n(ServeOutcome::kTxFailed);
  p.sent += served + kods;
  p.send_failures += n(ServeOutcome::kTxFailed);
  p.server_disabled += n(ServeOutcome::kDisabled);
  // Not a listening interface/address of this family: VRP's "Interface disabled" (the
  // interface does not serve NTP).
  p.interface_disabled += n(ServeOutcome::kNotListening);
  p.access_denied += n(ServeOutcome::kDeniedAcl) + n(ServeOutcome::kDenyKodSent);
  p.rate_limited += n(ServeOutcome::kRateKodSent) + n(ServeOutcome::kRateDropped);
  // Authentication failures are nested in the validity test failures, as VRP shows them.
  p.authentication_failures += n(ServeOutcome::kAuthFailed);
  p.validity_test_failures += n(ServeOutcome::kAuthFailed);
  p.invalid_packets +=
      n(ServeOutcome::kMalformed) + n(ServeOutcome::kNotRequest) + n(ServeOutcome::kBadVersion);
  p.others += n(ServeOutcome::kBroadcast) + n(ServeOutcome::kUnsupportedFrame);
}

// Dropped and Received from the reasons and Processed.
void total(display::PacketStatistics& p) {
  p.dropped = p.validity_test_failures + p.invalid_packets + p.access_denied + p.rate_limited +
              p.processing_delay + p.interface_disabled + p.max_dynamic_reached +
              p.server_disabled + p.offset_limit + p.others;
  p.received = p.processed + p.dropped;
}

}  // namespace

display::PacketStatistics MgmtHooks::raw_statistics(const runtime::RuntimeStatus& s,
                                                    const BackendCounters& backend,
                                                    size_t family) const {
  const runtime::FamilyCounters& f = s.counters.family[family];
  display::PacketStatistics p;
  p.send_failures = f.send_failures;
  p.sent = f.requests - std::min(f.requests, f.send_failures);
  // A reply beyond `ntp offset-limit` passed the on-wire tests but cannot synchronise: it is
  // in the "Offset limit" row instead of Processed.
  p.offset_limit = f.offset_limited;
  p.processed = f.on_wire[static_cast<size_t>(engine::OnWireReason::kOk)] - f.offset_limited;
  p.authentication_failures = f.on_wire[static_cast<size_t>(engine::OnWireReason::kAuthentication)];
  for (size_t r = 0; r < f.on_wire.size(); ++r) {
    // Authentication failures are counted again inside the validity test failures (VRP nests
    // them), so that the reasons add up to Dropped.
    if (r != static_cast<size_t>(engine::OnWireReason::kOk))
      p.validity_test_failures += f.on_wire[r];
  }
  const BackendDrops& d = backend.family[family];
  p.invalid_packets = d.invalid;
  p.processing_delay = d.processing_delay;
  add_server_outcomes(p, d.server);
  p.others += f.replies_unknown_source;  // replies from no configured server
  total(p);
  return p;
}

MgmtHooks::RawScoped MgmtHooks::raw_scoped(const runtime::RuntimeStatus& s,
                                           const BackendCounters& backend) const {
  RawScoped raw;
  for (const InterfaceServeCounts& itf : backend.interfaces) {
    std::array<display::PacketStatistics, 2>& p = raw.interfaces[itf.interface];
    for (size_t f = 0; f < 2; ++f) {
      add_server_outcomes(p[f], itf.family[f]);
      total(p[f]);
    }
  }
  for (const Live& l : live_) {
    for (const engine::AssociationStatus& a : s.associations) {
      if (a.id == l.id) raw.peers[l.id] = peer_packet_statistics(a);
    }
  }
  return raw;
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
  const BackendCounters backend = backend_counters_ ? backend_counters_() : BackendCounters{};
  const RawScoped scoped = raw_scoped(s, backend);
  for (const auto& [name, raw] : scoped.interfaces) {
    const auto base = baseline_.interfaces.find(name);
    display::InterfacePacketStatistics itf;
    itf.interface = name;
    itf.ipv4 = base == baseline_.interfaces.end() ? raw[0] : minus(raw[0], base->second[0]);
    itf.ipv6 = base == baseline_.interfaces.end() ? raw[1] : minus(raw[1], base->second[1]);
    snapshot.interface_packets.push_back(std::move(itf));
  }
  for (const Live& l : live_) {
    const auto raw = scoped.peers.find(l.id);
    if (raw == scoped.peers.end()) continue;
    const auto base = baseline_.peers.find(l.id);
    display::PeerPacketStatistics peer;
    peer.kind = l.association.kind == config::ServerKind::kIpv6     ? display::PeerKind::kIpv6
                : l.association.kind == config::ServerKind::kDomain ? display::PeerKind::kDomain
                                                                    : display::PeerKind::kIpv4;
    peer.address = l.association.address;
    peer.vpn_instance = l.association.vpn_instance;
    peer.packets = base == baseline_.peers.end() ? raw->second : minus(raw->second, base->second);
    snapshot.peer_packets.push_back(std::move(peer));
  }
  for (size_t f = 0; f < 2; ++f) {
    display::PacketStatistics& p = f == 0 ? snapshot.ipv4_packets : snapshot.ipv6_packets;
    p = minus(raw_statistics(s, backend, f), baseline_.family[f]);
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
  const BackendCounters backend = backend_counters_ ? backend_counters_() : BackendCounters{};
  const RawScoped scoped = raw_scoped(s, backend);
  for (size_t f = 0; f < 2; ++f) {
    if (f == 0 ? !ipv4 : !ipv6) continue;
    baseline_.family[f] = raw_statistics(s, backend, f);
    baseline_drops_[f] = s.counters.drops;
    for (const auto& [name, raw] : scoped.interfaces) baseline_.interfaces[name][f] = raw[f];
  }
  // A peer belongs to the family it is reached over (domain names: IPv4's reset).
  for (const Live& l : live_) {
    const bool v6 = l.association.kind == config::ServerKind::kIpv6;
    const auto raw = scoped.peers.find(l.id);
    if (raw != scoped.peers.end() && (v6 ? ipv6 : ipv4)) baseline_.peers[l.id] = raw->second;
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
