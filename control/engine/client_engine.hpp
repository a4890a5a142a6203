// The sans-I/O NTP client engine: associations, poll process, on-wire checks, the RFC 5905
// algorithm chain and the discipline. Inputs are values (steady time, decoded replies with
// their local T4, send confirmations with T1); outputs are Actions the caller carries out.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "control/engine/actions.hpp"
#include "control/engine/association.hpp"
#include "control/engine/candidate.hpp"
#include "control/engine/engine_globals.hpp"
#include "control/engine/local_clock.hpp"
#include "control/engine/poll_update.hpp"
#include "control/engine/prng.hpp"
#include "control/engine/slew_capability.hpp"
#include "control/engine/status.hpp"
#include "control/engine/steady_time.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::engine {

struct EngineConfig {
  DisciplineMode mode = DisciplineMode::kRegression;
  int8_t precision = -24;                   // log2 s of the local clock reading
  std::optional<double> initial_frequency;  // s/s, e.g. from a drift file (starts in FSET)
  double max_distance = kMaxDistDefault;    // `ntp max-distance`, s
  UnsyncPollConfig unsync;                  // `ntp unsync max-poll-interval`
  bool authentication_enabled = false;      // `ntp authentication enable`
  double offset_limit = 0.0;                // `ntp offset-limit`, s (0: none)
  double sync_interval = 0.0;               // `ntp sync-interval`, s (0: not set)
  uint8_t local_reference_stratum = kStratumUnsynchronized;  // `ntp refclock-master` stratum
  bool leap_smear = false;
  // Assumed oscillator frequency random walk, s/s per sqrt(s): a plain crystal in a steady
  // room. docs/accuracy.md shows the results for priors from 0.3x to 10x this.
  double oscillator_wander = 1e-9;
  double nominal_frequency_hz = 1e9;  // tick source, for the status display
  // Regression poll: like chrony's `polltarget`, the poll lengthens while the source's
  // regression keeps more than this many samples (its residuals still look like noise to the
  // runs test) and shortens when it keeps fewer (docs/engine.md, "Poll interval").
  int poll_target = 12;
  // The clock driver's slew rate and total rate limit (the control loop sets it from the
  // driver), so the engine's account of a running slew matches the clock's.
  SlewCapability slew;
};

// What one reply gave. `sample` is the exchange the engine measured: for a reply to the
// outstanding request, the raw on-wire sample of that exchange (before any correction for a
// slew in progress), whatever the verdict; for an accepted interleaved reply, the previous
// exchange completed by the server's true T3 (what the engine used). None for a reply that
// answers no request of ours.
struct ExchangeSample {
  NtpTimestamp t1, t2, t3, t4;
  double offset = 0.0;  // s
  double delay = 0.0;   // s
  double dispersion = 0.0;
  bool interleaved = false;
};
struct ReplyOutcome {
  OnWireReason reason = OnWireReason::kOk;
  std::optional<ExchangeSample> sample;
  // Accepted (kOk), but its offset is beyond `ntp offset-limit`: the sample cannot synchronise
  // (fit() excludes the source), VRP's "Offset limit" drop.
  bool offset_limited = false;
};

class ClientEngine {
 public:
  ClientEngine(const EngineConfig& config, Prng& prng);

  // Adds an association; its first poll is due at `now` (domain servers resolve first).
  AssociationId add(const AssociationConfig& config, SteadyNanos now);
  bool remove(AssociationId id);
  // Changes an association's settings in place (`ntp unicast-server` re-entered with other
  // options), keeping its clock filter, reach register and poll state so a committed change
  // does not cost the source its history. The address must not change (that is remove + add).
  bool reconfigure(AssociationId id, const AssociationConfig& config);
  // Committed global settings: take effect from the next reply (max-distance, authentication),
  // the next selection (offset-limit) and the next poll interval (unsync rule, sync-interval);
  // every association keeps its state.
  void set_globals(const EngineGlobals& globals);
  EngineGlobals globals() const;
  // Outcome of a ResolveName action. On failure the name is retried at the next poll time.
  void on_resolved(AssociationId id, bool ok, SteadyNanos now);

