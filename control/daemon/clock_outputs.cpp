#include "control/daemon/clock_outputs.hpp"

#include <cmath>

namespace wiretime::daemon {

std::unique_ptr<ClockOutputs> ClockOutputs::create(
    const DaemonConfig& config, const std::string& mgmt_socket, uint32_t tick_source,
    runtime::VirtualClock& clock, runtime::RuntimeObserver& observer, Pair pair,
    clock::SystemClockSteering* steering, const DaemonLog& log, std::string& error) {
  std::unique_ptr<ClockOutputs> out(new ClockOutputs(clock, observer, std::move(pair), log));
  wt_clock_segment* segment = &out->memory_;
  if (config.shm_path != "off") {
    const std::string path = clock_segment_path(config.shm_path, mgmt_socket);
    out->file_ = ClockSegmentFile::open(path, error);
    if (!out->file_) return nullptr;
    segment = out->file_->segment();
  }
  out->writer_ =
      std::make_unique<clock::ClockSegmentWriter>(segment, tick_source, clock.ticks_per_second());
  out->exported_ = std::make_unique<runtime::ExportedClock>(clock, *out->writer_);
  ClockOutputs* self = out.get();
  out->exporting_ = std::make_unique<runtime::ExportingObserver>(
      observer, *out->writer_, [self] { self->update_pending_ = true; });
  if (out->file_) {
    log.info("shared-memory clock " + out->file_->path() + ", generation " +
             std::to_string(out->writer_->data().generation));
  }
  if (!config.chrony_sock.empty()) {
    out->chrony_ = std::make_unique<ChronySockFeed>(config.chrony_sock, log);
    log.info("chrony refclock feed to " + config.chrony_sock);
  }
  if (config.clock == ClockDriverKind::kSystem && steering != nullptr) {
    out->follower_ = std::make_unique<clock::SystemClockFollower>(*steering);
    log.info("clock: system, CLOCK_REALTIME follows the disciplined clock (kernel frequency " +
             std::to_string(steering->frequency() * 1e6) + " ppm at start)");
  }
  return out;
}

void ClockOutputs::send_chrony_sample() {
  const TickRealtime now = pair_();
  const wt_clock_data& d = writer_->data();
  // Only a clock with a bound is worth following.
  if (d.sync_state != WT_SYNC_SYNCHRONISED) return;
  const int leap = d.pending_leap == WT_LEAP_INSERT ? 1 : d.pending_leap == WT_LEAP_DELETE ? 2 : 0;
  chrony_->send(chrony_sock_sample(now.realtime, clock_.to_utc(now.ticks), leap));
}

void ClockOutputs::poll(const runtime::ControlLoop& loop) {
  const TickRealtime now = pair_();
  const bool second = now.realtime - last_poll_ >= 1'000'000'000 || now.realtime < last_poll_;
  if (!second && !update_pending_) return;
  update_pending_ = false;
  if (chrony_) send_chrony_sample();
  if (!second) return;
  const double interval =
      last_poll_ == 0 ? 1.0 : static_cast<double>(now.realtime - last_poll_) * 1e-9;
  last_poll_ = now.realtime;
  if (!follower_) return;
  const clock::DisciplinedClock& d = clock_.disciplined();
  const wt_clock_data& data = writer_->data();
  clock::FollowerInput in;
  in.offset = static_cast<double>(now.realtime - clock_.to_utc(now.ticks)) * 1e-9;
  in.interval = interval;
  in.steps = d.steps() + d.leaps();
  in.synchronized = loop.engine().synchronized() && data.sync_state == WT_SYNC_SYNCHRONISED;
  in.bound = data.sync_state == WT_SYNC_UNKNOWN
                 ? 16.0
                 : wt_clock_half_width(&data, wt_clock_since_update(&data, now.ticks));
  in.error_estimate = data.error_estimate + std::abs(data.offset);
  follower_->update(in);
}

}  // namespace wiretime::daemon
