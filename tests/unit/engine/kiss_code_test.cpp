#include "control/engine/kiss_code.hpp"

#include <gtest/gtest.h>

namespace wiretime::engine {
namespace {

TEST(KissCode, RateRaisesPollAtLeastByOneCappedAtMaxpoll) {
  auto r = kiss_reaction(wire::KissCode::kRate, 6, 0, 10);
  EXPECT_TRUE(r.raise_poll);
  EXPECT_FALSE(r.stop);
  EXPECT_EQ(r.new_poll, 7);
  EXPECT_EQ(kiss_reaction(wire::KissCode::kRate, 6, 9, 10).new_poll, 9);
  EXPECT_EQ(kiss_reaction(wire::KissCode::kRate, 10, 0, 10).new_poll, 10);
}

TEST(KissCode, DenyAndRstrStop) {
  EXPECT_TRUE(kiss_reaction(wire::KissCode::kDeny, 6, 0, 10).stop);
  EXPECT_TRUE(kiss_reaction(wire::KissCode::kRstr, 6, 0, 10).stop);
  const auto other = kiss_reaction(wire::KissCode::kInit, 6, 0, 10);
  EXPECT_FALSE(other.stop);
  EXPECT_FALSE(other.raise_poll);
}

}  // namespace
}  // namespace wiretime::engine
