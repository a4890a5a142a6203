#include "control/auth/key_table.hpp"

#include <gtest/gtest.h>

#include "control/auth/key_table_from_config.hpp"
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

TEST(KeyTableFromConfig, MapsVrpModesAndTrust) {
  config::NtpConfig c;
  c.keys[1] = {config::KeyMode::kMd5, "md5-secret"};
  c.keys[2] = {config::KeyMode::kHmacSha256, "hmac-secret"};
  c.keys[3] = {config::KeyMode::kAes128Cmac, "0123456789abcdef"};
  c.keys[4] = {config::KeyMode::kAes256Cmac, "0123456789abcdef0123456789abcdef"};
  c.keys[5] = {config::KeyMode::kAes128Cmac, "short"};
  c.trusted_keys = {1, 3, 4};
  const auto r = key_table_from_config(c);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0], "ntp authentication-keyid 5: AES128 needs a 128-bit key, got 40 bits");
  ASSERT_EQ(r.table.size(), 4u);
  EXPECT_EQ(r.table.find(1)->algorithm, MacAlgorithm::kMd5);
  EXPECT_EQ(r.table.find(2)->algorithm, MacAlgorithm::kHmacSha256);
  EXPECT_EQ(r.table.find(3)->algorithm, MacAlgorithm::kAes128Cmac);
  EXPECT_EQ(r.table.find(4)->algorithm, MacAlgorithm::kAes256Cmac);
  EXPECT_EQ(r.table.find(1)->secret, bytes_of("md5-secret"));
  EXPECT_TRUE(r.table.find(1)->trusted);
  EXPECT_FALSE(r.table.find(2)->trusted);
}

}  // namespace
}  // namespace wiretime::auth
