#include "config/display/packet_statistics.hpp"

#include <gtest/gtest.h>

namespace wiretime::display {
namespace {

TEST(PacketStatistics, AsInTheCommandReference) {
  PacketStatistics s;
  s.sent = 100;
  s.send_failures = 10;
  s.received = 1000;
  s.processed = 800;
  s.dropped = 200;
  s.validity_test_failures = 50;
  s.authentication_failures = 20;
  s.invalid_packets = 50;
  s.access_denied = 50;
  s.processing_delay = 30;
  EXPECT_EQ(render_packet_statistics(s),
            " NTP IPv4 Packet Statistical Information\n"
            " --------------------------------------------------\n"
            " Sent                                  :          100\n"
            "    Send failures                      :          10\n"
            " Received                              :          1000\n"
            "    Processed                          :          800\n"
            "    Dropped                            :          200\n"
            "       Validity test failures          :          50\n"
            "          Authentication failures      :          20\n"
            "       Invalid packets                 :          50\n"
            "       Access denied                   :          50\n"
            "       Rate-limited                    :          0\n"
            "       Processing delay                :          30\n"
            "       Interface disabled              :          0\n"
            "       Max dynamic association reached :          0\n"
            "       Server disabled                 :          0\n"
            "       Offset limit                    :          0\n"
            "       Others                          :          0\n"
            "Last 0 packets drop reasons:\n");
}

TEST(PacketStatistics, LastDropReasonsAreCappedAtTen) {
  PacketStatistics s;
  for (int i = 0; i < 12; ++i) s.last_drop_reasons.push_back("reason " + std::to_string(i));
  const std::string text = render_packet_statistics(s, true);
  EXPECT_EQ(text.rfind(" NTP IPv6 Packet Statistical Information\n", 0), 0u);
  EXPECT_NE(text.find("Last 10 packets drop reasons:\n   reason 0\n"), std::string::npos);
  EXPECT_NE(text.find("   reason 9\n"), std::string::npos);
  EXPECT_EQ(text.find("reason 10"), std::string::npos);
}

// Golden: the interface form, both families, after a line naming the interface.
TEST(PacketStatistics, InterfaceFormShowsBothFamiliesOfTheNamedInterface) {
  InterfacePacketStatistics ge1{"GE1/0/1", {}, {}};
  ge1.ipv4.received = 7;
  ge1.ipv4.processed = 7;
  ge1.ipv4.sent = 7;
  InterfacePacketStatistics ge2{"GE1/0/2", {}, {}};
  ge2.ipv6.interface_disabled = 3;
  const std::vector<InterfacePacketStatistics> itfs{ge1, ge2};
  const std::optional<std::string> text =
      render_scoped_packet_statistics("statistics interface GE1/0/1", itfs, {});
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, " Interface: GE1/0/1\n" + render_packet_statistics(ge1.ipv4) + "\n" +
                       render_packet_statistics(ge1.ipv6, true));
  EXPECT_NE(text->find(" Sent                                  :          7\n"), std::string::npos);
  EXPECT_EQ(*render_scoped_packet_statistics("statistics ipv6 interface GE1/0/2", itfs, {}),
            " Interface: GE1/0/2\n" + render_packet_statistics(ge2.ipv6, true));
  const std::string all = *render_scoped_packet_statistics("statistics interface all", itfs, {});
  EXPECT_NE(all.find(" Interface: GE1/0/1\n"), std::string::npos);
  EXPECT_NE(all.find(" Interface: GE1/0/2\n"), std::string::npos);
  EXPECT_EQ(*render_scoped_packet_statistics("statistics interface GE1/0/9", itfs, {}),
            "Error: The interface GE1/0/9 does not exist.\n");
}

TEST(PacketStatistics, PeerFormPicksByKindAddressAndVpn) {
  std::vector<PeerPacketStatistics> peers(4);
  peers[0].address = "198.18.0.1";
  peers[0].packets.sent = 1;
  peers[1].address = "198.18.0.1";
  peers[1].vpn_instance = "red";
  peers[1].packets.sent = 2;
  peers[2].kind = PeerKind::kIpv6;
  peers[2].address = "2001:db8::1";
  peers[3].kind = PeerKind::kDomain;
  peers[3].address = "ntp.example";
  auto show = [&peers](const char* what) {
    return render_scoped_packet_statistics(what, {}, peers).value_or("(nullopt)");
  };
  EXPECT_EQ(show("statistics peer 198.18.0.1"),
            " Peer: 198.18.0.1\n" + render_packet_statistics(peers[0].packets));
  EXPECT_EQ(show("statistics peer 198.18.0.1 vpn-instance red"),
            " Peer: 198.18.0.1 vpn-instance red\n" + render_packet_statistics(peers[1].packets));
  EXPECT_EQ(show("statistics peer"), show("statistics peer 198.18.0.1") + "\n" +
                                         show("statistics peer 198.18.0.1 vpn-instance red"));
  EXPECT_EQ(show("statistics peer ipv6"),
            " Peer: ipv6 2001:db8::1\n" + render_packet_statistics(peers[2].packets, true));
  EXPECT_EQ(show("statistics peer domain ntp.example"),
            " Peer: domain ntp.example\n" + render_packet_statistics(peers[3].packets));
  EXPECT_EQ(show("statistics peer 198.18.0.9"), "Info: No such peer is configured.\n");
  EXPECT_EQ(show("statistics peer 198.18.0.1 vpn-instance"), "(nullopt)");
  EXPECT_EQ(show("statistics ipv6 peer"), "(nullopt)");
}

}  // namespace
}  // namespace wiretime::display
