#include "tests/sim/simulator.hpp"

#include <array>
#include <cmath>
#include <queue>
#include <variant>

#include "control/clock/error_bound.hpp"
#include "control/engine/ntp_constants.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::sim {

double BoundStats::rms_error() const {
  return bounded ? std::sqrt(sum_error2 / static_cast<double>(bounded)) : 0.0;
}

double BoundStats::steady_rms_error() const {
  return steady_bounded ? std::sqrt(steady_sum_error2 / static_cast<double>(steady_bounded)) : 0.0;
}

namespace {

enum class EventKind : uint8_t { kTick, kTimer, kAtServer, kAtClient };

struct Event {
  double t = 0.0;
  uint64_t seq = 0;
  EventKind kind = EventKind::kTick;
  size_t server = 0;
  uint64_t generation = 0;
  std::array<uint8_t, wire::kNtpHeaderSize> bytes{};
  static Event at(double t, EventKind kind, size_t server = 0, uint64_t generation = 0) {
    Event e;
    e.t = t;
    e.kind = kind;
    e.server = server;
    e.generation = generation;
    return e;
  }
  bool operator>(const Event& o) const { return t != o.t ? t > o.t : seq > o.seq; }
};

// The daemon's RuntimeClock over the simulated oscillator: the control loop reads ticks and
// carries out its clock actions through the same DisciplinedClock code as VirtualClock.
// SimClock::advance_to already ends slews and smears and applies leaps exactly at their ticks,
// so advance() has nothing left to do.
class SimRuntimeClock final : public runtime::RuntimeClock {
 public:
  SimRuntimeClock(SimClock& clock, engine::SlewCapability told) : clock_(clock), told_(told) {}
  uint64_t now_ticks() const override { return clock_.ticks(); }
  double ticks_per_second() const override { return SimClock::kNominalHz; }
  NtpTimestamp to_ntp(uint64_t ticks) const override {
    return clock_.disciplined().model().ntp(ticks);
  }
  UnixNanos to_utc(uint64_t ticks) const override {
    return clock_.disciplined().model().utc_nanos(ticks);
  }
  void apply(const engine::Action& action) override { clock_.apply(action); }
  bool advance() override { return false; }
  std::optional<uint64_t> next_event() const override {
    return clock_.disciplined().next_event(clock_.ticks());
  }
  runtime::ClockInfo info() const override {
    const clock::DisciplinedClock& d = clock_.disciplined();
    runtime::ClockInfo i;
    i.frequency = d.frequency();
    i.rate = d.rate();
    i.slew_remaining = d.slew_remaining(clock_.ticks());
    i.smearing = d.smearing();
    i.steps = d.steps();
    i.leaps = d.leaps();
    return i;
  }
  // What the loop tells the engine: the driver's capability (or a scenario's mis-told one).
  engine::SlewCapability slew_capability() const override { return told_; }

 private:
  SimClock& clock_;
  engine::SlewCapability told_;
};

// The transport only moves bytes: it queues what the loop asked to send; the harness puts
// the bytes on the simulated path and reports T1 (the tick the request left at).
class SimTransport final : public runtime::Transport {
 public:
  struct Sent {
    runtime::Peer peer;
    runtime::OutgoingRequest request;
  };
  bool send_request(const runtime::Peer& peer, const runtime::OutgoingRequest& request) override {
    sent_.push_back({peer, request});
    return true;
  }
  std::vector<Sent>& sent() { return sent_; }

 private:
  std::vector<Sent> sent_;
};

class Run;

class SimObserver final : public runtime::RuntimeObserver {
 public:
  explicit SimObserver(Run& run) : run_(run) {}
  void on_tracking(const runtime::TrackingRecord&) override;
  void on_panic(double) override;

 private:
  Run& run_;
};

// Domain servers resolve to their simulated address at once.
class SimResolver final : public runtime::Resolver {
 public:
  void resolve(engine::AssociationId id, const std::string&) override { pending_.push_back(id); }
  std::vector<engine::AssociationId>& pending() { return pending_; }

