#include "control/daemon/prometheus_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <utility>

namespace wiretime::daemon {
namespace {

using Labels = std::initializer_list<std::pair<const char*, std::string>>;

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact round trip
  return std::string(buf, r.ptr);
}

std::string number(uint64_t v) {
  return std::to_string(v);
}

void escape_into(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

class Writer {
 public:
  void family(const char* name, const char* type, const char* help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    text_ += help;
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
    name_ = name;
  }
  template <typename T>
  void sample(T value, Labels labels = {}) {
    text_ += name_;
    if (labels.size() != 0) {
      text_ += '{';
      bool first = true;
      for (const auto& [key, v] : labels) {
        if (!first) text_ += ',';
        first = false;
        text_ += key;
        text_ += "=\"";
        escape_into(text_, v);
        text_ += '"';
      }
      text_ += '}';
    }
    text_ += ' ';
    text_ += number(value);
    text_ += '\n';
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  const char* name_ = "";
};

// One gauge family with a sample per server.
template <typename Get>
void per_server(Writer& w, const MetricsSnapshot& s, const char* name, const char* help, Get get) {
  w.family(name, "gauge", help);
  for (const ServerMetrics& m : s.servers)
    w.sample(static_cast<double>(get(m)), {{"server", m.server}});
}

}  // namespace

std::string render_prometheus(const MetricsSnapshot& s) {
  Writer w;
  const ClockMetrics& c = s.clock;
  w.family("wiretime_build_info", "gauge",
           "Version and dataplane backend of the running wiretimed.");
  w.sample(1.0, {{"version", s.version}, {"backend", s.backend}});
  w.family("wiretime_start_time_seconds", "gauge", "When wiretimed started, Unix time.");
  w.sample(s.start_unix_seconds);
  w.family("wiretime_metrics_time_seconds", "gauge",
           "When these values were taken, Unix time on the disciplined clock.");
  w.sample(s.time_unix_seconds);

  w.family("wiretime_clock_synchronized", "gauge", "1 when the clock is synchronised to a source.");
  w.sample(c.synchronized ? 1.0 : 0.0);
  w.family("wiretime_clock_stratum", "gauge", "Stratum of the clock (16: unsynchronised).");
  w.sample(static_cast<double>(c.stratum));
  w.family("wiretime_clock_reference_info", "gauge",
           "The system peer (reference) the clock follows, as labels.");
  char refid[9];
  std::snprintf(refid, sizeof refid, "%08X", c.reference_id);
  w.sample(1.0, {{"reference", c.reference}, {"refid", refid}});
  w.family("wiretime_clock_state_info", "gauge",
           "RFC 5905 local clock state (NSET, FSET, SPIK, FREQ, SYNC), as a label.");
  w.sample(1.0, {{"state", c.sync_state}});
  w.family("wiretime_clock_offset_seconds", "gauge",
           "Offset of the last clock update (positive: the clock was behind).");
  w.sample(c.offset_seconds);
  w.family("wiretime_clock_frequency_ratio", "gauge",
           "Frequency correction the discipline applies (1e-6 = 1 ppm).");
  w.sample(c.frequency_ppm * 1e-6);
  w.family("wiretime_clock_jitter_seconds", "gauge", "System jitter (RMS of combined offsets).");
  w.sample(c.jitter_seconds);
  w.family("wiretime_clock_wander_ratio", "gauge", "Frequency wander (1e-6 = 1 ppm).");
  w.sample(c.wander_ppm * 1e-6);
  w.family("wiretime_root_delay_seconds", "gauge", "Round-trip delay to the primary reference.");
  w.sample(c.root_delay_seconds);
  w.family("wiretime_root_dispersion_seconds", "gauge",
           "Dispersion (error bound growth) to the primary reference.");
  w.sample(c.root_dispersion_seconds);
  w.family("wiretime_clock_last_update_timestamp_seconds", "gauge",
           "Reference time: when the clock was last updated, Unix time (0: never).");
  w.sample(c.last_update_unix_seconds);
  w.family("wiretime_clock_poll_interval_seconds", "gauge", "System poll interval.");
  w.sample(c.poll_seconds);
  w.family("wiretime_clock_leap_indicator", "gauge",
           "Leap indicator: 0 none, 1 insert, 2 delete, 3 unsynchronised.");
  w.sample(static_cast<double>(c.leap));
  w.family("wiretime_clock_updates_total", "counter", "Clock updates since start.");
  w.sample(c.updates);
  w.family("wiretime_clock_steps_total", "counter", "Clock steps since start.");
  w.sample(c.steps);

  w.family("wiretime_server_state_info", "gauge",
           "Selection state of each server (system peer, selected, falseticker, ...), as a label.");
  for (const ServerMetrics& m : s.servers)
    w.sample(1.0, {{"server", m.server}, {"state", m.state}});
  per_server(w, s, "wiretime_server_offset_seconds", "Clock filter offset of the server.",
             [](const ServerMetrics& m) { return m.offset_seconds; });
  per_server(w, s, "wiretime_server_delay_seconds", "Clock filter round-trip delay.",
             [](const ServerMetrics& m) { return m.delay_seconds; });
  per_server(w, s, "wiretime_server_dispersion_seconds", "Clock filter dispersion (error margin).",
             [](const ServerMetrics& m) { return m.dispersion_seconds; });
  per_server(w, s, "wiretime_server_jitter_seconds", "Clock filter jitter.",
             [](const ServerMetrics& m) { return m.jitter_seconds; });
  per_server(w, s, "wiretime_server_root_delay_seconds", "Root delay the server reports.",
             [](const ServerMetrics& m) { return m.root_delay_seconds; });
  per_server(w, s, "wiretime_server_root_dispersion_seconds", "Root dispersion the server reports.",
             [](const ServerMetrics& m) { return m.root_dispersion_seconds; });
  per_server(w, s, "wiretime_server_poll_interval_seconds", "Current poll interval.",
             [](const ServerMetrics& m) { return m.poll_seconds; });
  per_server(w, s, "wiretime_server_reach",
             "Reach register (8 bits, 255: the last 8 polls answered).",
             [](const ServerMetrics& m) { return m.reach; });
  per_server(w, s, "wiretime_server_stratum", "Stratum the server reports.",
             [](const ServerMetrics& m) { return m.stratum; });
  per_server(w, s, "wiretime_server_last_sample_age_seconds",
             "Age of the last accepted reply (-1: none yet).",
             [](const ServerMetrics& m) { return m.last_sample_age_seconds; });
  w.family("wiretime_server_packets_total", "counter",
           "Requests sent to, replies received from and replies accepted of each server.");
  for (const ServerMetrics& m : s.servers) {
    w.sample(m.sent, {{"server", m.server}, {"result", "sent"}});
    w.sample(m.received, {{"server", m.server}, {"result", "received"}});
    w.sample(m.accepted, {{"server", m.server}, {"result", "accepted"}});
  }

  w.family("wiretime_ntp_packets_total", "counter",
           "NTP packets per interface: tx sent/failed, rx received/dropped.");
  for (const PacketCount& p : s.packets) {
    w.sample(p.value,
             {{"direction", p.direction}, {"result", p.result}, {"interface", p.interface}});
  }

  if (s.dataplane.present) {
    const DataplaneMetrics& d = s.dataplane;
    w.family("wiretime_dataplane_frames_total", "counter",
             "Frames the dataplane received and sent.");
    w.sample(d.rx_frames, {{"direction", "rx"}});
    w.sample(d.tx_frames, {{"direction", "tx"}});
    w.family("wiretime_dataplane_drops_total", "counter",
             "Frames the dataplane dropped or could not send, per reason.");
    for (const NamedCount& n : d.drops) w.sample(n.value, {{"reason", n.name}});
    w.family("wiretime_dataplane_ring_used", "gauge", "Records waiting in each ring.");
    for (const RingMetrics& r : d.rings) w.sample(r.used, {{"ring", r.name}});
    w.family("wiretime_dataplane_ring_size", "gauge", "Capacity of each ring.");
    for (const RingMetrics& r : d.rings) w.sample(r.size, {{"ring", r.name}});
    w.family("wiretime_dataplane_lcore_busy_seconds_total", "counter",
             "Time the dataplane lcore spent in polling passes that found work.");
    w.sample(d.lcore_busy_seconds);
    w.family(
        "wiretime_dataplane_lcore_seconds_total", "counter",
        "Time the dataplane lcore has been polling (busy ratio: rate of busy / rate of this).");
    w.sample(d.lcore_total_seconds);
    w.family("wiretime_dataplane_lcore_busy_ratio", "gauge",
             "Share of the lcore's time in passes that found work, over the last second.");
    w.sample(d.lcore_busy_ratio);
  }
  return w.take();
}

}  // namespace wiretime::daemon
