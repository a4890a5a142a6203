#include "control/runtime/virtual_clock.hpp"

#include <gtest/gtest.h>

namespace wiretime::runtime {
namespace {

constexpr uint64_t kTick0 = 5'000'000'000;
constexpr UnixNanos kUtc0 = int64_t{1'700'000'000} * 1'000'000'000;

TEST(VirtualClock, PublishesEveryChangeToTheReaders) {
  uint64_t ticks = kTick0;
  clock::PublishedClock published;
  VirtualClock vc(published, clock::ClockModel::from_rate(kTick0, kUtc0, 1e9),
                  [&] { return ticks; });
  EXPECT_EQ(published.read().utc_nanos(kTick0), kUtc0);
  ticks += 1'000'000'000;
  vc.apply(engine::StepClock{0.001});
  EXPECT_EQ(published.read().utc_nanos(ticks), kUtc0 + 1'001'000'000);
  vc.apply(engine::SlewClock{0.0005});  // 1 s at 500 ppm
  EXPECT_NEAR(vc.info().slew_remaining, 0.0005, 1e-12);
  ASSERT_TRUE(vc.next_event().has_value());
  EXPECT_EQ(*vc.next_event(), ticks + 1'000'000'000);
  EXPECT_FALSE(vc.advance());  // nothing due yet
  ticks += 1'000'000'000;
  EXPECT_TRUE(vc.advance());
  EXPECT_EQ(published.read().utc_nanos(ticks), kUtc0 + 2'001'500'000);
  EXPECT_EQ(vc.to_utc(ticks), kUtc0 + 2'001'500'000);
  EXPECT_FALSE(vc.info().smearing);
  EXPECT_EQ(vc.info().steps, 1);
}

TEST(VirtualClock, FrequencyCorrectsTheInjectedError) {
  uint64_t ticks = kTick0;
  clock::PublishedClock published;
  VirtualClock vc(published,
                  clock::ClockModel::from_rate(kTick0, kUtc0, 1e9).with_frequency(kTick0, 20'000),
                  [&] { return ticks; });
  vc.apply(engine::SetFrequency{-20e-6});
  ticks += 10'000'000'000;
  EXPECT_EQ(published.read().utc_nanos(ticks), kUtc0 + 10'000'000'000);
  EXPECT_NEAR(vc.info().rate, 0.0, 1e-15);
}

}  // namespace
}  // namespace wiretime::runtime