 private:
  std::vector<engine::AssociationId> pending_;
};

runtime::Peer sim_peer(size_t server) {
  runtime::Peer p;
  p.address =
      wire::IpAddress::from(wire::Ipv4Address{{192, 0, 2, static_cast<uint8_t>(server + 1)}});
  p.port = 123;
  return p;
}

class Run {
 public:
  explicit Run(const Scenario& s)
      : s_(s),
        net_(s.seed),
        osc_prng_(s.seed * 0x9e3779b97f4a7c15ULL + 1),
        clock_(s.oscillator, osc_prng_,
               s.utc_start + static_cast<int64_t>(std::llround(s.initial_offset * 1e9)), s.clock),
        runtime_clock_(clock_, s.engine_slew_override.value_or(s.clock.slew)),
        observer_(*this),
        loop_(s.engine, s.seed * 0xbf58476d1ce4e5b9ULL + 2, runtime_clock_, transport_, observer_,
              &resolver_) {
    // The driver's frequency at start (a drift file, or the kernel's for the system driver)
    // is the engine's initial frequency.
    if (s.engine.initial_frequency) clock_.apply(engine::SetFrequency{*s.engine.initial_frequency});
    for (size_t i = 0; i < s.servers.size(); ++i) {
      servers_.emplace_back(s.servers[i], s.seed * 0x94d049bb133111ebULL + 3 + i);
      engine::AssociationConfig a = s.association;
      if (a.address.empty() || s.servers.size() > 1) a.address = "192.0.2." + std::to_string(i + 1);
      if (i < s.preferred.size()) a.preferred = s.preferred[i];
      ids_.push_back(loop_.add(a, sim_peer(i)));
    }
    result_.polls.resize(s.servers.size());
    result_.selected_fraction.assign(s.servers.size(), 0.0);
  }

  SimResult go() {
    push(Event::at(0.0, EventKind::kTick));
    after_loop(0.0);
    double sum = 0.0, sum2 = 0.0, fsum2 = 0.0;
    uint64_t n = 0;
    double last_bad = 0.0;
    bool ever_bad = false;
    double last_bad_100us = 0.0;
    bool ever_bad_100us = false;
    while (!events_.empty()) {
      Event ev = events_.top();
      events_.pop();
      if (ev.t > s_.duration) break;
      clock_.advance_to(ev.t);
      switch (ev.kind) {
        case EventKind::kTick: {
          const double err = clock_.utc_seconds_fraction_error(true_utc(ev.t));
          if (s_.observer) s_.observer(ev.t, err);
          if (std::abs(err) >= 1e-3) {
            last_bad = ev.t;
            ever_bad = true;
          }
          if (std::abs(err) >= 100e-6) {
            last_bad_100us = ev.t;
            ever_bad_100us = true;
          }
          // The bound must hold from the start, convergence included: no warm-up here.
          sample_bound(ev.t, err);
          if (ev.t >= s_.warmup) {
            ++n;
            sum += err;
            sum2 += err * err;
            result_.max_abs = std::max(result_.max_abs, std::abs(err));
            const double fe = clock_.frequency_error();
            fsum2 += fe * fe;
            const auto& assocs = loop_.engine().associations();
            for (size_t i = 0; i < assocs.size() && i < servers_.size(); ++i) {
              const auto sel = assocs[i].selection;
              if (sel == engine::SelectionStatus::kSystemPeer ||
                  sel == engine::SelectionStatus::kSurvivor)
                result_.selected_fraction[i] += 1.0;
            }
          }
          push(Event::at(ev.t + 1.0, EventKind::kTick));
          break;
        }
        case EventKind::kTimer:
          if (ev.generation != timer_generation_) break;
          after_loop(ev.t);
          break;
        case EventKind::kAtServer:
          at_server(ev);
          break;
        case EventKind::kAtClient:
          at_client(ev);
          break;
      }
    }
    result_.evaluations = n;
    if (n > 0) {
      result_.mean = sum / static_cast<double>(n);
      result_.rms = std::sqrt(sum2 / static_cast<double>(n));
      result_.freq_rms = std::sqrt(fsum2 / static_cast<double>(n));
      for (auto& f : result_.selected_fraction) f /= static_cast<double>(n);
    }
    auto settled = [this](bool ever, double last) {
      return ever ? (last < s_.duration - 1.0 ? last + 1.0 : -1.0) : 0.0;
    };
    result_.converge_1ms = settled(ever_bad, last_bad);
    result_.converge_100us = settled(ever_bad_100us, last_bad_100us);
    result_.steps = clock_.steps();
    result_.leaps = clock_.leaps();
    for (const auto& srv : servers_) {
      result_.server_requests.push_back(srv.requests());
      result_.server_kisses.push_back(srv.kisses());
    }
    const runtime::RuntimeStatus st = loop_.status();
    result_.system = st.system;
    result_.associations = st.associations;
    result_.counters = st.counters;
    return result_;
  }

