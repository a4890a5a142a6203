#include "dataplane/socket/socket_address.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>

namespace wiretime::socket {
namespace {

TEST(SocketAddress, Ipv4RoundTrip) {
  const auto a = wire::IpAddress::from(wire::Ipv4Address{{198, 18, 0, 1}});
  const SocketAddress s = to_sockaddr(a, 123);
  ASSERT_EQ(s.length, sizeof(sockaddr_in));
  sockaddr_in in{};
  std::memcpy(&in, &s.storage, sizeof in);
  EXPECT_EQ(in.sin_family, AF_INET);
  EXPECT_EQ(ntohs(in.sin_port), 123);
  EXPECT_EQ(ntohl(in.sin_addr.s_addr), 0xc6120001u);
  wire::IpAddress back;
  uint16_t port = 0;
  ASSERT_TRUE(from_sockaddr(s.storage, back, port));
  EXPECT_EQ(back, a);
  EXPECT_EQ(port, 123);
}

TEST(SocketAddress, Ipv6RoundTrip) {
  wire::Ipv6Address v6;
  v6.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const auto a = wire::IpAddress::from(v6);
  const SocketAddress s = to_sockaddr(a, 4123);
  ASSERT_EQ(s.length, sizeof(sockaddr_in6));
  wire::IpAddress back;
  uint16_t port = 0;
  ASSERT_TRUE(from_sockaddr(s.storage, back, port));
  EXPECT_EQ(back, a);
  EXPECT_EQ(port, 4123);
}

TEST(SocketAddress, OtherFamiliesAreRefused) {
  sockaddr_storage s{};
  s.ss_family = AF_UNIX;
  wire::IpAddress a;
  uint16_t port = 0;
  EXPECT_FALSE(from_sockaddr(s, a, port));
}

}  // namespace
}  // namespace wiretime::socket
