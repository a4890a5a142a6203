// The Linux side of an inventory port: the kernel device a port's devargs name
// (net_af_packet's `iface=`), and that device's link state and error counters from sysfs, for
// `display interface brief` on the socket backend and the DPDK backend's packet-socket taps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace wiretime::daemon {

// The `iface=` device argument of a net_af_packet port, or "" (no kernel device named).
std::string kernel_device(const std::string& devargs);

struct KernelLink {
  bool up = false;  // administratively up with carrier (operstate up, or unknown and IFF_UP)
  uint64_t rx_errors = 0;
  uint64_t tx_errors = 0;
};

// nullopt when the device does not exist (in this network namespace).
std::optional<KernelLink> kernel_link(const std::string& device,
                                      const std::string& sysfs = "/sys/class/net");

}  // namespace wiretime::daemon
