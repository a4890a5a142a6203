#include "dataplane/dpdk/packet_capture.hpp"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_pdump.h>

namespace wiretime::dpdk {

std::string PacketCapture::enable() {
  if (rte_pdump_init() != 0) {
    return std::string("rte_pdump_init failed: ") + rte_strerror(rte_errno);
  }
  enabled_ = true;
  return {};
}

bool PacketCapture::secondary_processes_possible() {
  // --no-huge keeps memory in anonymous mappings and skips the hugepage_info file a secondary
  // reads first; --in-memory and --no-shconf keep no shared files at all.
  return rte_eal_has_hugepages() != 0;
}

PacketCapture::~PacketCapture() {
  if (enabled_) rte_pdump_uninit();
}

}  // namespace wiretime::dpdk
