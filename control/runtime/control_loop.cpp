#include "control/runtime/control_loop.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <variant>

#include "control/auth/auth_status.hpp"
#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime::runtime {

namespace {

// Truncating copy into a fixed, NUL-terminated field (no allocation).
template <size_t N>
void copy_text(std::array<char, N>& to, std::string_view from) {
  const size_t n = std::min(from.size(), N - 1);
  std::copy_n(from.data(), n, to.data());
  to[n] = '\0';
}

}  // namespace

std::string to_string(const Peer& peer) {
  const std::string address = l3::to_string(peer.address);
  std::string text = peer.address.version == wire::IpVersion::kV6 ? "[" + address + "]" : address;
  text += ":" + std::to_string(peer.port);
  return peer.vrf == 0 ? text : text + "@vrf" + std::to_string(peer.vrf);
}

const char* to_string(ClockUpdateKind kind) {
  switch (kind) {
    case ClockUpdateKind::kStep:
      return "step";
    case ClockUpdateKind::kSlew:
      return "slew";
    case ClockUpdateKind::kFrequency:
      return "frequency";
    case ClockUpdateKind::kLeap:
      return "leap";
    case ClockUpdateKind::kEnd:
      return "end";
  }
  return "?";
}

namespace {

// The engine accounts for running slews at the rate the driver really slews.
engine::EngineConfig with_slew(engine::EngineConfig config, const engine::SlewCapability& slew) {
  config.slew = slew;
  return config;
}

}  // namespace

ControlLoop::ControlLoop(const engine::EngineConfig& config, uint64_t seed, RuntimeClock& clock,
                         Transport& transport, RuntimeObserver& observer, Resolver* resolver)
    : prng_(seed),
      engine_(with_slew(config, clock.slew_capability()), prng_),
      clock_(clock),
      transport_(transport),
      observer_(observer),
      resolver_(resolver),
      tick_origin_(clock.now_ticks()),
      ticks_per_ns_(clock.ticks_per_second() * 1e-9) {}

engine::SteadyNanos ControlLoop::steady(uint64_t ticks) const {
  return static_cast<engine::SteadyNanos>(std::llround(
      static_cast<double>(static_cast<int64_t>(ticks - tick_origin_)) / ticks_per_ns_));
}

uint64_t ControlLoop::ticks_of(engine::SteadyNanos steady) const {
  return tick_origin_ +
         static_cast<uint64_t>(std::llround(static_cast<double>(steady) * ticks_per_ns_));
}

