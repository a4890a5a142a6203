#include "control/engine/client_engine.hpp"

#include <algorithm>
#include <cmath>

#include "control/engine/clock_cluster.hpp"
#include "control/engine/clock_combine.hpp"
#include "control/engine/clock_select.hpp"
#include "control/engine/kiss_code.hpp"
#include "control/engine/leap.hpp"
#include "control/engine/system_peer.hpp"

namespace wiretime::engine {
namespace {

// RFC 5905 section 7.3: an IPv4 system peer's refid is its address.
uint32_t ipv4_refid(const std::string& text) {
  uint32_t value = 0;
  int parts = 0;
  int octet = -1;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      octet = (octet < 0 ? 0 : octet * 10) + (ch - '0');
      if (octet > 255) return 0;
    } else if (ch == '.' && octet >= 0) {
      value = (value << 8) | static_cast<uint32_t>(octet);
      octet = -1;
      ++parts;
    } else {
      return 0;
    }
  }
  if (octet < 0 || parts != 3) return 0;
  return (value << 8) | static_cast<uint32_t>(octet);
}

}  // namespace

SourceContext ClientEngine::source_context() const {
  return SourceContext{precision_, config_.oscillator_wander, synchronized(), config_.poll_target};
}

ClientEngine::ClientEngine(const EngineConfig& config, Prng& prng)
    : config_(config),
      prng_(prng),
      precision_(std::ldexp(1.0, config.precision)),
      clock_(config.mode, std::ldexp(1.0, config.precision), config.initial_frequency) {}

Association* ClientEngine::find(AssociationId id) {
  for (auto& a : associations_)
    if (a.id == id) return &a;
  return nullptr;
}

AssociationId ClientEngine::add(const AssociationConfig& config, SteadyNanos now) {
  Association a;
  a.id = next_id_++;
  a.config = config;
  a.config.min_poll = std::clamp(config.min_poll, kPollFloor, kPollCeiling);
  a.config.max_poll = std::clamp(config.max_poll, a.config.min_poll, kPollCeiling);
  a.hpoll = a.config.min_poll;
  a.resolved = !config.is_domain;
  a.next_poll = steady_seconds(now);
  a.selection = a.resolved ? SelectionStatus::kUnreachable : SelectionStatus::kUnresolved;
  associations_.push_back(a);
  if (!clock_updated_) {
    // The first update waits until this server could have given its first two samples.
    const double initial =
        config.iburst ? (kIburstCount - 1) * kBurstSpacing : std::ldexp(1.0, a.config.min_poll);
    startup_deadline_ =
        std::max(startup_deadline_, steady_seconds(now) + initial + kStartupReplyGrace);
  }
  // The system poll starts at the smallest minpoll (RFC: s.poll = MINPOLL).
  int min_poll = kPollCeiling;
  for (const auto& x : associations_) min_poll = std::min(min_poll, x.config.min_poll);
  if (!clock_.synchronized()) clock_.set_poll(min_poll);
  return a.id;
}

bool ClientEngine::remove(AssociationId id) {
  auto it = std::find_if(associations_.begin(), associations_.end(),
                         [&](const Association& a) { return a.id == id; });
  if (it == associations_.end()) return false;
  if (system_peer_ == static_cast<int>(id)) system_peer_ = -1;
  associations_.erase(it);
  return true;
}

bool ClientEngine::reconfigure(AssociationId id, const AssociationConfig& config) {
  Association* a = find(id);
  if (a == nullptr || a->config.address != config.address) return false;
  const bool resolved = a->resolved;
  a->config = config;
  a->config.min_poll = std::clamp(config.min_poll, kPollFloor, kPollCeiling);
  a->config.max_poll = std::clamp(config.max_poll, a->config.min_poll, kPollCeiling);
  // The current poll exponent moves into the new range; the next poll time stays.
  a->hpoll = std::clamp(a->hpoll, a->config.min_poll, a->config.max_poll);
  a->resolved = resolved;  // a domain server keeps the address it resolved to
  return true;
}

