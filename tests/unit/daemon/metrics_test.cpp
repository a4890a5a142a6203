// The Prometheus textfile: renderer (names, units, label escaping, counters), the snapshot
// collected from a control loop status, the atomic file write, and the new YAML keys.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "control/daemon/daemon_config.hpp"
#include "control/daemon/metrics_collect.hpp"
#include "control/daemon/metrics_textfile.hpp"
#include "control/daemon/prometheus_text.hpp"

namespace wiretime::daemon {
namespace {

MetricsSnapshot sample_snapshot() {
  MetricsSnapshot s;
  s.backend = "dpdk";
  s.version = "0.1.0";
  s.time_unix_seconds = 1.5e9;
  s.clock.synchronized = true;
  s.clock.stratum = 2;
  s.clock.reference = "198.18.0.1";
  s.clock.reference_id = 0xC6120001;
  s.clock.sync_state = "SYNC";
  s.clock.offset_seconds = -1.25e-6;
  s.clock.frequency_ppm = 20.5;
  s.clock.root_delay_seconds = 0.000125;
  s.clock.updates = 42;
  ServerMetrics m;
  m.server = "198.18.0.1";
  m.state = "system peer";
  m.reach = 255;
  m.poll_seconds = 4;
  m.offset_seconds = 3e-6;
  m.sent = 10;
  m.received = 9;
  m.accepted = 8;
  s.servers.push_back(m);
  m.server = "we\"ird\\name\n";
  m.state = "falseticker";
  s.servers.push_back(m);
  s.packets.push_back({"tx", "sent", "GE1/0/1", 10});
  s.packets.push_back({"rx", "received", "GE1/0/1", 9});
  s.dataplane.present = true;
  s.dataplane.drops.push_back({"not_for_us", 3});
  s.dataplane.rings.push_back({"command", 0, 255});
  s.dataplane.lcore_busy_seconds = 0.25;
  s.dataplane.lcore_total_seconds = 10;
  return s;
}

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

TEST(PrometheusText, ClockValuesInBaseUnitsWithHelpAndType) {
  const std::string t = render_prometheus(sample_snapshot());
  EXPECT_TRUE(has_line(t, "# TYPE wiretime_clock_offset_seconds gauge")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_clock_offset_seconds -1.25e-06")) << t;
  // ppm goes out as a ratio (Prometheus base unit).
  EXPECT_TRUE(has_line(t, "wiretime_clock_frequency_ratio 2.05e-05")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_root_delay_seconds 0.000125")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_clock_synchronized 1")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_clock_stratum 2")) << t;
  EXPECT_TRUE(
      has_line(t, "wiretime_clock_reference_info{reference=\"198.18.0.1\",refid=\"C6120001\"} 1"))
      << t;
  EXPECT_TRUE(has_line(t, "# TYPE wiretime_clock_updates_total counter")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_clock_updates_total 42")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_build_info{version=\"0.1.0\",backend=\"dpdk\"} 1")) << t;
}

TEST(PrometheusText, EveryFamilyHasOneHelpAndOneTypeAndSamplesFollowTheirType) {
  const std::string t = render_prometheus(sample_snapshot());
  std::istringstream in(t);
  std::string current;
  std::set<std::string> seen;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("# HELP ", 0) == 0) {
      const std::string name = l.substr(7, l.find(' ', 7) - 7);
      EXPECT_TRUE(seen.insert(name).second) << "family twice: " << name;
      current = name;
      continue;
    }
    if (l.rfind("# TYPE ", 0) == 0) {
      EXPECT_EQ(l.substr(7, current.size() + 1), current + " ") << l;
      const std::string type = l.substr(8 + current.size());
      if (type == "counter") {
        EXPECT_TRUE(current.ends_with("_total")) << current;
      }
      continue;
    }
    ASSERT_FALSE(l.empty());
    const std::string name = l.substr(0, l.find_first_of("{ "));
    EXPECT_EQ(name, current) << l;
    EXPECT_EQ(name.rfind("wiretime_", 0), 0u) << l;
  }
  EXPECT_GE(seen.size(), 30u);
}

TEST(PrometheusText, PerServerAndPerInterfaceLabelsAreEscaped) {
  const std::string t = render_prometheus(sample_snapshot());
  EXPECT_TRUE(has_line(t, "wiretime_server_offset_seconds{server=\"198.18.0.1\"} 3e-06")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_server_reach{server=\"198.18.0.1\"} 255")) << t;
  EXPECT_TRUE(
      has_line(t, "wiretime_server_state_info{server=\"198.18.0.1\",state=\"system peer\"} 1"))
      << t;
  EXPECT_TRUE(has_line(t, "wiretime_server_offset_seconds{server=\"we\\\"ird\\\\name\\n\"} 3e-06"))
      << t;
  EXPECT_TRUE(
      has_line(t, "wiretime_server_packets_total{server=\"198.18.0.1\",result=\"accepted\"} 8"))
      << t;
  EXPECT_TRUE(has_line(
      t, "wiretime_ntp_packets_total{direction=\"tx\",result=\"sent\",interface=\"GE1/0/1\"} 10"))
      << t;
  EXPECT_TRUE(has_line(t, "wiretime_dataplane_drops_total{reason=\"not_for_us\"} 3")) << t;
  EXPECT_TRUE(has_line(t, "wiretime_dataplane_lcore_busy_seconds_total 0.25")) << t;
}

