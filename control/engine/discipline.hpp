// The two discipline families behind one interface (issue 13 item 7; the shape of linuxptp's
// servo ops and ntpd-rs' TimeSyncController). What the families share stays in one place:
// LocalClock holds the RFC 5905 section 11.3 policy (panic threshold, step threshold with the
// spike/stepout wait, the NSET/FSET/FREQ/SYNC states, the frequency clamp, the poll exponent),
// ClientEngine the selection chain. A Discipline supplies what differs: how a source's
// statistics become a candidate, how an update becomes a phase and frequency correction, and
// what argues for a longer or shorter poll. Both families are stateless: the state lives in
// DisciplineState (the RFC's c.* variables) and in the associations.
#pragma once

#include <optional>

#include "control/engine/association.hpp"
#include "control/engine/candidate.hpp"

namespace wiretime::engine {

enum class ClockState { kNset, kFset, kSpik, kFreq, kSync };

enum class DisciplineMode {
  kRfcPllFll,   // RFC hybrid PLL/FLL with exponential phase amortization by clock_adjust
  kRegression,  // per-source weighted regression supplies offset and frequency; full correction
};

enum class ClockAction { kIgnore, kSlew, kStep, kPanic };

struct ClockUpdate {
  double offset = 0.0;     // combined offset, s (positive: the local clock is behind)
  double frequency = 0.0;  // combined d(offset)/dt (regression mode), s/s
  bool frequency_valid = false;
  double time = 0.0;  // steady seconds of the update
  // The poll exponent change this update argues for (chrony's poll score: positive lengthens,
  // fractions accumulate). Unset: the RFC poll-adjust counter decides.
  std::optional<double> poll_score;
};

// What the caller applies to the clock model. `step` at once, `slew` gradually at a bounded
// rate, then the frequency correction becomes `frequency` (absolute, s/s; positive speeds up).
struct ClockCommand {
  ClockAction action = ClockAction::kIgnore;
  double step = 0.0;
  double slew = 0.0;
  double frequency = 0.0;
  double frequency_delta = 0.0;  // change against the previous command, for sample re-expression
};

// RFC 5905 A.5.5.6 c.* variables that both families read and write.
struct DisciplineState {
  ClockState state = ClockState::kNset;
  double frequency = 0.0;    // current frequency correction, s/s
  double residual = 0.0;     // RFC c.offset: phase still to amortize (RFC family)
  double last_offset = 0.0;  // offset of the last update
  double base_offset = 0.0;  // RFC c.base: offset at the start of the FREQ interval
  double last_update = 0.0;  // RFC c.t
  double freq_start = 0.0;   // when FREQ state was entered
  bool have_update = false;
  int poll = 6;  // system poll exponent
};

// Engine settings a family reads when it turns source statistics into estimates.
struct SourceContext {
  double precision = 0.0;  // local clock reading resolution, s
  double wander = 0.0;     // assumed oscillator wander, s/s per sqrt(s)
  bool synchronized = false;
  int poll_target = 12;
};

class Discipline {
 public:
  virtual ~Discipline() = default;
  virtual DisciplineMode mode() const = 0;

  // --- Clock side: LocalClock applies the shared policy and asks these. ---

  // A step is due (beyond the step threshold, any spike wait over). `freq` is the frequency the
  // clock runs at afterwards. False holds the step back (RFC in FREQ: the frequency is
  // measured from the drift over the stepout first).
  virtual bool step(const DisciplineState& s, const ClockUpdate& u, double& freq) const = 0;
  // After a step out of NSET: whether the frequency still has to be measured (state FREQ).
  virtual bool frequency_unknown_after_step(const ClockUpdate& u) const = 0;
  // An offset below the step threshold. Fills the slew of `cmd` and `freq`; may move the state.
  // False: the update is only recorded (RFC: the first sample, the FREQ interval).
  virtual bool correct(DisciplineState& s, const ClockUpdate& u, double mu, double& freq,
                       ClockCommand& cmd) const = 0;
  // RFC clock_adjust(), once a second; families that correct at update time never need it.
  virtual bool needs_adjust_timer() const = 0;
  virtual ClockCommand adjust(DisciplineState& s) const = 0;

  // --- Source side: ClientEngine asks these around the selection chain. ---

  // A new sample is about to enter the association's statistics (`offset`, corrected).
  virtual void before_sample(Association& a, double offset, double now,
                             const SourceContext& ctx) const = 0;
  // Whether an accepted sample runs the system update (RFC: only new clock-filter output).
  virtual bool sample_triggers_update(bool filter_fresh) const = 0;
  // fit()'s statistics: the candidate's offset, jitter and distances, and a.distance. False
  // (with a.selection set) when the source has nothing to offer yet.
  virtual bool candidate(Association& a, double now, const SourceContext& ctx,
                         Candidate& c) const = 0;
  // Whether the system peer brings data newer than the last update (`last` is updated).
  virtual bool fresh_update(const Association& peer, double& last) const = 0;
  // The update's epoch: the RFC uses the system peer's sample time.
  virtual double update_epoch(const Association& peer, double now) const = 0;
  // The poll change the system peer's statistics argue for (nullopt: the RFC counter).
  virtual std::optional<double> poll_score(const Association& peer, double now,
                                           const SourceContext& ctx) const = 0;
  // The system peer's delay for the root delay.
  virtual double peer_delay(const Association& peer, double now,
                            const SourceContext& ctx) const = 0;
  // Whether a correction re-expresses stored samples, and with which frequency change.
  virtual bool reexpress(const ClockCommand& cmd, double& frequency_delta) const = 0;
};

// The family of `mode` (stateless singletons).
const Discipline& discipline_for(DisciplineMode mode);

}  // namespace wiretime::engine