void ClientEngine::set_globals(const EngineGlobals& globals) {
  config_.max_distance = globals.max_distance;
  config_.unsync = globals.unsync;
  config_.authentication_enabled = globals.authentication_enabled;
  config_.offset_limit = globals.offset_limit;
  config_.sync_interval = globals.sync_interval;
}

EngineGlobals ClientEngine::globals() const {
  return EngineGlobals{config_.max_distance, config_.unsync, config_.authentication_enabled,
                       config_.offset_limit, config_.sync_interval};
}

void ClientEngine::on_resolved(AssociationId id, bool ok, SteadyNanos now) {
  Association* a = find(id);
  if (a == nullptr) return;
  a->resolved = ok;
  a->selection = ok ? SelectionStatus::kUnreachable : SelectionStatus::kUnresolved;
  a->next_poll =
      ok ? steady_seconds(now) : steady_seconds(now) + std::ldexp(1.0, a->config.min_poll);
}

double ClientEngine::next_interval(Association& a) {
  double interval;
  if (!synchronized()) {
    // vrp-ntp-cli.md section 11 Q8: the unsynchronised interval starts at 2^minpoll.
    interval = a.current_interval <= 0.0 ? std::ldexp(1.0, a.config.min_poll)
                                         : unsync_next_interval(a.current_interval, config_.unsync);
    // A maxpoll below the unsynchronised ceiling still bounds the interval (lab exponents).
    interval = std::min(
        interval, std::max(std::ldexp(1.0, a.config.max_poll), std::ldexp(1.0, a.config.min_poll)));
  } else {
    const int hp = host_poll(clock_.poll(), a.rate_floor, a.config.min_poll, a.config.max_poll);
    a.hpoll = std::min(hp + a.backoff, a.config.max_poll);
    interval = std::ldexp(1.0, a.hpoll);
  }
  if (config_.sync_interval > 0.0 && interval > config_.sync_interval) {
    // The request's poll field says the interval actually used (whole exponent at most it).
    interval = config_.sync_interval;
    a.hpoll = std::min(a.hpoll, static_cast<int>(std::floor(std::log2(interval))));
  }
  // A server's RATE kiss outranks the local wish to poll more often.
  if (a.rate_floor > kPollFloor) interval = std::max(interval, std::ldexp(1.0, a.rate_floor));
  if (!synchronized()) a.hpoll = static_cast<int>(std::lround(std::log2(interval)));
  a.current_interval = interval;
  return interval;
}

void ClientEngine::poll(Association& a, double now, Actions& out) {
  if (!a.in_burst) {
    // RFC 5905 section 13 poll(): one shift of the reach register per poll, not per packet.
    const bool reachable = a.reach != 0;
    a.reach = static_cast<uint8_t>(a.reach << 1);
    if (a.reach == 0) {
      ++a.unreach;
      // Timeout back-off: after kUnreachBackoff silent polls, poll less often, up to maxpoll.
      if (a.unreach >= kUnreachBackoff && a.hpoll + a.backoff < a.config.max_poll) ++a.backoff;
      if (a.have_reply) a.selection = SelectionStatus::kUnreachable;
      if (system_peer_ == static_cast<int>(a.id)) system_peer_ = -1;
      // A domain server silent for as long as the back-off threshold may have moved: ask the
      // environment to resolve its name again before the next poll.
      if (a.config.is_domain && a.unreach == kUnreachBackoff) {
        a.resolved = false;
        a.selection = SelectionStatus::kUnresolved;
      }
    }
    // Three polls without a reply: push a dummy sample so the peer's dispersion grows.
    if ((a.reach & 0x7) == 0 && a.have_reply) {
      a.filter.add(FilterSample{0.0, kMaxDisp, kMaxDisp, now}, now, precision_, true);
    }
    a.burst_left = 0;
    if (reachable && a.config.burst) a.burst_left = kBurstCount - 1;
    if (!reachable && a.config.iburst) a.burst_left = kIburstCount - 1;
    a.last_poll = now;
    next_interval(a);
  } else {
    --a.burst_left;
  }

  a.cookie = NtpTimestamp::from_raw(prng_.next() | 1);  // never zero: zero means "not set"
  a.outstanding = true;
  a.t1 = NtpTimestamp{};
  ++a.sent;
  // Interleaved: name the last exchange by the server's receive timestamp of it; the server
  // answers in interleaved mode only if that is the last request it saw from us.
  a.xleave_nonce = NtpTimestamp{};
  NtpTimestamp origin;
  if (a.config.interleaved && a.prev_valid) {
    a.xleave_nonce = NtpTimestamp::from_raw(prng_.next() | 1);
    origin = a.prev_t2;
  }
  out.push_back(SendRequest{a.id, a.cookie, a.config.ipv6 ? uint8_t{4} : a.config.version,
                            static_cast<int8_t>(a.hpoll), origin, a.xleave_nonce});

  // Burst packets go 2 s apart (Q17), closer when the poll interval itself is shorter (lab
  // exponents below 1): a fixed 2 s floor would turn a 1 s poll into 2 s.
  const double spacing = std::min(kBurstSpacing, a.current_interval);
  if (a.burst_left > 0) {
    a.in_burst = true;
    a.next_poll = now + spacing;
  } else {
    a.in_burst = false;
    a.next_poll = std::max(a.last_poll + a.current_interval, now + spacing);
  }
}