ControlLoop::Entry* ControlLoop::find(engine::AssociationId id) {
  for (Entry& e : entries_) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

engine::AssociationId ControlLoop::add(const engine::AssociationConfig& config, const Peer& peer) {
  const engine::AssociationId id = engine_.add(config, steady(clock_.now_ticks()));
  Entry e;
  e.id = id;
  e.peer = peer;
  if (placement_) placement_(config, e.peer);
  e.resolved = !config.is_domain;
  e.key_id = config.key_id;
  e.vpn_instance = config.vpn_instance;
  entries_.push_back(e);
  report_changes();
  return id;
}

bool ControlLoop::remove(engine::AssociationId id) {
  if (!engine_.remove(id)) return false;
  std::erase_if(entries_, [id](const Entry& e) { return e.id == id; });
  report_changes();
  return true;
}

bool ControlLoop::reconfigure(engine::AssociationId id, const engine::AssociationConfig& config) {
  Entry* e = find(id);
  if (e == nullptr || !engine_.reconfigure(id, config)) return false;
  e->key_id = config.key_id;
  e->vpn_instance = config.vpn_instance;
  if (placement_) placement_(config, e->peer);
  report_changes();
  return true;
}

void ControlLoop::place_again(
    const std::function<void(const engine::AssociationConfig&, const Peer&)>& placed) {
  if (!placement_) return;
  for (const engine::Association& a : engine_.associations()) {
    Entry* e = find(a.id);
    if (e == nullptr) continue;
    placement_(a.config, e->peer);
    if (placed && e->resolved) placed(a.config, e->peer);
  }
}

void ControlLoop::on_resolved(engine::AssociationId id, std::optional<Peer> peer) {
  Entry* e = find(id);
  if (e == nullptr) return;
  if (peer) {
    // The name gives the address and port; where the server is reached stays as configured.
    e->peer.address = peer->address;
    e->peer.port = peer->port;
    e->resolved = true;
  }
  engine_.on_resolved(id, peer.has_value(), steady(clock_.now_ticks()));
  report_changes();
}

// The last matching entry: a reply belongs to the association that took that peer most recently.
ControlLoop::Entry* ControlLoop::find_resolved(const Peer& peer) {
  Entry* found = nullptr;
  for (Entry& e : entries_) {
    if (e.resolved && same_server(e.peer, peer)) found = &e;
  }
  return found;
}

uint32_t ControlLoop::key_id(engine::AssociationId id) const {
  for (const Entry& e : entries_) {
    if (e.id == id) return e.key_id;
  }
  return 0;
}

uint32_t ControlLoop::key_id_of_peer(const Peer& from) const {
  uint32_t key = 0;  // as find_resolved: the last match
  for (const Entry& e : entries_) {
    if (e.resolved && same_server(e.peer, from)) key = e.key_id;
  }
  return key;
}

void ControlLoop::on_transmitted(NtpTimestamp cookie, uint64_t t1_ticks) {
  for (Query& q : queries_) {
    if (q.cookie == cookie) {
      if (q.t1.is_zero()) q.t1 = clock_.to_ntp(t1_ticks);
      return;
    }
  }
  if (!engine_.on_sent(cookie, clock_.to_ntp(t1_ticks), false)) ++counters_.transmitted_unmatched;
}

void ControlLoop::on_transmit_stamp(NtpTimestamp cookie, uint64_t t1_ticks) {
  for (Query& q : queries_) {
    if (q.cookie == cookie) {
      q.t1 = clock_.to_ntp(t1_ticks);
      return;
    }
  }
  if (!engine_.on_sent(cookie, clock_.to_ntp(t1_ticks), true)) ++counters_.transmitted_unmatched;
}

void ControlLoop::on_not_sent(NtpTimestamp cookie) {
  for (size_t i = 0; i < queries_.size(); ++i) {
    if (queries_[i].cookie == cookie) {
      QueryResult r;
      r.outcome = QueryResult::Outcome::kNotSent;
      finish_query(i, r);
      return;
    }
  }
  ++counters_.not_sent;
  // The engine sees an unanswered poll, as on a lossy link.
  if (const auto id = engine_.on_not_sent(cookie)) {
    if (const Entry* e = find(*id)) {
      ++family(e->peer).send_failures;
      observer_.on_send_failure(e->peer);
    }
  }
}

void ControlLoop::deliver(const TransportEvent& ev) {
  switch (ev.kind) {
    case TransportEvent::Kind::kTransmitted:
      on_transmitted(ev.cookie, ev.ticks);
      return;
    case TransportEvent::Kind::kTransmitStamp:
      on_transmit_stamp(ev.cookie, ev.ticks);
      return;
    case TransportEvent::Kind::kNotSent:
      on_not_sent(ev.cookie);
      return;
    case TransportEvent::Kind::kReply:
      if (ev.utc) {
        on_reply_at(ev.from, ev.packet, NtpTimestamp::from_unix_nanos(*ev.utc), *ev.utc,
                    ev.provenance, ev.datagram, ev.mac_too_long);
      } else {
        on_reply(ev.from, ev.packet, ev.ticks, ev.provenance, ev.datagram, ev.mac_too_long);
      }
      return;
  }
}

engine::AuthStatus ControlLoop::verify(const Peer& from, const wire::NtpPacket& packet,
                                       std::span<const uint8_t> datagram, bool mac_too_long) {
  const uint32_t key_id = key_id_of_peer(from);
  if (key_id == 0) return engine::AuthStatus::kNotRequired;
  auth::MacVerdict verdict = auth::MacVerdict::kUnknownKey;
  if (keys_ == nullptr) {
    verdict = auth::MacVerdict::kUnknownKey;
  } else if (!datagram.empty()) {
    verdict = auth::verify_ntp_packet(*keys_, datagram, packet, key_id);
  } else if (!packet.has_mac) {
    verdict = auth::verify_ntp_header(*keys_, packet.header, nullptr, key_id);
  } else if (mac_too_long) {
    // A digest longer than the transport keeps cannot be an NTPv4 MAC of ours.
    verdict = auth::MacVerdict::kBadLength;
  } else if (packet.extension_count != 0) {
    // Without the payload the MAC is checked over the header only: it cannot cover fields.
    verdict = auth::MacVerdict::kBadDigest;
  } else {
    verdict = auth::verify_ntp_header(*keys_, packet.header, &packet.mac, key_id);
  }
  ++counters_.auth_verdicts[static_cast<size_t>(verdict)];
  return auth::auth_status_of(verdict, true);
}

bool ControlLoop::sign(uint32_t key_id, OutgoingRequest& request) const {
  if (keys_ == nullptr) return false;
  std::array<uint8_t, wire::kNtpHeaderSize> covered{};
  if (wire::encode_ntp(covered, request.header) != covered.size()) return false;
  auth::MacTrailer trailer;
  if (auth::sign_ntp(*keys_, key_id, covered, request.header.version, trailer) !=
          auth::SignError::kOk ||
      trailer.digest_length == 0) {
    return false;
  }
  request.mac = trailer;
  return true;
}

void ControlLoop::on_reply(const Peer& from, const wire::NtpPacket& packet, uint64_t t4_ticks,
                           engine::TimestampSource provenance, std::span<const uint8_t> datagram,
                           bool mac_too_long) {
  on_reply_at(from, packet, clock_.to_ntp(t4_ticks), clock_.to_utc(t4_ticks), provenance, datagram,
              mac_too_long);
}

void ControlLoop::on_reply_at(const Peer& from, const wire::NtpPacket& packet, NtpTimestamp t4,
                              UnixNanos t4_utc, engine::TimestampSource provenance,
                              std::span<const uint8_t> datagram, bool mac_too_long) {
  if (answer_query(from, packet, t4)) return;
  // The same entry key_id_of_peer() named, so the MAC was checked against its key.
  Entry* entry = find_resolved(from);
  if (entry == nullptr) {
    ++counters_.replies_unknown_source;
    ++family(from).replies_unknown_source;
    record_drop(from, true, engine::OnWireReason::kOk);
    return;
  }
  ++counters_.replies;
  ++family(from).replies;
  entry->rx_interface = from.interface;
  const engine::AuthStatus auth = verify(from, packet, datagram, mac_too_long);
  if (auth == engine::AuthStatus::kFailed || auth == engine::AuthStatus::kMissing) {
    ++counters_.authentication_failures;
  }
  MeasurementRecord m;
  m.association = entry->id;
  m.peer = from;
  m.header = packet.header;
  m.t4 = t4;
  m.time = t4_utc;
  m.provenance = provenance;
  // The engine alone knows the exchange: it says what it measured.
  const engine::ReplyOutcome outcome =
      engine_.on_reply(entry->id, packet, m.t4, auth, engine::SampleProvenance{provenance, 0, 0},
                       steady(clock_.now_ticks()), actions_);
  m.reason = outcome.reason;
  if (outcome.sample) {
    m.t1 = outcome.sample->t1;
    m.offset = outcome.sample->offset;
    m.delay = outcome.sample->delay;
    m.dispersion = outcome.sample->dispersion;
  }
  ++family(from).on_wire[static_cast<size_t>(m.reason)];
  if (outcome.offset_limited) ++family(from).offset_limited;
  if (m.reason != engine::OnWireReason::kOk) record_drop(from, false, m.reason);
  observer_.on_measurement(m);
  execute(actions_);
  report_changes();
}

uint64_t ControlLoop::run_due() {
  const int leaps_before = clock_.info().leaps;
  if (clock_.advance()) {
    const ClockInfo info = clock_.info();
    if (info.leaps != leaps_before) {
      TrackingRecord t;
      const uint64_t now = clock_.now_ticks();
      t.time = clock_.to_utc(now);
      t.ticks = now;
      t.kind = ClockUpdateKind::kLeap;
      t.system = engine_.system_status(steady(now));
      t.clock = info;
      observer_.on_tracking(t);
    }
  }
  const uint64_t now = clock_.now_ticks();
  for (size_t i = 0; i < queries_.size();) {
    if (static_cast<int64_t>(now - queries_[i].deadline) >= 0) {
      QueryResult r;
      r.outcome = QueryResult::Outcome::kTimedOut;
      finish_query(i, r);  // `done` may start the next query: look at the list again
      i = 0;
      continue;
    }
    ++i;
  }
  const engine::SteadyNanos steady_now = steady(now);
  if (engine_.next_wakeup() <= steady_now) {
    engine_.on_timer(steady_now, actions_);
    execute(actions_);
    report_changes();
  }
  const engine::SteadyNanos wake = engine_.next_wakeup();
  // Nothing scheduled (no associations): look again in a second.
  uint64_t next =
      wake == INT64_MAX ? now + static_cast<uint64_t>(clock_.ticks_per_second()) : ticks_of(wake);
  if (const auto event = clock_.next_event(); event && static_cast<int64_t>(*event - next) < 0) {
    next = *event;
  }
  for (const Query& q : queries_) {
    if (static_cast<int64_t>(q.deadline - next) < 0) next = q.deadline;
  }
  return next;
}

void ControlLoop::execute(engine::Actions& actions) {
  std::optional<TrackingRecord> tracking;
  for (const engine::Action& action : actions) {
    if (const auto* send = std::get_if<engine::SendRequest>(&action)) {
      Entry* e = find(send->association);
      if (e == nullptr || !e->resolved) continue;
      ++counters_.requests;
      ++family(e->peer).requests;
      OutgoingRequest out;
      out.association = send->association;
      out.header = request_header(*send);
      const bool signed_ok = e->key_id == 0 || sign(e->key_id, out);
      if (!signed_ok) ++counters_.sign_failures;
      if (!signed_ok || !transport_.send_request(e->peer, out)) {
        ++counters_.send_failures;
        ++family(e->peer).send_failures;
        engine_.on_not_sent(send->cookie);
        observer_.on_send_failure(e->peer);
      }
    } else if (const auto* resolve = std::get_if<engine::ResolveName>(&action)) {
      const auto status = engine_.association_status(0);
      std::string name;
      for (const auto& s : status) {
        if (s.id == resolve->association) name = s.source;
      }
      if (resolver_ != nullptr) {
        resolver_->resolve(resolve->association, name);
      } else {
        on_resolved(resolve->association, std::nullopt);
      }
    } else if (const auto* panic = std::get_if<engine::Panic>(&action)) {
      ++counters_.panics;
      observer_.on_panic(panic->offset);
    } else {
      // A clock action. One tracking line per batch: the engine emits a step or a slew, then
      // the new frequency, for one update.
      if (!tracking) {
        tracking.emplace();
        tracking->ticks = clock_.now_ticks();
        tracking->time = clock_.to_utc(tracking->ticks);
        tracking->kind = ClockUpdateKind::kFrequency;
      }
      if (const auto* step = std::get_if<engine::StepClock>(&action)) {
        tracking->kind = ClockUpdateKind::kStep;
        tracking->correction = step->offset;
      } else if (const auto* slew = std::get_if<engine::SlewClock>(&action)) {
        tracking->kind = ClockUpdateKind::kSlew;
        tracking->correction = slew->offset;
      } else if (const auto* freq = std::get_if<engine::SetFrequency>(&action)) {
        if (tracking->kind == ClockUpdateKind::kFrequency) tracking->correction = freq->frequency;
      } else if (std::holds_alternative<engine::ScheduleLeap>(action) &&
                 tracking->kind == ClockUpdateKind::kFrequency) {
        tracking->kind = ClockUpdateKind::kLeap;
      }
      clock_.apply(action);
    }
  }
  actions.clear();
  if (tracking) {
    ++counters_.clock_updates;
    tracking->system = engine_.system_status(steady(tracking->ticks));
    tracking->clock = clock_.info();
    observer_.on_tracking(*tracking);
  }
}

void ControlLoop::report_changes() {
  const engine::SteadyNanos now = steady(clock_.now_ticks());
  const std::vector<engine::AssociationStatus> statuses = engine_.association_status(now);
  for (const engine::AssociationStatus& s : statuses) {
    if (s.master && s.id != system_peer_.id) {
      // Copied now: by the time sync is lost the association may be gone.
      system_peer_.id = s.id;
      system_peer_.event = UnsyncEvent{};
      copy_text(system_peer_.event.source, s.source);
      if (const Entry* e = find(s.id)) copy_text(system_peer_.event.vpn_instance, e->vpn_instance);
      system_peer_.event.configured = s.configured;
      system_peer_.auth_rejections =
          s.on_wire[static_cast<size_t>(engine::OnWireReason::kAuthentication)];
    }
    Entry* e = find(s.id);
    if (e == nullptr || e->last_selection == s.selection) continue;
    const auto previous = e->last_selection;
    e->last_selection = s.selection;
    observer_.on_source_status(s, previous);
  }
  if (engine_.synchronized() != synchronized_) {
    synchronized_ = engine_.synchronized();
    if (!synchronized_) record_unsync(statuses);
    observer_.on_synchronization(synchronized_, engine_.system_status(now));
  }
}

void ControlLoop::record_unsync(const std::vector<engine::AssociationStatus>& statuses) {
  UnsyncEvent event = system_peer_.event;
  event.time = clock_.to_utc(clock_.now_ticks());
  event.reason = UnsyncReason::kRemoved;
  for (const engine::AssociationStatus& s : statuses) {
    if (s.id != system_peer_.id || system_peer_.id == 0) continue;
    const uint64_t auth = s.on_wire[static_cast<size_t>(engine::OnWireReason::kAuthentication)];
    if (auth > system_peer_.auth_rejections) {
      event.reason = UnsyncReason::kAuthentication;
    } else if (s.reach == 0) {
      event.reason = UnsyncReason::kReachabilityLost;
    } else if (s.stratum >= engine::kStratumUnsynchronized) {
      event.reason = UnsyncReason::kSourceUnsynchronized;
    } else {
      event.reason = UnsyncReason::kSelection;
    }
  }
  counters_.last_unsyncs[counters_.unsyncs % kLastUnsyncs] = event;
  ++counters_.unsyncs;
  // The next sync starts from a new system peer, even if it is the same server again.
  system_peer_ = SystemPeer{};
}

const char* to_string(UnsyncReason reason) {
  switch (reason) {
    case UnsyncReason::kReachabilityLost:
      return "Peer reachability lost";
    case UnsyncReason::kAuthentication:
      return "Authentication failure";
    case UnsyncReason::kSourceUnsynchronized:
      return "Peer clock unsynchronized";
    case UnsyncReason::kSelection:
      return "Clock selection failed";
    case UnsyncReason::kRemoved:
      return "Peer removed";
  }
  return "Unknown";
}

RuntimeStatus ControlLoop::status() const {
  const engine::SteadyNanos now = steady(clock_.now_ticks());
  return RuntimeStatus{engine_.system_status(now), engine_.association_status(now), clock_.info(),
                       counters_};
}

}  // namespace wiretime::runtime

