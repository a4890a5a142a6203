#include "dataplane/dpdk/port.hpp"

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <algorithm>
#include <cstring>

namespace wiretime::dpdk {
namespace {

std::string errno_text(int rc) {
  return rte_strerror(rc < 0 ? -rc : rc);
}

// The device name is the devargs up to the first comma ("net_af_packet0,iface=x").
std::string device_name(const std::string& devargs) {
  return devargs.substr(0, devargs.find(','));
}

}  // namespace

std::string Port::open(const PortSpec& spec) {
  if (spec.port_index) {
    id_ = *spec.port_index;
    if (!rte_eth_dev_is_valid_port(id_)) {
      return "no DPDK port with index " + std::to_string(id_) + " (" +
             std::to_string(rte_eth_dev_count_avail()) + " ports available)";
    }
  } else {
    // Devices given with --vdev/-a in the EAL arguments already exist; others are hot-plugged.
    const std::string dev = device_name(spec.devargs);
    if (rte_eth_dev_get_port_by_name(dev.c_str(), &id_) != 0) {
      const int rc = rte_dev_probe(spec.devargs.c_str());
      if (rc < 0) return "cannot probe device '" + spec.devargs + "': " + errno_text(rc);
      if (rte_eth_dev_get_port_by_name(dev.c_str(), &id_) != 0) {
        return "device '" + spec.devargs + "' probed but no ethdev port named '" + dev + "'";
      }
    }
  }
  char name[RTE_ETH_NAME_MAX_LEN] = {};
  rte_eth_dev_get_name_by_port(id_, name);
  name_ = name;

  rte_eth_dev_info info{};
  int rc = rte_eth_dev_info_get(id_, &info);
  if (rc != 0) return "rte_eth_dev_info_get: " + errno_text(rc);

  const int socket = rte_eth_dev_socket_id(id_) >= 0 ? rte_eth_dev_socket_id(id_)
                                                     : static_cast<int>(rte_socket_id());
  const std::string pool_name = "wt_pool_" + std::to_string(id_);
  pool_ = rte_pktmbuf_pool_create(pool_name.c_str(), spec.mbufs, 64, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
                                  socket);
  if (pool_ == nullptr) return "cannot create mbuf pool: " + errno_text(rte_errno);

  driver_ = info.driver_name != nullptr ? info.driver_name : "";
  // More RX queues only where the device has them (software classification otherwise).
  rx_queues_ = spec.rx_queues <= info.max_rx_queues ? std::max<uint16_t>(spec.rx_queues, 1) : 1;

  rte_eth_conf conf{};
  // Ask for NIC RX timestamps where the PMD offers them; the dynfield check below also catches
  // PMDs that stamp without advertising it.
  if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) {
    conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_TIMESTAMP;
  }
  rc = rte_eth_dev_configure(id_, rx_queues_, 1, &conf);
  if (rc != 0) return "rte_eth_dev_configure: " + errno_text(rc);
  configured_ = true;

  uint16_t rxd = spec.rx_descriptors;
  uint16_t txd = spec.tx_descriptors;
  rc = rte_eth_dev_adjust_nb_rx_tx_desc(id_, &rxd, &txd);
  if (rc != 0) return "rte_eth_dev_adjust_nb_rx_tx_desc: " + errno_text(rc);
  for (uint16_t q = 0; q < rx_queues_; ++q) {
    rc = rte_eth_rx_queue_setup(id_, q, rxd, static_cast<unsigned>(socket), nullptr, pool_);
    if (rc != 0) return "rte_eth_rx_queue_setup " + std::to_string(q) + ": " + errno_text(rc);
  }
  rc = rte_eth_tx_queue_setup(id_, 0, txd, static_cast<unsigned>(socket), nullptr);
  if (rc != 0) return "rte_eth_tx_queue_setup: " + errno_text(rc);

  rc = rte_eth_dev_start(id_);
  if (rc != 0) return "rte_eth_dev_start: " + errno_text(rc);
  started_ = true;
  // Not every PMD implements promiscuous control (-ENOTSUP is fine: then it is off anyway).
  rc = rte_eth_promiscuous_disable(id_);
  if (rc != 0 && rc != -ENOTSUP) return "rte_eth_promiscuous_disable: " + errno_text(rc);

  rte_ether_addr addr{};
  rc = rte_eth_macaddr_get(id_, &addr);
  if (rc != 0) return "rte_eth_macaddr_get: " + errno_text(rc);
  std::memcpy(mac_.bytes.data(), addr.addr_bytes, mac_.bytes.size());
  // MAC override and extra MACs: the dataplane filters and writes MACs in software anyway, so
  // a PMD that cannot program them (or filters nothing, like af_packet) is only noted.
  if (spec.mac && *spec.mac != mac_) {
    rte_ether_addr want{};
    std::memcpy(want.addr_bytes, spec.mac->bytes.data(), spec.mac->bytes.size());
    if (rte_eth_dev_default_mac_addr_set(id_, &want) != 0)
      notes_ += "MAC override not programmed; ";
    mac_ = *spec.mac;
  }
  for (const wire::MacAddress& extra : spec.extra_macs) {
    rte_ether_addr a{};
    std::memcpy(a.addr_bytes, extra.bytes.data(), extra.bytes.size());
    if (rte_eth_dev_mac_addr_add(id_, &a, 0) != 0) notes_ += "extra MAC not programmed; ";
  }
  if (spec.multicast && !enable_multicast()) notes_ += "all-multicast refused; ";
  if (spec.timesync) timesync_ = rte_eth_timesync_enable(id_) == 0;

  timestamp_offset_ = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, nullptr);
  const int flag_bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, nullptr);
  if (timestamp_offset_ >= 0 && flag_bit >= 0) {
    timestamp_flag_ = uint64_t{1} << flag_bit;
  } else {
    timestamp_offset_ = -1;
  }
  // The dynfield is global to the process: whether this port fills it shows per mbuf (flag).
  // What its values mean depends on the driver: net_pcap writes the record's capture time in
  // microseconds (without advertising the offload); others their device clock.
  uint64_t clock = 0;
  if (driver_ == "net_pcap") {
    stamp_kind_ = NicStampKind::kUtcMicros;
  } else if ((info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_TIMESTAMP) && read_clock(clock)) {
    stamp_kind_ = NicStampKind::kNicClock;
  }
  return {};
}

bool Port::read_clock(uint64_t& value) const {
  return rte_eth_read_clock(id_, &value) == 0;
}

bool Port::read_tx_timestamp(uint64_t& ns) const {
  if (!timesync_) return false;
  timespec ts{};
  if (rte_eth_timesync_read_tx_timestamp(id_, &ts) != 0) return false;
  ns = static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
  return true;
}

void Port::close() {
  if (timesync_) rte_eth_timesync_disable(id_);
  timesync_ = false;
  if (started_) rte_eth_dev_stop(id_);
  if (configured_) rte_eth_dev_close(id_);
  started_ = configured_ = false;
  if (pool_ != nullptr) rte_mempool_free(pool_);
  pool_ = nullptr;
}

bool Port::read_timesync_clock(uint64_t& ns) const {
  if (!timesync_) return false;
  timespec ts{};
  if (rte_eth_timesync_read_time(id_, &ts) != 0) return false;
  ns = static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
  return true;
}

bool Port::enable_multicast() {
  if (multicast_) return true;
  const int rc = rte_eth_allmulticast_enable(id_);
  // -ENOTSUP: the PMD filters nothing by multicast (af_packet), so it is on anyway.
  multicast_ = rc == 0 || rc == -ENOTSUP;
  return multicast_;
}

}  // namespace wiretime::dpdk