void ClientEngine::on_timer(SteadyNanos now_ns, Actions& out) {
  const double now = steady_seconds(now_ns);
  if (clock_.discipline().needs_adjust_timer()) {
    while (now >= next_adjust_) {
      const ClockCommand cmd = clock_.adjust();
      if (cmd.action == ClockAction::kSlew) {
        out.push_back(SlewClock{cmd.slew});
        plan_slew(slew_pending(now) + cmd.slew, now);
        slew_issued_ += cmd.slew;
      }
      next_adjust_ = std::max(next_adjust_ + 1.0, now - 1.0);
    }
  }
  for (auto& a : associations_) {
    if (a.stopped || now < a.next_poll) continue;
    if (!a.resolved) {
      out.push_back(ResolveName{a.id});
      a.next_poll = now + std::ldexp(1.0, a.config.min_poll);
      continue;
    }
    poll(a, now, out);
  }
}

void ClientEngine::on_sent(AssociationId id, NtpTimestamp cookie, NtpTimestamp t1) {
  Association* a = find(id);
  if (a != nullptr && a->outstanding && a->cookie == cookie) a->t1 = t1;
}

void ClientEngine::handle_kiss(Association& a, const wire::NtpHeader& h, double now) {
  const KissReaction r = kiss_reaction(h.kiss(), a.hpoll, h.poll, a.config.max_poll);
  if (r.stop) {
    a.stopped = true;
    a.stop_code = h.kiss();
    a.selection = SelectionStatus::kKissDenied;
    if (system_peer_ == static_cast<int>(a.id)) system_peer_ = -1;
  }
  if (r.raise_poll) {
    a.rate_floor = std::max(a.rate_floor, r.new_poll);
    a.hpoll = std::max(a.hpoll, r.new_poll);
    a.next_poll = std::max(a.next_poll, now + std::ldexp(1.0, a.rate_floor));
    a.burst_left = 0;
    a.in_burst = false;
  }
}

std::optional<AssociationId> ClientEngine::on_sent(NtpTimestamp cookie, NtpTimestamp t1,
                                                   bool replace) {
  for (auto& a : associations_) {
    if (!a.outstanding || a.cookie != cookie) continue;
    if (replace || a.t1.is_zero()) a.t1 = t1;
    return a.id;
  }
  return std::nullopt;
}

std::optional<AssociationId> ClientEngine::on_not_sent(NtpTimestamp cookie) {
  for (auto& a : associations_) {
    if (!a.outstanding || a.cookie != cookie) continue;
    a.outstanding = false;
    return a.id;
  }
  return std::nullopt;
}

ExchangeSample ClientEngine::exchange_sample(NtpTimestamp t1, const wire::NtpHeader& h,
                                             NtpTimestamp t4) const {
  const OnWireSample raw = compute_sample(t1, h.receive, h.transmit, t4, h.precision, precision_);
  return ExchangeSample{t1,         h.receive, h.transmit,     t4,
                        raw.offset, raw.delay, raw.dispersion, false};
}

