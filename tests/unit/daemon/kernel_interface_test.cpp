#include "control/daemon/kernel_interface.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace wiretime::daemon {
namespace {

TEST(KernelDevice, IsTheAfPacketIfaceArgument) {
  EXPECT_EQ(kernel_device("net_af_packet0,iface=veth-wt,qdisc_bypass=0"), "veth-wt");
  EXPECT_EQ(kernel_device("net_af_packet1,iface=eth1"), "eth1");
  EXPECT_EQ(kernel_device("net_af_packet0"), "");
  EXPECT_EQ(kernel_device("0000:3b:00.0"), "");
  EXPECT_EQ(kernel_device("net_ring0,iface=x"), "");
}

// A fake sysfs tree: what the kernel shows for an up veth, loopback (operstate "unknown") and a
// device that is down.
class KernelLinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("wt_sysfs_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    device("veth0", "up", "0x1003", 5, 7);
    device("lo", "unknown", "0x9", 0, 0);
    device("eth9", "down", "0x1002", 1, 2);
    device("tun0", "unknown", "0x1090", 0, 0);  // unknown and not IFF_UP
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void device(const std::string& name, const std::string& state, const std::string& flags,
              uint64_t rx, uint64_t tx) {
    const auto dir = root_ / name;
    std::filesystem::create_directories(dir / "statistics");
    std::ofstream(dir / "operstate") << state << "\n";
    std::ofstream(dir / "flags") << flags << "\n";
    std::ofstream(dir / "statistics" / "rx_errors") << rx << "\n";
    std::ofstream(dir / "statistics" / "tx_errors") << tx << "\n";
  }
  std::filesystem::path root_;
};

TEST_F(KernelLinkTest, ReadsStateAndErrorCounters) {
  const auto veth = kernel_link("veth0", root_);
  ASSERT_TRUE(veth);
  EXPECT_TRUE(veth->up);
  EXPECT_EQ(veth->rx_errors, 5u);
  EXPECT_EQ(veth->tx_errors, 7u);
  const auto down = kernel_link("eth9", root_);
  ASSERT_TRUE(down);
  EXPECT_FALSE(down->up);
  EXPECT_EQ(down->tx_errors, 2u);
  EXPECT_TRUE(kernel_link("lo", root_)->up);
  EXPECT_FALSE(kernel_link("tun0", root_)->up);
}

TEST_F(KernelLinkTest, UnknownOrEscapingNamesHaveNoLink) {
  EXPECT_FALSE(kernel_link("veth1", root_));
  EXPECT_FALSE(kernel_link("", root_));
  EXPECT_FALSE(kernel_link("..", root_));
  EXPECT_FALSE(kernel_link("../" + root_.filename().string() + "/veth0", root_));
}

}  // namespace
}  // namespace wiretime::daemon
