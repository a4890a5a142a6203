#include "config/mgmt/mgmt_protocol.hpp"

#include <gtest/gtest.h>

namespace wiretime::mgmt {
namespace {

config::NtpConfig sample() {
  config::NtpConfig c;
  config::Association a;
  a.address = "10.1.1.1";
  a.key_id = 42;
  a.iburst = true;
  c.unicast_servers.push_back(a);
  c.keys[42] = {config::KeyMode::kHmacSha256, "a secret with spaces"};
  c.trusted_keys.insert(42);
  c.authentication_enable = true;
  c.vpn_instances.push_back({"blue", true, true});
  return c;
}

TEST(MgmtProtocol, CommitRoundTripKeepsEveryFieldIncludingKeys) {
  Request request;
  request.kind = RequestKind::kCommit;
  request.candidate = sample();
  request.base = config::NtpConfig{};
  const Fields fields = encode_request(request);
  EXPECT_EQ(fields[0], kProtocolVersion);
  EXPECT_EQ(fields[2].find("a secret"), std::string::npos) << "keys travel as ciphers";
  auto decoded = decode_request(fields);
  ASSERT_TRUE(std::holds_alternative<Request>(decoded)) << std::get<std::string>(decoded);
  const Request& back = std::get<Request>(decoded);
  EXPECT_EQ(back.kind, RequestKind::kCommit);
  EXPECT_EQ(back.candidate, sample());
  ASSERT_TRUE(back.base.has_value());
  EXPECT_EQ(*back.base, config::NtpConfig{});

  request.base.reset();
  auto without_base = decode_request(encode_request(request));
  EXPECT_FALSE(std::get<Request>(without_base).base.has_value());
}

TEST(MgmtProtocol, OtherRequestsAndResponses) {
  for (RequestKind kind : {RequestKind::kRunning, RequestKind::kInventory}) {
    Request r;
    r.kind = kind;
    EXPECT_EQ(std::get<Request>(decode_request(encode_request(r))).kind, kind);
  }
  Request display;
  display.kind = RequestKind::kDisplay;
  display.what = "sessions verbose";
  EXPECT_EQ(std::get<Request>(decode_request(encode_request(display))).what, "sessions verbose");
  Request reset;
  reset.kind = RequestKind::kReset;
  reset.what = "statistics ipv6";
  const Request reset_back = std::get<Request>(decode_request(encode_request(reset)));
  EXPECT_EQ(reset_back.kind, RequestKind::kReset);
  EXPECT_EQ(reset_back.what, "statistics ipv6");

  for (const Response& r : {Response{true, "text\n"}, Response{false, "refused"}}) {
    auto back = decode_response(encode_response(r));
    ASSERT_TRUE(std::holds_alternative<Response>(back));
    EXPECT_EQ(std::get<Response>(back).ok, r.ok);
    EXPECT_EQ(std::get<Response>(back).body, r.body);
  }
}

TEST(MgmtProtocol, MalformedMessagesAreRefusedWithAReason) {
  auto refused = [](const Fields& fields) {
    auto r = decode_request(fields);
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string();
  };
  EXPECT_EQ(refused({}), "unsupported management protocol");
  EXPECT_EQ(refused({"wt9", "running"}), "unsupported management protocol");
  EXPECT_EQ(refused({"wt1", "reboot"}), "unknown request 'reboot'");
  EXPECT_EQ(refused({"wt1", "running", "extra"}), "malformed running request");
  EXPECT_EQ(refused({"wt1", "reset"}), "malformed reset request");
  EXPECT_EQ(refused({"wt1", "display"}), "malformed display request");
  EXPECT_EQ(refused({"wt1", "commit"}), "malformed commit request");
  const std::string bad_yaml = refused({"wt1", "commit", "ntp:\n  max-distance: 99\n"});
  EXPECT_EQ(bad_yaml.rfind("candidate: 2:", 0), 0u) << bad_yaml;
  EXPECT_NE(bad_yaml.find("max-distance"), std::string::npos) << bad_yaml;
  EXPECT_FALSE(std::holds_alternative<Response>(decode_response({"wt1", "maybe", ""})));
  EXPECT_FALSE(std::holds_alternative<Response>(decode_response({"wt1", "ok"})));
}

}  // namespace
}  // namespace wiretime::mgmt