ReplyOutcome ClientEngine::measure_query(const wire::NtpHeader& h, NtpTimestamp cookie,
                                         NtpTimestamp t1, NtpTimestamp t4) const {
  OnWireContext ctx;
  ctx.request_outstanding = !t1.is_zero();
  ctx.cookie = cookie;
  ctx.stratum_limit = config_.local_reference_stratum;
  ctx.max_distance = config_.max_distance;
  ReplyOutcome outcome{check_reply(h, ctx), std::nullopt};
  if (ctx.request_outstanding && h.origin == cookie) outcome.sample = exchange_sample(t1, h, t4);
  return outcome;
}

ReplyOutcome ClientEngine::on_reply(AssociationId id, const wire::NtpPacket& packet,
                                    NtpTimestamp t4, AuthStatus auth,
                                    const SampleProvenance& provenance, SteadyNanos now_ns,
                                    Actions& out) {
  Association* ap = find(id);
  if (ap == nullptr) return {OnWireReason::kUnexpected, std::nullopt};
  Association& a = *ap;
  const double now = steady_seconds(now_ns);
  const wire::NtpHeader& h = packet.header;
  ++a.received;

  OnWireContext ctx;
  ctx.request_outstanding = a.outstanding && !a.t1.is_zero();
  ctx.cookie = a.cookie;
  ctx.last_transmit = a.last_transmit;
  ctx.xleave_nonce = a.xleave_nonce;
  ctx.xleave_receive = a.prev_t2;
  ctx.authentication_required = config_.authentication_enabled && a.config.key_id != 0;
  ctx.auth = auth;
  ctx.stratum_limit = config_.local_reference_stratum;
  ctx.max_distance = config_.max_distance;
  const OnWireReason reason = check_reply(h, ctx);
  ++a.counters[static_cast<size_t>(reason)];
  ReplyOutcome outcome{reason, std::nullopt};
  // The measurement log shows every answer to our request with its raw sample.
  if (ctx.request_outstanding && h.origin == a.cookie)
    outcome.sample = exchange_sample(a.t1, h, t4);

  switch (reason) {
    case OnWireReason::kOk:
      break;
    case OnWireReason::kKissOfDeath:
      a.outstanding = false;
      a.prev_valid = false;
      handle_kiss(a, h, now);
      return outcome;
    case OnWireReason::kAuthentication:
      a.auth_error = true;
      return outcome;
    case OnWireReason::kUnsynchronized:
    case OnWireReason::kStratum:
    case OnWireReason::kDistance:
      // A genuine answer from a server we must not use: show it, but do not count it as
      // reachable (RFC packet() returns before setting reach).
      a.outstanding = false;
      a.prev_valid = false;
      a.peer = h;
      a.have_reply = true;
      if (system_peer_ == static_cast<int>(a.id)) system_peer_ = -1;
      a.selection = reason == OnWireReason::kUnsynchronized ? SelectionStatus::kUnsynchronized
                    : reason == OnWireReason::kStratum      ? SelectionStatus::kStratum
                                                            : SelectionStatus::kDistance;
      return outcome;
    default:
      return outcome;
  }

  a.outstanding = false;
  a.last_transmit = h.transmit;
  a.reach |= 1;
  a.unreach = 0;
  a.backoff = 0;
  a.auth_error = false;
  a.have_reply = true;
  a.peer = h;
  // Interleaved: the sample is the previous exchange, completed by the server's true T3; the
  // corrections applied to the clock since then are taken off its offset like a pending slew.
  const bool interleaved = is_interleaved_reply(h, ctx);
  a.org = interleaved ? a.prev_t1 : a.t1;
  a.rec = interleaved ? a.prev_t2 : h.receive;
  a.xmt = h.transmit;
  a.dst = interleaved ? a.prev_t4 : t4;
  double correction = slew_pending(now);
  if (interleaved) {
    correction += applied_correction(now) - a.prev_applied;
    ++a.interleaved_samples;
  }
  a.prev_t1 = a.t1;
  a.prev_t2 = h.receive;
  a.prev_t4 = t4;
  a.prev_applied = applied_correction(now);
  a.prev_valid = true;
  a.last_rx = now;
  a.provenance = provenance;
  ++a.accepted;

  a.last_sample = compute_sample(a.org, a.rec, a.xmt, a.dst, h.precision, precision_);
  if (interleaved) {
    outcome.sample = ExchangeSample{a.org,
                                    a.rec,
                                    a.xmt,
                                    a.dst,
                                    a.last_sample.offset,
                                    a.last_sample.delay,
                                    a.last_sample.dispersion,
                                    true};
  }
  a.last_sample.offset -= correction;
  outcome.offset_limited =
      config_.offset_limit > 0.0 && std::abs(a.last_sample.offset) > config_.offset_limit;
  if (outcome.offset_limited) ++a.offset_limited;
  const bool unsynchronized = !synchronized();
  const bool fresh = a.filter.add(
      FilterSample{a.last_sample.offset, a.last_sample.delay, a.last_sample.dispersion, now}, now,
      precision_, unsynchronized);
  clock_.discipline().before_sample(a, a.last_sample.offset, now, source_context());
  a.regression.add(RegressionSample{now, a.last_sample.offset, a.last_sample.delay});

  // RFC: no system update from inside a burst (the burst exists to fill the filter), except
  // while unsynchronised, where every sample shortens start-up.
  if (a.in_burst && a.burst_left > 0 && !unsynchronized) return outcome;
  if (!clock_.discipline().sample_triggers_update(fresh)) return outcome;
  system_update(now, &a, out);
  return outcome;
}

