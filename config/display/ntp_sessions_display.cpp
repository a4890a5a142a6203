#include "config/display/ntp_sessions_display.hpp"

#include "config/display/display_format.hpp"

namespace wiretime::display {

std::string clock_status_flags(const SessionReport& s) {
  std::string out = s.configured ? "configured" : "dynamic";
  auto flag = [&out](bool on, const char* name) {
    if (on) out += std::string(", ") + name;
  };
  flag(s.master, "master");
  flag(s.selected, "selected");
  flag(s.candidate, "candidate");
  flag(s.vpn_instance, "vpn-instance");
  out += s.sane ? ", sane" : ", insane";
  out += s.valid ? ", valid" : ", invalid";
  flag(s.unsynced, "unsynced");
  return out;
}

namespace {

const char* timestamp_source(TimestampSource source) {
  switch (source) {
    case TimestampSource::kNicHardware:
      return "nic-hardware";
    case TimestampSource::kTsc:
      return "tsc-software";
    case TimestampSource::kKernel:
      return "kernel";
    case TimestampSource::kSimulated:
      return "simulated";
    case TimestampSource::kUnknown:
      break;
  }
  return nullptr;
}

// VRP's mode names (vrp-ntp-cli.md section 7.3).
const char* mode_name(wire::NtpMode mode) {
  switch (mode) {
    case wire::NtpMode::kClient:
      return "client";
    case wire::NtpMode::kServer:
      return "server";
    case wire::NtpMode::kSymmetricActive:
      return "active";
    case wire::NtpMode::kSymmetricPassive:
      return "passive";
    case wire::NtpMode::kBroadcast:
      return "broadcast";
    default:
      return "unspecified";
  }
}

std::string filter_row(const char* label, const std::array<double, kFilterStages>& values) {
  // VRP's layout ("filter delay :  0.00   0.00"): the first value right-aligned in 5, the others
  // in 6, each after one blank, so that a sign never touches the colon.
  std::string out = std::string(" ") + label + ":";
  for (size_t i = 0; i < values.size(); ++i) {
    out += format(i == 0 ? " %5s" : " %6s", milliseconds(values[i], 2).c_str());
  }
  return out + "\n";
}

void render_one(const SessionReport& s, bool verbose, UnixNanos pivot, std::string& out) {
  out += " clock source: " + s.source + "\n";
  out += format(" clock stratum: %u\n", static_cast<unsigned>(s.stratum));
  out += " clock status: " + clock_status_flags(s) + "\n";
  out += " reference clock ID: " + reference_id(s.reference_id, s.stratum) + "\n";
  if (!verbose) {
    out += format(" reach: %u\n", static_cast<unsigned>(s.reach));
    out += " current poll: " + seconds(s.current_poll) + "\n";
    out += " now: " + seconds(s.now) + "\n";
    out += " offset: " + milliseconds(s.offset, 4) + " ms\n";
    out += " delay: " + milliseconds(s.delay, 2) + " ms\n";
    out += " disper: " + milliseconds(s.dispersion, 2) + " ms\n";
    return;
  }
  out += format(" local mode: %s, local poll: %d, current poll: %s\n", mode_name(s.local_mode),
                s.local_poll, seconds(s.current_poll).c_str());
  out += format(" peer mode: %s, peer poll: %d, now: %s\n", mode_name(s.peer_mode), s.peer_poll,
                seconds(s.now).c_str());
  out += " offset: " + milliseconds(s.offset, 4) + " ms, delay: " + milliseconds(s.delay, 2) +
         " ms, disper: " + milliseconds(s.dispersion, 2) + " ms\n";
  out += " root delay: " + milliseconds(s.root_delay, 2) +
         " ms, root disper: " + milliseconds(s.root_dispersion, 2) + " ms\n";
  out += format(" reach: %u, sync dist: %.3f, sync state: %d\n", static_cast<unsigned>(s.reach),
                s.sync_distance, s.sync_state);
  out += format(" precision: %s, version: %u, peer interface: %s\n", precision(s.precision).c_str(),
                static_cast<unsigned>(s.version),
                s.peer_interface.empty() ? "-" : s.peer_interface.c_str());
  out += " reftime: " + ntp_time(s.reftime, pivot) + "\n";
  out += " orgtime: " + ntp_time(s.orgtime, pivot) + "\n";
  out += " rcvtime: " + ntp_time(s.rcvtime, pivot) + "\n";
  out += " xmttime: " + ntp_time(s.xmttime, pivot) + "\n";
  out += filter_row("filter delay ", s.filter_delay);
  out += filter_row("filter offset", s.filter_offset);
  out += filter_row("filter disper", s.filter_dispersion);
  // VRP does not define the other values; a source that fails the validity checks is the
  // one case an operator needs to see here.
  out += std::string(" reference clock status: ") + (s.valid ? "normal" : "abnormal") + "\n";
  // Beyond VRP: how the last sample's receive time was taken, once a sample has been taken.
  if (const char* source = timestamp_source(s.timestamp_source)) {
    out += std::string(" timestamp source: ") + source + "\n";
  }
}

}  // namespace

std::string render_ntp_sessions(const std::vector<SessionReport>& sessions, bool verbose,
                                UnixNanos pivot) {
  std::string out;
  for (const SessionReport& s : sessions) {
    if (!out.empty()) out += "\n";
    render_one(s, verbose, pivot, out);
  }
  return out;
}

}  // namespace wiretime::display
