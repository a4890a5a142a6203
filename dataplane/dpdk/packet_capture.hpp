// DPDK's packet-capture framework (rte_pdump) in the primary process, so that `dpdk-dumpcap`
// and `dpdk-pdump` (secondary processes of the same --file-prefix) can record the ports' RX
// and TX. Secondary processes need the primary's memory in shared files: with EAL --no-huge
// (anonymous memory) they cannot attach, and capture is unavailable (docs/operations.md).
#pragma once

#include <string>

namespace wiretime::dpdk {

class PacketCapture {
 public:
  PacketCapture() = default;
  PacketCapture(const PacketCapture&) = delete;
  PacketCapture& operator=(const PacketCapture&) = delete;
  ~PacketCapture();
  // After rte_eal_init. Empty string on success.
  std::string enable();
  // Whether a secondary process can attach at all (false under --no-huge / --in-memory).
  static bool secondary_processes_possible();

 private:
  bool enabled_ = false;
};

}  // namespace wiretime::dpdk