  // Runs due polls, burst packets and (RFC mode) the once-a-second clock adjustment.
  void on_timer(SteadyNanos now, Actions& out);
  // The dataplane sent the request carrying `cookie` at local time `t1`.
  void on_sent(AssociationId id, NtpTimestamp cookie, NtpTimestamp t1);
  // The same, found by the cookie alone (the engine alone knows which request carries it):
  // the association it belongs to, or none when no request of ours is outstanding with it.
  // `replace`: a better stamp of a request already reported (replaces T1 until the reply).
  std::optional<AssociationId> on_sent(NtpTimestamp cookie, NtpTimestamp t1, bool replace);
  // The request carrying `cookie` never left (no route, transport refused): the poll goes
  // unanswered, as on a lossy link. The association it belonged to, if any.
  std::optional<AssociationId> on_not_sent(NtpTimestamp cookie);
  // A reply demultiplexed to association `id`, received at local time `t4`.
  ReplyOutcome on_reply(AssociationId id, const wire::NtpPacket& packet, NtpTimestamp t4,
                        AuthStatus auth, const SampleProvenance& provenance, SteadyNanos now,
                        Actions& out);

  // A one-shot query outside every association (`display ntp trace`): the reply to the
  // request that carried `cookie`, sent at local time `t1` (zero: never reported) and received
  // at `t4`. The same on-wire checks and sample as an association's reply (the verdict this
  // engine would give that server; queries are unsigned), changing no state.
  ReplyOutcome measure_query(const wire::NtpHeader& h, NtpTimestamp cookie, NtpTimestamp t1,
                             NtpTimestamp t4) const;

  SteadyNanos next_wakeup() const;
  SystemStatus system_status(SteadyNanos now) const;
  std::vector<AssociationStatus> association_status(SteadyNanos now) const;
  const LocalClock& local_clock() const { return clock_; }
  // Read-only view, in the order added (cheap per-second inspection in the simulator).
  const std::vector<Association>& associations() const { return associations_; }
  bool synchronized() const { return system_peer_ >= 0 && clock_.synchronized(); }

 private:
  Association* find(AssociationId id);
  void poll(Association& a, double now, Actions& out);
  double next_interval(Association& a);
  void handle_kiss(Association& a, const wire::NtpHeader& h, double now);
  void system_update(double now, const Association* trigger, Actions& out);
  bool fit(Association& a, double now, Candidate& c);
  SourceContext source_context() const;
  void apply(const ClockCommand& cmd, double now, Actions& out);
  // Part of the commanded slews the clock has not yet applied at `now` (the clock slews at
  // slew_rate(config_.slew, frequency, direction)), so samples taken mid-slew are not
  // mistaken for new offset.
  double slew_pending(double now) const;
  // The raw sample of the exchange T1..T4 answered by `h` (what the measurement log shows).
  ExchangeSample exchange_sample(NtpTimestamp t1, const wire::NtpHeader& h, NtpTimestamp t4) const;
  // Starts the account of a slew of `total` s at `now` with the clock's current frequency.
  void plan_slew(double total, double now);
  // Every slew issued so far less the part still pending: the phase applied to the clock, s.
  double applied_correction(double now) const;
  void update_leap(const std::vector<const Association*>& survivors, Actions& out);

  EngineConfig config_;
  Prng& prng_;
  double precision_;
  std::vector<Association> associations_;
  AssociationId next_id_ = 1;
  LocalClock clock_;
  int system_peer_ = -1;  // AssociationId of the system peer, -1 none
  // Start-up: no clock update before a majority of the configured servers are candidates,
  // or until they could all have answered their initial burst (issue 13 item 5).
  bool clock_updated_ = false;
  double startup_deadline_ = -1e300;
  double last_update_time_ = -1e300;
  double next_adjust_ = 0.0;
  double slew_remaining_ = 0.0;  // at slew_time_
  double slew_time_ = 0.0;
  double slew_rate_ = kMaxSlewRate;  // magnitude, s/s
  double slew_issued_ = 0.0;
  // System variables (RFC 5905 section 11.2.3).
  uint8_t stratum_ = kStratumUnsynchronized;
  double root_delay_ = 0.0;
  double root_dispersion_ = 0.0;
  double system_jitter_ = 0.0;
  double peer_dispersion_ = 0.0;
  NtpTimestamp reference_time_;
  uint32_t reference_id_ = 0;
  wire::LeapIndicator leap_ = wire::LeapIndicator::kUnsynchronized;
  LeapKind scheduled_leap_ = LeapKind::kNone;
};

}  // namespace wiretime::engine
