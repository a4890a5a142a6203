#include "dataplane/wire/decode_error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace wiretime::wire {
namespace {

TEST(DecodeError, EveryReasonHasADistinctName) {
  std::set<std::string> names;
  for (int i = 0; i < kDecodeErrorCount; ++i) {
    const auto text = to_string(static_cast<DecodeError>(i));
    EXPECT_NE(text, "unknown decode error") << i;
    EXPECT_FALSE(text.empty()) << i;
    names.emplace(text);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(kDecodeErrorCount));
  EXPECT_EQ(to_string(DecodeError::kBadUdpChecksum), "bad UDP checksum");
  EXPECT_EQ(to_string(static_cast<DecodeError>(kDecodeErrorCount)), "unknown decode error");
}

}  // namespace
}  // namespace wiretime::wire
