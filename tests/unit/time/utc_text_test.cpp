#include "dataplane/time/utc_text.hpp"

#include <gtest/gtest.h>

namespace wiretime {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(UtcText, Epoch) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_utc_columns(0), "1970-01-01 00:00:00.000000000");
}

TEST(UtcText, NanosecondsAndLeapDay) {
  // 2016-12-31T23:59:59Z (the second before the last leap second's insertion point), +1 ns.
  EXPECT_EQ(format_utc(1'483'228'799 * kSecond + 1), "2016-12-31T23:59:59.000000001Z");
  // A leap day in a century year divisible by 400.
  EXPECT_EQ(format_utc(951'782'400 * kSecond + 999'999'999), "2000-02-29T00:00:00.999999999Z");
}

TEST(UtcText, BeforeTheEpochFloorsToThePreviousDay) {
  EXPECT_EQ(format_utc(-1), "1969-12-31T23:59:59.999999999Z");
  // NTP era 0 starts 1900-01-01 (-2208988800 s).
  EXPECT_EQ(format_utc(-2'208'988'800 * kSecond), "1900-01-01T00:00:00.000000000Z");
}

TEST(UtcText, EndOfNtpEraZero) {
  // 2036-02-07T06:28:16Z, where era 1 begins.
  EXPECT_EQ(format_utc(2'085'978'496 * kSecond), "2036-02-07T06:28:16.000000000Z");
}

}  // namespace
}  // namespace wiretime