bool ClientEngine::fit(Association& a, double now, Candidate& c) {
  // RFC 5905 A.5.6.3 fit(), plus the VRP preempt rule and kiss-o'-death stop.
  if (!a.resolved) {
    a.selection = SelectionStatus::kUnresolved;
    return false;
  }
  if (a.stopped) {
    a.selection = SelectionStatus::kKissDenied;
    return false;
  }
  if (a.reach == 0) {
    a.selection = SelectionStatus::kUnreachable;
    return false;
  }
  if (!a.have_reply || a.regression.size() == 0) {
    a.selection = SelectionStatus::kNoSamples;
    return false;
  }
  if (a.peer.leap == wire::LeapIndicator::kUnsynchronized ||
      a.peer.stratum >= kStratumUnsynchronized) {
    a.selection = SelectionStatus::kUnsynchronized;
    return false;
  }
  c.id = static_cast<int>(a.id);
  c.stratum = a.peer.stratum;
  c.preferred = a.config.preferred;
  if (!clock_.discipline().candidate(a, now, source_context(), c)) return false;
  if (a.distance > config_.max_distance + kPhi * std::ldexp(1.0, clock_.poll())) {
    a.selection = SelectionStatus::kDistance;
    return false;
  }
  if (a.config.preempt && a.auth_error) {
    a.selection = SelectionStatus::kAuthentication;
    return false;
  }
  // vrp-ntp-cli.md section 10: selection excludes sources beyond `ntp offset-limit`.
  if (config_.offset_limit > 0.0 && std::abs(c.offset) > config_.offset_limit) {
    a.selection = SelectionStatus::kOffsetLimit;
    return false;
  }
  return true;
}

