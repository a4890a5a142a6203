#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "control/daemon/log_file.hpp"
#include "control/daemon/measurement_log.hpp"
#include "control/daemon/tracking_log.hpp"

namespace wiretime::daemon {
namespace {

std::vector<std::string> columns(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The header's last line names the columns; every record has exactly as many.
size_t header_columns(const char* header) {
  std::string h(header);
  h = h.substr(h.rfind("# ") + 2);
  auto c = columns(h);
  return c.size();
}

TEST(LogFormat, UtcColumns) {
  EXPECT_EQ(format_utc_columns(int64_t{1'483'228'799} * 1'000'000'000 + 5),
            "2016-12-31 23:59:59.000000005");
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000000000Z");
}

TEST(LogFormat, MeasurementLineHasTheDocumentedColumns) {
  runtime::MeasurementRecord m;
  m.time = int64_t{1'700'000'000} * 1'000'000'000;
  m.peer = runtime::Peer{wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 1}}), 123};
  m.header.stratum = 1;
  m.header.poll = 4;
  m.reason = engine::OnWireReason::kOk;
  m.offset = -1.5e-6;
  m.delay = 2.5e-5;
  m.provenance = engine::TimestampSource::kTsc;
  const auto c = columns(format_measurement(m, -1234));
  ASSERT_EQ(c.size(), header_columns(kMeasurementLogHeader));
  EXPECT_EQ(c[0], "2023-11-14");
  EXPECT_EQ(c[2], "198.18.0.1:123");
  EXPECT_EQ(c[3], "1");
  EXPECT_EQ(c[5], "4");
  EXPECT_EQ(c[6], "ok");
  EXPECT_DOUBLE_EQ(std::stod(c[7]), -1.5e-6);
  EXPECT_DOUBLE_EQ(std::stod(c[8]), 2.5e-5);
  EXPECT_EQ(c[10], "tsc");
  EXPECT_EQ(c[11], "-1234");
  m.reason = engine::OnWireReason::kBogus;
  const auto rejected = columns(format_measurement(m, std::nullopt));
  ASSERT_EQ(rejected.size(), c.size());
  EXPECT_EQ(rejected[11], "-");
}

TEST(LogFormat, ReasonsWithSpacesStayOneColumn) {
  runtime::MeasurementRecord m;
  m.reason = engine::OnWireReason::kNotServerMode;
  const auto c = columns(format_measurement(m, 0));
  EXPECT_EQ(c.size(), header_columns(kMeasurementLogHeader));
  EXPECT_EQ(c[6].find(' '), std::string::npos);
}

TEST(LogFormat, TrackingLineHasTheDocumentedColumns) {
  runtime::TrackingRecord t;
  t.time = int64_t{1'700'000'000} * 1'000'000'000;
  t.kind = runtime::ClockUpdateKind::kSlew;
  t.correction = 1e-4;
  t.system.reference_name = "198.18.0.1";
  t.system.stratum = 2;
  t.system.sync_state = engine::ClockState::kSync;
  t.system.synchronized = true;
  t.system.clock_offset = 1e-4;
  t.clock.frequency = -20e-6;
  t.clock.rate = 480e-6;
  const auto c = columns(format_tracking(t, 42));
  ASSERT_EQ(c.size(), header_columns(kTrackingLogHeader));
  EXPECT_EQ(c[2], "198.18.0.1");
  EXPECT_EQ(c[4], "SYNC");
  EXPECT_EQ(c[5], "slew");
  EXPECT_DOUBLE_EQ(std::stod(c[8]), -20.0);
  EXPECT_DOUBLE_EQ(std::stod(c[9]), 480.0);
  EXPECT_EQ(c[14], "1");
  EXPECT_EQ(c[15], "42");
}

}  // namespace
}  // namespace wiretime::daemon
