#include <gtest/gtest.h>

#include "dataplane/dpdk/drop_reason.hpp"
#include "dataplane/dpdk/eal.hpp"

namespace wiretime::dpdk {
namespace {

TEST(EalArguments, AddsUniqueFilePrefixWhenMissing) {
  EXPECT_EQ(eal_arguments("wiretimed", {"--no-huge", "-m", "64"}, 4242),
            (std::vector<std::string>{"wiretimed", "--no-huge", "-m", "64", "--file-prefix",
                                      "wiretimed-4242"}));
}

TEST(EalArguments, KeepsConfiguredFilePrefix) {
  EXPECT_EQ(eal_arguments("w", {"--file-prefix", "wt1"}, 1),
            (std::vector<std::string>{"w", "--file-prefix", "wt1"}));
  EXPECT_EQ(eal_arguments("w", {"--file-prefix=wt1"}, 1),
            (std::vector<std::string>{"w", "--file-prefix=wt1"}));
}

TEST(DropReason, EveryReasonHasItsOwnName) {
  for (int i = 0; i < static_cast<int>(DropReason::kCount); ++i) {
    for (int j = 0; j < i; ++j) {
      EXPECT_NE(to_string(static_cast<DropReason>(i)), to_string(static_cast<DropReason>(j)));
    }
    EXPECT_NE(to_string(static_cast<DropReason>(i)), "unknown");
  }
}

}  // namespace
}  // namespace wiretime::dpdk
