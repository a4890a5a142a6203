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

}  // namespace
}  // namespace wiretime::display