namespace wiretime::runtime {

void ControlLoop::record_drop(const Peer& from, bool unknown_source, engine::OnWireReason reason) {
  counters_.last_drops[counters_.drops % kLastDrops] =
      DropRecord{from.address.version, unknown_source, reason};
  ++counters_.drops;
}

bool ControlLoop::query(const Peer& peer, double timeout_s, QueryDone done) {
  if (queries_.size() >= kMaxQueries || peer.address.version == wire::IpVersion::kNone) {
    return false;
  }
  engine::SendRequest request;
  request.association = 0;  // no association: nothing to sign
  request.cookie = NtpTimestamp::from_raw(prng_.next() | 1);
  request.version = 4;
  OutgoingRequest out;
  out.header = request_header(request);
  Query q;
  q.peer = peer;
  q.cookie = request.cookie;
  q.deadline = clock_.now_ticks() +
               static_cast<uint64_t>(std::max(0.0, timeout_s) * clock_.ticks_per_second());
  q.done = std::move(done);
  // Listed first: a transport may report T1 from inside send_request.
  queries_.push_back(std::move(q));
  if (!transport_.send_request(peer, out)) {
    queries_.pop_back();
    return false;
  }
  ++counters_.queries;
  return true;
}

bool ControlLoop::answer_query(const Peer& from, const wire::NtpPacket& packet, NtpTimestamp t4) {
  const wire::NtpHeader& h = packet.header;
  for (size_t i = 0; i < queries_.size(); ++i) {
    const Query& q = queries_[i];
    if (q.cookie != h.origin || !same_server(q.peer, from)) continue;
    QueryResult r;
    r.outcome = QueryResult::Outcome::kAnswered;
    r.header = h;
    const engine::ReplyOutcome m = engine_.measure_query(h, q.cookie, q.t1, t4);
    r.reason = m.reason;
    if (m.sample) {
      r.measured = true;
      r.offset = m.sample->offset;
      r.delay = m.sample->delay;
    }
    finish_query(i, r);
    return true;
  }
  return false;
}

void ControlLoop::finish_query(size_t index, QueryResult result) {
  Query q = std::move(queries_[index]);
  queries_.erase(queries_.begin() + static_cast<std::ptrdiff_t>(index));
  result.peer = q.peer;
  if (q.done) q.done(result);
}

std::optional<Peer> ControlLoop::peer_of(engine::AssociationId id) const {
  for (const Entry& e : entries_) {
    if (e.id == id && e.resolved) return e.peer;
  }
  return std::nullopt;
}

uint16_t ControlLoop::rx_interface(engine::AssociationId id) const {
  for (const Entry& e : entries_) {
    if (e.id == id) return e.rx_interface;
  }
  return kAnyInterface;
}

}  // namespace wiretime::runtime
