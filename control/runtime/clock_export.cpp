#include "control/runtime/clock_export.hpp"

#include "control/clock/error_bound.hpp"

namespace wiretime::runtime {

ExportedClock::ExportedClock(VirtualClock& inner, clock::ClockSegmentWriter& writer)
    : inner_(inner), writer_(writer) {
  writer_.begin();
  stage_model();
  writer_.end();
}

void ExportedClock::stage_model() {
  const clock::DisciplinedClock& d = inner_.disciplined();
  writer_.set_model(d.model());
  // A step (or a leap second taken as a step) is a jump readers must not mistake for time
  // running backwards: a new generation.
  if (d.steps() != steps_ || d.leaps() != leaps_) {
    if (d.steps() != steps_ || !d.smearing()) ++writer_.data().generation;
    steps_ = d.steps();
    leaps_ = d.leaps();
  }
  writer_.data().pending_leap = d.pending_leap() == engine::LeapKind::kInsert   ? WT_LEAP_INSERT
                                : d.pending_leap() == engine::LeapKind::kDelete ? WT_LEAP_DELETE
                                                                                : WT_LEAP_NONE;
}

void ExportedClock::apply(const engine::Action& action) {
  writer_.begin();
  inner_.apply(action);
  stage_model();
  writer_.end();
}

bool ExportedClock::advance() {
  // Only open the write section when something is due: readers spin while it is open.
  const auto due = inner_.next_event();
  if (!due || static_cast<int64_t>(inner_.now_ticks() - *due) < 0) return false;
  writer_.begin();
  const bool changed = inner_.advance();
  stage_model();
  writer_.end();
  return changed;
}

void ExportingObserver::on_tracking(const TrackingRecord& t) {
  inner_.on_tracking(t);
  wt_clock_data& d = writer_.data();
  clock::store_bound(clock::error_bound(t.system, t.clock.slew_remaining), d);
  d.update_tick = t.ticks;
  d.update_utc_ns = t.time;
  d.sync_state = clock::next_sync_state(d.sync_state, t.system.synchronized);
  d.leap_indicator = static_cast<uint32_t>(t.system.leap);
  d.stratum = t.system.stratum;
  writer_.publish();
  if (on_update_) on_update_();
}

void ExportingObserver::on_synchronization(bool synchronized, const engine::SystemStatus& s) {
  inner_.on_synchronization(synchronized, s);
  wt_clock_data& d = writer_.data();
  const uint32_t next = clock::next_sync_state(d.sync_state, synchronized);
  if (next == d.sync_state) return;
  // Becoming synchronised publishes with the next tracking record, which carries the bound.
  if (synchronized && d.update_tick == 0) return;
  d.sync_state = next;
  writer_.publish();
}

void ExportingObserver::on_panic(double offset) {
  inner_.on_panic(offset);
  if (writer_.data().sync_state == WT_SYNC_UNKNOWN) return;
  writer_.data().sync_state = WT_SYNC_DISRUPTED;
  writer_.publish();
}

}  // namespace wiretime::runtime
