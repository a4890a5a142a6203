#include "control/engine/poll_update.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

TEST(PollUpdate, HostPollClampsAndHonoursFloor) {
  EXPECT_EQ(host_poll(4, -100, 6, 10), 6);
  EXPECT_EQ(host_poll(12, -100, 6, 10), 10);
  EXPECT_EQ(host_poll(7, 9, 6, 10), 9);
}

TEST(PollUpdate, UnsyncWithoutCommandDoublesTo1024) {
  UnsyncPollConfig none;
  double t = 64;
  std::vector<double> seq;
  for (int i = 0; i < 6; ++i) seq.push_back(t = unsync_next_interval(t, none));
  EXPECT_EQ(seq, (std::vector<double>{128, 256, 512, 1024, 1024, 1024}));
}

TEST(PollUpdate, UnsyncCeilingAndDecStep) {
  const UnsyncPollConfig cfg{true, 7, 6};  // 128 s ceiling, 64 s step
  EXPECT_EQ(unsync_next_interval(64, cfg), 128);
  EXPECT_EQ(unsync_next_interval(128, cfg), 128);
  EXPECT_EQ(unsync_next_interval(1024, cfg), 960);
  EXPECT_EQ(unsync_next_interval(160, cfg), 128);  // never below the ceiling
  const UnsyncPollConfig cap1024{true, 10, 6};
  EXPECT_EQ(unsync_next_interval(4096, cap1024), 4032);
  EXPECT_EQ(unsync_next_interval(512, cap1024), 1024);
}

}  // namespace
}  // namespace wiretime::engine