TEST(PrometheusText, SocketBackendHasNoDataplaneFamilies) {
  MetricsSnapshot s = sample_snapshot();
  s.dataplane = DataplaneMetrics{};
  const std::string t = render_prometheus(s);
  EXPECT_EQ(t.find("wiretime_dataplane_"), std::string::npos);
  EXPECT_NE(t.find("wiretime_ntp_packets_total"), std::string::npos);
}

TEST(MetricsCollect, TakesTheLoopStatus) {
  runtime::RuntimeStatus status;
  status.system.synchronized = true;
  status.system.stratum = 3;
  status.system.clock_offset = 2e-6;
  status.system.frequency = -1.5e-6;
  status.system.poll = 4;
  status.system.reference_time = NtpTimestamp::from_unix_nanos(1'700'000'000'000'000'000);
  status.counters.clock_updates = 7;
  engine::AssociationStatus a;
  a.id = 5;
  a.source = "198.18.0.1";
  a.reach = 0x7f;
  a.accepted = 3;
  a.now = 12;
  a.selection = engine::SelectionStatus::kSystemPeer;
  status.associations.push_back(a);
  MetricsSnapshot out;
  collect_metrics(status, 1'700'000'010'000'000'000, out);
  EXPECT_TRUE(out.clock.synchronized);
  EXPECT_EQ(out.clock.stratum, 3);
  EXPECT_DOUBLE_EQ(out.clock.frequency_ppm, -1.5);
  EXPECT_DOUBLE_EQ(out.clock.poll_seconds, 16);
  EXPECT_NEAR(out.clock.last_update_unix_seconds, 1.7e9, 1e-6);
  EXPECT_EQ(out.clock.updates, 7u);
  ASSERT_EQ(out.servers.size(), 1u);
  EXPECT_EQ(out.servers[0].reach, 0x7fu);
  EXPECT_EQ(out.servers[0].state, "system peer");
  EXPECT_TRUE(out.servers[0].system_peer);
  EXPECT_DOUBLE_EQ(out.servers[0].last_sample_age_seconds, 12);
  EXPECT_EQ(snake_case("Not for us (MAC)"), "not_for_us_mac");
}

TEST(MetricsTextfile, WritesAtomicallyAndReportsErrors) {
  char dir[] = "/tmp/wiretime-metrics-test.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/wiretime.prom";
  MetricsTextfile f(path, 10'000'000'000);
  EXPECT_TRUE(f.due(0));
  EXPECT_EQ(f.write(sample_snapshot(), 5), "");
  EXPECT_FALSE(f.due(5 + 9'999'999'999));
  EXPECT_TRUE(f.due(5 + 10'000'000'000));
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), render_prometheus(sample_snapshot()));
  EXPECT_NE(access((path + ".tmp").c_str(), F_OK), 0);  // renamed away
  MetricsTextfile bad(std::string(dir) + "/missing/wiretime.prom", 1);
  EXPECT_NE(bad.write(sample_snapshot(), 0).find("cannot create"), std::string::npos);
  std::remove(path.c_str());
  rmdir(dir);
}

TEST(MetricsConfig, TextfileAndIntervalKeys) {
  const std::string base =
      "dataplane:\n  eal: []\ninterfaces:\n  - name: GE1/0/1\n    devargs: kernel\n"
      "    ipv4: 198.18.0.2/24\nlog:\n";
  auto r = load_daemon_config_text(base + "  metrics-textfile: /tmp/w.prom\n", "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().startup.log.metrics_textfile, "/tmp/w.prom");
  EXPECT_EQ(r.value().startup.log.metrics_interval_s, 10u);
  r = load_daemon_config_text(base + "  metrics-textfile: /tmp/w.prom\n  metrics-interval: 2\n",
                              "d.yaml");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r.value().startup.log.metrics_interval_s, 2u);
  r = load_daemon_config_text(base + "  metrics-interval: 0\n", "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().to_string().find("metrics-interval"), std::string::npos)
      << r.error().to_string();
  r = load_daemon_config_text(base + "  metrics-textfile: \"\"\n", "d.yaml");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().to_string().find("must not be empty"), std::string::npos);
}

}  // namespace
}  // namespace wiretime::daemon
