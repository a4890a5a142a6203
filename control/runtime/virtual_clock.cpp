#include "control/runtime/virtual_clock.hpp"

namespace wiretime::runtime {

VirtualClock::VirtualClock(clock::PublishedClock& published, const clock::ClockModel& initial,
                           TickSource read_ticks, const clock::DisciplinedClockConfig& config)
    : published_(published),
      read_ticks_(std::move(read_ticks)),
      clock_(initial, config),
      ticks_per_second_(initial.nominal_ticks_per_second()) {
  published_.publish(initial);
}

void VirtualClock::apply(const engine::Action& action) {
  published_.update(read_ticks_, [&](const clock::ClockModel&, uint64_t at) {
    clock_.apply(action, at);
    return clock_.model();
  });
}

bool VirtualClock::advance() {
  // Only enter the write section when something is due: readers spin while it is open.
  const auto due = clock_.next_event(read_ticks_());
  if (!due || static_cast<int64_t>(read_ticks_() - *due) < 0) return false;
  bool changed = false;
  published_.update(read_ticks_, [&](const clock::ClockModel&, uint64_t at) {
    changed = clock_.advance(at);
    return clock_.model();
  });
  return changed;
}

std::optional<uint64_t> VirtualClock::next_event() const {
  return clock_.next_event(read_ticks_());
}

ClockInfo VirtualClock::info() const {
  ClockInfo i;
  i.frequency = clock_.frequency();
  i.rate = clock_.rate();
  i.slew_remaining = clock_.slew_remaining(read_ticks_());
  i.smearing = clock_.smearing();
  i.steps = clock_.steps();
  i.leaps = clock_.leaps();
  return i;
}

}  // namespace wiretime::runtime
