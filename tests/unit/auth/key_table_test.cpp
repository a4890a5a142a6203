#include "control/auth/key_table.hpp"

#include <gtest/gtest.h>

#include "tests/unit/auth/test_bytes.hpp"

namespace wiretime::auth {
namespace {

using test::bytes_of;

TEST(KeyTable, AddValidatesReplacesAndRemoves) {
  KeyTable t;
  EXPECT_EQ(t.add({0, MacAlgorithm::kMd5, bytes_of("x"), true}),
            "key id 0 is reserved for the crypto-NAK");
  EXPECT_EQ(t.add({1, MacAlgorithm::kMd5, {}, true}), "empty key");
  EXPECT_EQ(t.add({1, MacAlgorithm::kAes256Cmac, bytes_of("0123456789abcdef"), true}),
            "AES256 needs a 256-bit key, got 128 bits");
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.add({1, MacAlgorithm::kMd5, bytes_of("one"), true}), "");
  EXPECT_EQ(t.add({1, MacAlgorithm::kSha1, bytes_of("two"), false}), "");
  ASSERT_NE(t.find(1), nullptr);
  EXPECT_EQ(t.find(1)->algorithm, MacAlgorithm::kSha1);
  EXPECT_EQ(t.find(1)->secret, bytes_of("two"));
  EXPECT_FALSE(t.find(1)->trusted);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find(2), nullptr);
  EXPECT_TRUE(t.remove(1));
  EXPECT_FALSE(t.remove(1));
  EXPECT_TRUE(t.empty());
}

}  // namespace
}  // namespace wiretime::auth
