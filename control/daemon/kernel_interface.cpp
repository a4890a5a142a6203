#include "control/daemon/kernel_interface.hpp"

#include <fstream>

namespace wiretime::daemon {

std::string kernel_device(const std::string& devargs) {
  if (devargs.rfind("net_af_packet", 0) != 0) return "";
  const size_t at = devargs.find("iface=");
  if (at == std::string::npos) return "";
  const size_t begin = at + 6;
  return devargs.substr(begin, devargs.find(',', begin) - begin);
}

std::optional<KernelLink> kernel_link(const std::string& device, const std::string& sysfs) {
  // A name with a slash or a dot-dot would leave the device directory.
  if (device.empty() || device.find('/') != std::string::npos || device == "." || device == "..") {
    return std::nullopt;
  }
  const std::string dir = sysfs + "/" + device + "/";
  std::ifstream operstate(dir + "operstate");
  std::string state;
  if (!(operstate >> state)) return std::nullopt;
  KernelLink link;
  unsigned long flags = 0;
  if (std::ifstream f(dir + "flags"); f) f >> std::hex >> flags;
  // Loopback and some virtual devices report "unknown" while they pass traffic.
  link.up = state == "up" || (state == "unknown" && (flags & 0x1) != 0);
  if (std::ifstream f(dir + "statistics/rx_errors"); f) f >> link.rx_errors;
  if (std::ifstream f(dir + "statistics/tx_errors"); f) f >> link.tx_errors;
  return link;
}

}  // namespace wiretime::daemon