void ClientEngine::system_update(double now, const Association* trigger, Actions& out) {
  std::vector<Candidate> candidates;
  std::vector<Association*> owners;
  std::vector<Association*> preempted;
  for (auto& a : associations_) {
    Candidate c;
    if (fit(a, now, c)) {
      candidates.push_back(c);
      owners.push_back(&a);
    } else if (a.selection == SelectionStatus::kAuthentication) {
      preempted.push_back(&a);
    }
  }
  // Preempt (vrp-ntp-cli.md 4.3): a source excluded after an authentication error is eligible
  // again only when no other association is usable.
  if (candidates.empty()) {
    for (Association* a : preempted) {
      a->auth_error = false;
      Candidate c;
      if (fit(*a, now, c)) {
        candidates.push_back(c);
        owners.push_back(a);
      }
    }
  }
  if (candidates.empty()) {
    system_peer_ = -1;
    return;
  }

  if (!clock_updated_ && now < startup_deadline_) {
    // Never let the first server to answer (perhaps a falseticker) set the clock alone: wait
    // for a majority of the configured servers, bounded by the start-up deadline. A single
    // configured server is its own majority.
    size_t configured = 0;
    for (const auto& a : associations_)
      if (!a.stopped) ++configured;
    if (candidates.size() < configured / 2 + 1) {
      for (Association* a : owners) a->selection = SelectionStatus::kNoMajority;
      return;
    }
  }
  const SelectResult sel = clock_select(candidates);
  if (!sel.majority) {
    for (Association* a : owners) a->selection = SelectionStatus::kNoMajority;
    system_peer_ = -1;
    return;
  }
  std::vector<Candidate> truechimers;
  std::vector<Association*> true_owners;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (sel.truechimer[i]) {
      truechimers.push_back(candidates[i]);
      true_owners.push_back(owners[i]);
    } else {
      owners[i]->selection = SelectionStatus::kFalseticker;
    }
  }
  const ClusterResult cl = clock_cluster(truechimers, kNmin);
  for (int i : cl.outliers) true_owners[i]->selection = SelectionStatus::kOutlier;
  std::vector<Candidate> survivors;
  std::vector<const Association*> survivor_owners;
  for (int i : cl.survivors) {
    survivors.push_back(truechimers[i]);
    survivor_owners.push_back(true_owners[i]);
    true_owners[i]->selection = SelectionStatus::kSurvivor;
  }
  if (static_cast<int>(survivors.size()) < kNsanity) {
    system_peer_ = -1;
    return;
  }
  const int peer_index = choose_system_peer(survivors, system_peer_);
  const Association& peer = *survivor_owners[peer_index];
  true_owners[cl.survivors[peer_index]]->selection = SelectionStatus::kSystemPeer;
  system_peer_ = static_cast<int>(peer.id);

  // RFC clock_update: only fresh data from a survivor moves the clock.
  const bool trigger_survives =
      trigger == nullptr ||
      std::find(survivor_owners.begin(), survivor_owners.end(), trigger) != survivor_owners.end();
  if (!trigger_survives) return;
  const Discipline& discipline = clock_.discipline();
  if (!discipline.fresh_update(peer, last_update_time_)) return;

  const CombineResult comb = clock_combine(survivors, peer_index);
  int min_poll = kPollCeiling;
  int max_poll = kPollFloor;
  for (const auto& a : associations_) {
    min_poll = std::min(min_poll, a.config.min_poll);
    max_poll = std::max(max_poll, a.config.max_poll);
  }
  const SourceContext ctx = source_context();
  const ClockUpdate update{comb.offset, comb.frequency, comb.frequency_valid,
                           discipline.update_epoch(peer, now),
                           discipline.poll_score(peer, now, ctx)};
  const ClockCommand cmd = clock_.update(update, min_poll, max_poll);
  if (cmd.action == ClockAction::kIgnore) return;
  clock_updated_ = true;
  if (cmd.action == ClockAction::kPanic) {
    out.push_back(Panic{comb.offset});
    return;
  }
  apply(cmd, now, out);

  // System variables (RFC 5905 A.5.5.5 clock_update).
  const wire::NtpHeader& ph = peer.peer;
  stratum_ = static_cast<uint8_t>(std::min<int>(ph.stratum + 1, kStratumUnsynchronized));
  reference_id_ =
      peer.config.ipv6 || peer.config.is_domain ? ph.reference_id : ipv4_refid(peer.config.address);
  const double peer_delay = discipline.peer_delay(peer, now, ctx);
  root_delay_ = ph.root_delay.to_seconds() + peer_delay;
  peer_dispersion_ = peer.filter.dispersion();
  system_jitter_ = comb.jitter;
  root_dispersion_ =
      ph.root_dispersion.to_seconds() + peer_dispersion_ + system_jitter_ + std::abs(comb.offset);
  reference_time_ = peer.dst;
  update_leap(std::vector<const Association*>(survivor_owners.begin(), survivor_owners.end()), out);
}

