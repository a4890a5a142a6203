// Publishes the virtual clock to applications through the shared-memory segment
// (include/wiretime/clock_segment.h): ExportedClock wraps the VirtualClock so every model change
// happens inside the segment's write section too (the tick of the change is read after both
// seqlocks went odd, so no segment reader pairs a later tick with the old model), and
// ExportingObserver stores the error bound at every clock update and follows the sync state.
// A step or a stepped leap second bumps the generation. Pure: the caller maps the memory.
#pragma once

#include "control/clock/clock_segment_writer.hpp"
#include "control/runtime/control_loop.hpp"
#include "control/runtime/virtual_clock.hpp"

namespace wiretime::runtime {

class ExportedClock final : public RuntimeClock {
 public:
  ExportedClock(VirtualClock& inner, clock::ClockSegmentWriter& writer);

  uint64_t now_ticks() const override { return inner_.now_ticks(); }
  double ticks_per_second() const override { return inner_.ticks_per_second(); }
  NtpTimestamp to_ntp(uint64_t ticks) const override { return inner_.to_ntp(ticks); }
  UnixNanos to_utc(uint64_t ticks) const override { return inner_.to_utc(ticks); }
  void apply(const engine::Action& action) override;
  bool advance() override;
  std::optional<uint64_t> next_event() const override { return inner_.next_event(); }
  ClockInfo info() const override { return inner_.info(); }
  engine::SlewCapability slew_capability() const override { return inner_.slew_capability(); }

 private:
  // Call inside the write section, after the inner clock changed.
  void stage_model();

  VirtualClock& inner_;
  clock::ClockSegmentWriter& writer_;
  int steps_ = 0;
  int leaps_ = 0;
};

class ExportingObserver final : public RuntimeObserver {
 public:
  // `on_update` (optional) is told after each published clock update (the chrony feed).
  ExportingObserver(RuntimeObserver& inner, clock::ClockSegmentWriter& writer,
                    std::function<void()> on_update = {})
      : inner_(inner), writer_(writer), on_update_(std::move(on_update)) {}

  void on_measurement(const MeasurementRecord& m) override { inner_.on_measurement(m); }
  void on_tracking(const TrackingRecord& t) override;
  void on_source_status(const engine::AssociationStatus& s,
                        std::optional<engine::SelectionStatus> previous) override {
    inner_.on_source_status(s, previous);
  }
  void on_synchronization(bool synchronized, const engine::SystemStatus& s) override;
  void on_panic(double offset) override;
  void on_send_failure(const Peer& peer) override { inner_.on_send_failure(peer); }

 private:
  RuntimeObserver& inner_;
  clock::ClockSegmentWriter& writer_;
  std::function<void()> on_update_;
};

}  // namespace wiretime::runtime
