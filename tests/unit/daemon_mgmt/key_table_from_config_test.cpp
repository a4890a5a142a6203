#include "control/daemon/key_table_from_config.hpp"

#include <gtest/gtest.h>

#include "tests/unit/auth/test_bytes.hpp"

namespace wiretime::daemon {
namespace {

using auth::test::bytes_of;

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
  EXPECT_EQ(r.table.find(1)->algorithm, auth::MacAlgorithm::kMd5);
  EXPECT_EQ(r.table.find(2)->algorithm, auth::MacAlgorithm::kHmacSha256);
  EXPECT_EQ(r.table.find(3)->algorithm, auth::MacAlgorithm::kAes128Cmac);
  EXPECT_EQ(r.table.find(4)->algorithm, auth::MacAlgorithm::kAes256Cmac);
  EXPECT_EQ(r.table.find(1)->secret, bytes_of("md5-secret"));
  EXPECT_TRUE(r.table.find(1)->trusted);
  EXPECT_FALSE(r.table.find(2)->trusted);
}

}  // namespace
}  // namespace wiretime::daemon