void ClientEngine::apply(const ClockCommand& cmd, double now, Actions& out) {
  double phase = 0.0;
  if (cmd.action == ClockAction::kStep) {
    out.push_back(StepClock{cmd.step});
    phase = cmd.step;
    // A pending interleaved exchange has local timestamps from before the step.
    for (auto& a : associations_) a.prev_valid = false;
  } else if (cmd.slew != 0.0) {
    out.push_back(SlewClock{cmd.slew});
    phase = cmd.slew;
    plan_slew(slew_pending(now) + cmd.slew, now);
    slew_issued_ += cmd.slew;
  }
  if (cmd.frequency_delta != 0.0) {
    out.push_back(SetFrequency{cmd.frequency});
    // The clock goes on with the rest of its slew at the rate the new frequency leaves.
    plan_slew(slew_pending(now), now);
  }
  // Re-express stored samples in the corrected timescale (the family says when).
  double f = 0.0;
  if (!clock_.discipline().reexpress(cmd, f)) return;
  for (auto& a : associations_) {
    a.filter.apply_correction(phase, f, now);
    a.regression.apply_correction(phase, f, now);
  }
}

void ClientEngine::update_leap(const std::vector<const Association*>& survivors, Actions& out) {
  std::vector<wire::LeapIndicator> indicators;
  for (const Association* a : survivors) indicators.push_back(a->peer.leap);
  const LeapKind vote = leap_vote(indicators);
  leap_ = vote == LeapKind::kInsert   ? wire::LeapIndicator::kInsertSecond
          : vote == LeapKind::kDelete ? wire::LeapIndicator::kDeleteSecond
                                      : wire::LeapIndicator::kNoWarning;
  if (vote == scheduled_leap_) return;
  // The leap applies at the end of the current UTC day if that day ends a month (leap seconds
  // are only ever scheduled at month ends; an indicator set earlier in the month waits).
  const UnixNanos utc = reference_time_.to_unix_nanos_rfc4330();
  if (vote != LeapKind::kNone && !ends_month(utc)) return;
  scheduled_leap_ = vote;
  out.push_back(
      ScheduleLeap{vote, vote == LeapKind::kNone ? 0 : next_utc_midnight(utc), config_.leap_smear});
}

double ClientEngine::applied_correction(double now) const {
  return slew_issued_ - slew_pending(now);
}

void ClientEngine::plan_slew(double total, double now) {
  slew_remaining_ = total;
  slew_time_ = now;
  slew_rate_ = slew_rate(config_.slew, clock_.frequency(), total > 0 ? 1 : -1);
}

double ClientEngine::slew_pending(double now) const {
  const double done = slew_rate_ * std::max(0.0, now - slew_time_);
  if (std::abs(slew_remaining_) <= done) return 0.0;
  return slew_remaining_ > 0 ? slew_remaining_ - done : slew_remaining_ + done;
}

SteadyNanos ClientEngine::next_wakeup() const {
  double next = 1e300;
  if (clock_.discipline().needs_adjust_timer()) next = next_adjust_;
  for (const auto& a : associations_)
    if (!a.stopped) next = std::min(next, a.next_poll);
  return next >= 1e300 ? INT64_MAX : steady_from_seconds(next);
}

SystemStatus ClientEngine::system_status(SteadyNanos now_ns) const {
  const double now = steady_seconds(now_ns);
  SystemStatus s;
  const bool synced = synchronized();
  s.synchronized = synced;
  s.precision = config_.precision;
  s.sync_state = clock_.state();
  s.frequency = clock_.frequency();
  s.jitter = system_jitter_;
  s.wander = clock_.wander();
  s.poll = clock_.poll();
  s.nominal_frequency_hz = config_.nominal_frequency_hz;
  s.actual_frequency_hz = config_.nominal_frequency_hz * (1.0 + clock_.frequency());
  s.clock_offset = clock_.last_offset();
  if (clock_.state() == ClockState::kSpik)
    s.spike_countdown = std::max(0.0, kStepout - (now - clock_.spike_started()));
  if (!synced) return s;
  s.stratum = stratum_;
  s.reference_id = reference_id_;
  for (const auto& a : associations_)
    if (static_cast<int>(a.id) == system_peer_) s.reference_name = a.config.address;
  s.root_delay = root_delay_;
  s.root_dispersion = root_dispersion_ + kPhi * std::max(0.0, now - clock_.last_update());
  s.peer_dispersion = peer_dispersion_;
  s.reference_time = reference_time_;
  s.leap = leap_;
  return s;
}

