#include "control/daemon/system_clock.hpp"

#include <variant>

#include "dataplane/socket/kernel_clock.hpp"

namespace wiretime::daemon {
namespace {

clock::ClockModel mirror_of_realtime() {
  const int64_t mono = socket::monotonic_ns();
  return clock::ClockModel::from_rate(static_cast<uint64_t>(mono),
                                      mono + socket::realtime_minus_monotonic_ns(), 1e9);
}

// The kernel's ADJ_FREQUENCY carries frequency and slew together and clamps them at +-500
// ppm: slews are planned within that, so they land where the engine expects.
clock::DisciplinedClockConfig kernel_limits() {
  clock::DisciplinedClockConfig c;
  c.slew.total_limit = socket::kKernelMaxFrequency;
  return c;
}

}  // namespace

SystemClock::SystemClock(const DaemonLog& log)
    : log_(log),
      initial_frequency_(socket::realtime_frequency()),
      clock_(mirror_of_realtime(), kernel_limits()) {
  clock_.set_frequency(now_ticks(), initial_frequency_);
}

uint64_t SystemClock::now_ticks() const {
  return static_cast<uint64_t>(socket::monotonic_ns());
}

UnixNanos SystemClock::to_utc(uint64_t ticks) const {
  // T1/T4 are at most milliseconds old: the offset between the clocks moves by nanoseconds.
  return static_cast<int64_t>(ticks) + socket::realtime_minus_monotonic_ns();
}

NtpTimestamp SystemClock::to_ntp(uint64_t ticks) const {
  return NtpTimestamp::from_unix_nanos(to_utc(ticks));
}

void SystemClock::set_kernel_rate() {
  if (std::string e = socket::set_realtime_frequency(clock_.rate()); !e.empty()) log_.error(e);
}

void SystemClock::apply(const engine::Action& action) {
  if (const auto* step = std::get_if<engine::StepClock>(&action)) {
    if (std::string e = socket::step_realtime(step->offset); !e.empty()) log_.error(e);
  }
  if (clock_.apply(action, now_ticks()) && !std::holds_alternative<engine::StepClock>(action)) {
    set_kernel_rate();
  }
}

bool SystemClock::advance() {
  const uint64_t now = now_ticks();
  const auto due = clock_.next_event(now);
  if (!due || static_cast<int64_t>(now - *due) < 0) return false;
  const engine::LeapKind pending = clock_.pending_leap();
  const bool smearing = clock_.smearing();
  const int leaps = clock_.leaps();
  if (!clock_.advance(now)) return false;
  if (clock_.leaps() != leaps && !smearing) {
    const double seconds = pending == engine::LeapKind::kInsert ? -1.0 : 1.0;
    if (std::string e = socket::step_realtime(seconds); !e.empty()) log_.error(e);
  }
  set_kernel_rate();
  return true;
}

std::optional<uint64_t> SystemClock::next_event() const {
  return clock_.next_event(now_ticks());
}

runtime::ClockInfo SystemClock::info() const {
  runtime::ClockInfo i;
  i.frequency = clock_.frequency();
  i.rate = clock_.rate();
  i.slew_remaining = clock_.slew_remaining(now_ticks());
  i.smearing = clock_.smearing();
  i.steps = clock_.steps();
  i.leaps = clock_.leaps();
  return i;
}

}  // namespace wiretime::daemon