  // The bound's parameters as ExportingObserver publishes them at a clock update (its tick is
  // the steady time; the simulated ticks run at the nominal rate).
  void publish_bound() {
    const engine::SystemStatus st = loop_.engine().system_status(loop_.steady(clock_.ticks()));
    clock::store_bound(clock::error_bound(st, clock_.disciplined().slew_remaining(clock_.ticks())),
                       bound_);
    bound_.sync_state = clock::next_sync_state(bound_.sync_state, st.synchronized);
    bound_.update_tick = clock_.ticks();
    root_distance_ = st.root_delay / 2 + st.root_dispersion;
  }
  void count_panic() { ++result_.panics; }

 private:
  UnixNanos true_utc(double t) const {
    int64_t leap = 0;
    if (s_.leap_insert_at >= 0.0 && t >= s_.leap_insert_at) leap = 1'000'000'000;
    return s_.utc_start + static_cast<int64_t>(std::llround(t * 1e9)) - leap;
  }

  void sample_bound(double t, double err) {
    // Unsynchronised without a clock update (sources lost): ExportingObserver's state change.
    const bool synced = loop_.engine().synchronized();
    if (synced != synchronized_) {
      synchronized_ = synced;
      if (!synchronized_ || bound_.update_tick != 0) {
        bound_.sync_state = clock::next_sync_state(bound_.sync_state, synchronized_);
      }
    }
    BoundStats& b = result_.bound;
    ++b.seconds;
    const double since = static_cast<double>(clock_.ticks() - bound_.update_tick) * 1e-9;
    const wt_clock_status status = wt_clock_status_at(&bound_, since);
    if (status == WT_STATUS_UNKNOWN) return;
    if (status == WT_STATUS_FREE_RUNNING) ++b.free_running;
    const double h = wt_clock_half_width(&bound_, since);
    ++b.bounded;
    if (std::abs(err) <= h) ++b.covered;
    b.sum_half_width += h;
    b.sum_error2 += err * err;
    // chrony's root distance grows the same way between updates (its dispersion at PHI-like
    // skew): the engine's root dispersion already carries PHI * age.
    b.sum_root_distance += root_distance_ + engine::kPhi * since;
    if (t >= s_.warmup) {
      ++b.steady_bounded;
      b.steady_sum_half_width += h;
      b.steady_sum_error2 += err * err;
      b.steady_sum_root_dispersion += bound_.root_dispersion + engine::kPhi * since;
    }
    if (h > 0 && std::abs(err) / h > b.worst_ratio) {
      b.worst_ratio = std::abs(err) / h;
      b.worst_t = t;
    }
  }

  void push(Event e) {
    e.seq = seq_++;
    events_.push(e);
  }