std::vector<AssociationStatus> ClientEngine::association_status(SteadyNanos now_ns) const {
  const double now = steady_seconds(now_ns);
  std::vector<AssociationStatus> out;
  for (const auto& a : associations_) {
    AssociationStatus st;
    st.id = a.id;
    st.source = a.config.address;
    st.master = a.selection == SelectionStatus::kSystemPeer;
    st.selected = st.master || a.selection == SelectionStatus::kSurvivor;
    st.candidate = a.selection == SelectionStatus::kOutlier;
    st.vpn_instance = !a.config.vpn_instance.empty();
    st.sane = a.have_reply && a.selection != SelectionStatus::kFalseticker &&
              a.selection != SelectionStatus::kAuthentication;
    st.valid = a.reach != 0 && a.have_reply;
    st.unsynced = a.have_reply && (a.peer.leap == wire::LeapIndicator::kUnsynchronized ||
                                   a.peer.stratum == 0 || a.peer.stratum >= 16);
    st.stratum = a.have_reply ? a.peer.stratum : kStratumUnsynchronized;
    st.reference_id = a.peer.reference_id;
    st.reach = a.reach;
    st.current_poll = a.current_interval > 0 ? a.current_interval : std::ldexp(1.0, a.hpoll);
    st.now = a.have_reply ? now - a.last_rx : 0.0;
    st.offset = a.filter.offset();
    st.delay = a.filter.valid_stages() > 0 ? a.filter.delay() : 0.0;
    st.dispersion = a.filter.valid_stages() > 0 ? a.filter.dispersion() : 0.0;
    st.jitter = a.filter.jitter();
    st.local_poll = a.hpoll;
    st.peer_poll = a.peer.poll;
    st.root_delay = a.peer.root_delay.to_seconds();
    st.root_dispersion = a.peer.root_dispersion.to_seconds();
    st.sync_distance = a.distance;
    switch (clock_.state()) {
      case ClockState::kNset:
        st.sync_state = 0;
        break;
      case ClockState::kFset:
        st.sync_state = 1;
        break;
      case ClockState::kFreq:
        st.sync_state = 3;
        break;
      case ClockState::kSync:
        st.sync_state = 4;
        break;
      case ClockState::kSpik:
        st.sync_state = 5;
        break;
    }
    st.precision = a.peer.precision;
    st.version = a.have_reply ? a.peer.version : a.config.ipv6 ? uint8_t{4} : a.config.version;
    st.peer_mode = a.have_reply ? a.peer.mode : wire::NtpMode::kReserved;
    st.peer_interface = a.config.source_interface;
    st.reftime = a.peer.reference;
    st.orgtime = a.org;
    st.rcvtime = a.rec;
    st.xmttime = a.xmt;
    for (int i = 0; i < kNstage; ++i) {
      const auto& f = a.filter.stages()[i];
      st.filter_delay[i] = f.delay;
      st.filter_offset[i] = f.offset;
      st.filter_dispersion[i] = f.dispersion;
    }
    st.selection = a.selection;
    st.kiss = a.stop_code;
    st.provenance = a.provenance;
    st.on_wire = a.counters;
    st.sent = a.sent;
    st.received = a.received;
    st.accepted = a.accepted;
    st.offset_limited = a.offset_limited;
    st.interleaved = a.interleaved_samples;
    st.unreach = a.unreach;
    out.push_back(st);
  }
  return out;
}

}  // namespace wiretime::engine
