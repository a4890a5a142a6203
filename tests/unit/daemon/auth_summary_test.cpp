#include "control/daemon/auth_summary.hpp"

#include <gtest/gtest.h>

namespace wiretime::daemon {
namespace {

TEST(AuthSummary, ListsOnlyVerdictsThatOccurredInEnumOrder) {
  const auto replies = [](auth::MacVerdict v) -> uint64_t {
    switch (v) {
      case auth::MacVerdict::kOk:
        return 12;
      case auth::MacVerdict::kBadDigest:
        return 3;
      default:
        return 0;
    }
  };
  const std::string line = format_auth_summary(replies, 3, 1);
  EXPECT_EQ(line.rfind("authentication: replies ok 12, ", 0), 0u) << line;
  EXPECT_NE(line.find(std::string(auth::to_string(auth::MacVerdict::kBadDigest)) + " 3;"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("; failures 3; unsigned requests 1"), std::string::npos) << line;
}

TEST(AuthSummary, NoRepliesAtAllSaysNone) {
  EXPECT_EQ(format_auth_summary([](auth::MacVerdict) { return uint64_t{0}; }, 0, 0),
            "authentication: replies none; failures 0; unsigned requests 0");
}

}  // namespace
}  // namespace wiretime::daemon