  // What the daemon's event loop does after every event: run the loop's due work, put what it
  // sent on the wire, and sleep until the tick run_due() named.
  void after_loop(double now) {
    uint64_t next = loop_.run_due();
    // Resolutions and sends may be queued by the event handled before, or by run_due itself.
    while (!resolver_.pending().empty() || !transport_.sent().empty()) {
      std::vector<engine::AssociationId> names;
      names.swap(resolver_.pending());
      for (engine::AssociationId id : names) {
        for (size_t i = 0; i < ids_.size(); ++i)
          if (ids_[i] == id) loop_.on_resolved(id, sim_peer(i));
      }
      send_queued(now);
      next = loop_.run_due();
    }
    const double ahead = static_cast<double>(static_cast<int64_t>(next - clock_.ticks())) /
                         (SimClock::kNominalHz * (1.0 + clock_.oscillator_frequency()));
    // A hair late, so the loop's tick has certainly reached the wake-up.
    push(Event::at(now + std::max(0.0, ahead) + 1e-7, EventKind::kTimer, 0, ++timer_generation_));
  }

  void send_queued(double now) {
    std::vector<SimTransport::Sent> sent;
    sent.swap(transport_.sent());
    for (const SimTransport::Sent& out : sent) {
      size_t srv = 0;
      while (srv < s_.servers.size() && !(sim_peer(srv) == out.peer)) ++srv;
      if (srv == s_.servers.size()) continue;
      // The bytes the loop built go on the wire as they are.
      Event e = Event::at(0.0, EventKind::kAtServer, srv);
      wire::encode_ntp(e.bytes, out.request.header);
      // The request leaves now: its T1 is this tick, reported as a transport does.
      runtime::TransportEvent sent_event;
      sent_event.kind = runtime::TransportEvent::Kind::kTransmitted;
      sent_event.cookie = out.request.cookie();
      sent_event.ticks = clock_.ticks();
      loop_.deliver(sent_event);
      result_.polls[srv].request_times.push_back(now);
      const PathModel& up = servers_[srv].spec().up;
      const double d = up.sample(net_);
      if (d >= 0.0) {
        e.t = now + d;
        push(e);
        if (up.duplicate > 0.0 && net_.uniform() < up.duplicate) {
          e.t = now + d + 1e-5;
          push(e);
        }
      }
    }
  }

  void at_server(const Event& ev) {
    wire::NtpPacket request;
    if (wire::decode_ntp(ev.bytes, request) != wire::DecodeError::kOk) return;
    SimServer& srv = servers_[ev.server];
    double processing = 0.0;
    auto reply = srv.answer(request.header, ev.t, true_utc(ev.t), processing);
    if (!reply) return;
    Event e = Event::at(0.0, EventKind::kAtClient, ev.server);
    wire::encode_ntp(e.bytes, *reply);
    const PathModel& down = srv.spec().down;
    const double d = down.sample(net_);
    if (d < 0.0) return;
    e.t = ev.t + processing + d;
    push(e);
    if (down.duplicate > 0.0 && net_.uniform() < down.duplicate) {
      e.t += 1e-5;
      push(e);
    }
  }

  void at_client(const Event& ev) {
    wire::NtpPacket packet;
    if (wire::decode_ntp(ev.bytes, packet) != wire::DecodeError::kOk) return;
    runtime::TransportEvent reply;
    reply.kind = runtime::TransportEvent::Kind::kReply;
    reply.from = sim_peer(ev.server);
    reply.packet = packet;
    reply.datagram = ev.bytes;
    reply.ticks = clock_.ticks();
    reply.provenance = engine::TimestampSource::kSimulated;
    loop_.deliver(reply);
    after_loop(ev.t);
  }

  const Scenario& s_;
  engine::Prng net_;
  engine::Prng osc_prng_;
  SimClock clock_;
  SimRuntimeClock runtime_clock_;
  SimTransport transport_;
  SimObserver observer_;
  SimResolver resolver_;
  runtime::ControlLoop loop_;
  std::vector<SimServer> servers_;
  std::vector<engine::AssociationId> ids_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  uint64_t seq_ = 0;
  uint64_t timer_generation_ = 0;
  SimResult result_;
  wt_clock_data bound_{};
  bool synchronized_ = false;
  double root_distance_ = 0.0;
};

void SimObserver::on_tracking(const runtime::TrackingRecord&) {
  run_.publish_bound();
}

void SimObserver::on_panic(double) {
  run_.count_panic();
}

}  // namespace

SimResult run(const Scenario& scenario) {
  return Run(scenario).go();
}

}  // namespace wiretime::sim
