// The DPDK backend: EAL and one port, the TSC calibrated into the virtual clock model, the
// dataplane on a worker lcore (or interleaved on the main lcore when there is none), and the
// control loop on this thread draining the lcore's event ring: the engine's requests go out as
// TX commands, its clock actions discipline the virtual clock the lcore reads.
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <string>

#include "control/daemon/backend.hpp"
#include "control/daemon/daemon_observer.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/dpdk_transport.hpp"
#include "control/daemon/server_specs.hpp"
#include "control/runtime/virtual_clock.hpp"
#include "dataplane/dpdk/dataplane_lcore.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/dpdk/port.hpp"
#include "dataplane/dpdk/spsc_ring.hpp"
#include "dataplane/dpdk/tsc_clock.hpp"

namespace wiretime::daemon {
namespace {

std::string format_mac(wire::MacAddress m) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0], m.bytes[1],
                m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
  return buf;
}

UnixNanos realtime_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// The virtual clock: the calibrated TSC map, with the test knobs applied as a deliberate error.
clock::ClockModel initial_clock(const dpdk::TscCalibration& cal, const config::ClockSection& c) {
  clock::ClockModel model = clock::ClockModel::from_rate(cal.tick0, cal.utc0, cal.ticks_per_second);
  if (c.test_initial_offset_ns != 0) {
    model = model.stepped(cal.tick0, NtpDuration::from_nanos(c.test_initial_offset_ns));
  }
  if (c.test_initial_frequency_ppb != 0) {
    model = model.with_frequency(cal.tick0, c.test_initial_frequency_ppb);
  }
  return model;
}

void print_counters(const DaemonLog& log, const dpdk::DataplaneCounters& c,
                    const DpdkTransport& transport) {
  auto get = [](const std::atomic<uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  log.info("dataplane: rx " + std::to_string(get(c.rx_frames)) + " tx " +
           std::to_string(get(c.tx_frames)) + " arp replies " + std::to_string(get(c.arp_replies)) +
           " ntp replies " + std::to_string(get(c.ntp_replies)) + "; control: arp requests " +
           std::to_string(transport.arp_requests()) + " ring full " +
           std::to_string(transport.ring_full()));
  for (size_t i = 0; i < c.drop.size(); ++i) {
    if (get(c.drop[i]) != 0) {
      log.info("dataplane drop '" + std::string(dpdk::to_string(static_cast<dpdk::DropReason>(i))) +
               "': " + std::to_string(get(c.drop[i])));
    }
  }
  for (size_t i = 0; i < c.decode.size(); ++i) {
    if (get(c.decode[i]) != 0) {
      log.info("dataplane decode drop '" +
               std::string(wire::to_string(static_cast<wire::DecodeError>(i))) +
               "': " + std::to_string(get(c.decode[i])));
    }
  }
}

}  // namespace

int run_dpdk_backend(const BackendContext& context) {
  const DaemonConfig& dcfg = context.config;
  const config::StartupConfig& cfg = dcfg.startup;
  const DaemonLog& log = context.log;

  // The ring records carry no MAC yet and the control thread does not run the resolver yet:
  // refuse rather than run keyed servers unauthenticated or drop domain servers silently.
  for (const uint32_t key : dcfg.server_key_ids) {
    if (key != 0) {
      log.error("key-id: authentication needs `dataplane.backend: socket` for now");
      return kExitConfigError;
    }
  }
  if (!dcfg.domain_servers.empty()) {
    log.error("domain servers need `dataplane.backend: socket` for now");
    return kExitConfigError;
  }

  dpdk::Eal eal;
  if (std::string e = eal.init(dpdk::eal_arguments("wiretimed", cfg.dataplane.eal_args, getpid()));
      !e.empty()) {
    log.error(e);
    return kExitRuntimeError;
  }
  // Everything DPDK-owned lives in this scope, so it is released before rte_eal_cleanup.
  const config::InterfaceSection& itf = cfg.interfaces.front();
  dpdk::Port port;
  dpdk::PortSpec spec;
  spec.devargs = itf.devargs;
  spec.port_index = itf.port_index;
  if (std::string e = port.open(spec); !e.empty()) {
    log.error(itf.name + ": " + e);
    return kExitRuntimeError;
  }
  log.info(itf.name + ": port " + std::to_string(port.id()) + " (" + port.name() + ") up, mac " +
           format_mac(port.mac()) + ", ipv4 " + itf.ipv4.to_string() +
           (port.rx_timestamp_registered() ? ", NIC RX timestamp dynfield present"
                                           : ", RX timestamps from TSC"));

  dpdk::SpscRing<dpdk::TxCommand> commands;
  dpdk::SpscRing<dpdk::DataplaneEvent> events;
  for (std::string e : {commands.create("wt_tx_cmd", 256), events.create("wt_events", 1024)}) {
    if (!e.empty()) {
      log.error(e);
      return kExitRuntimeError;
    }
  }

  const dpdk::TscCalibration cal = dpdk::calibrate_tsc(std::chrono::milliseconds(500));
  clock::PublishedClock published;
  runtime::VirtualClock virtual_clock(published, initial_clock(cal, cfg.clock), dpdk::read_tsc);
  log.info("clock: virtual, TSC " + std::to_string(cal.ticks_per_second / 1e6) + " MHz measured (" +
           std::to_string(cal.nominal_ticks_per_second / 1e6) + " MHz nominal), pairing +-" +
           std::to_string(cal.pairing_uncertainty_ns) + " ns, test offset " +
           std::to_string(cfg.clock.test_initial_offset_ns) + " ns, test frequency " +
           std::to_string(cfg.clock.test_initial_frequency_ppb) + " ppb");

  // Test instrumentation: the virtual clock against the host's CLOCK_REALTIME, the TSC read
  // bracketing the system clock read.
  DaemonObserver observer(log, [&published] {
    const uint64_t t0 = dpdk::read_tsc();
    const UnixNanos real = realtime_ns();
    const uint64_t t1 = dpdk::read_tsc();
    return std::optional<int64_t>(published.read().utc_nanos(t0 + (t1 - t0) / 2) - real);
  });
  if (!cfg.log.measurements.empty()) {
    if (std::string e = observer.open_measurements(cfg.log.measurements); !e.empty()) {
      log.error(e);
      return kExitRuntimeError;
    }
  }
  if (!dcfg.tracking_log.empty()) {
    if (std::string e = observer.open_tracking(dcfg.tracking_log); !e.empty()) {
      log.error(e);
      return kExitRuntimeError;
    }
  }

  // An ephemeral source port per run, so stale replies from an earlier run do not match.
  const auto client_port = static_cast<uint16_t>(49152 + context.seed % 16384);
  dpdk::DataplaneCounters counters;
  const wire::Ipv4Address own_ip = wire::Ipv4Address::from_host_order(itf.ipv4.address.value);
  dpdk::DataplaneLcore dataplane({own_ip, client_port, cfg.dataplane.idle_sleep_us}, port, commands,
                                 events, counters);

  DpdkTransportConfig tc;
  tc.own_ip = own_ip;
  tc.own_mask = itf.ipv4.mask();
  if (itf.gateway) tc.gateway = wire::Ipv4Address::from_host_order(itf.gateway->value);
  tc.client_port = client_port;
  DpdkTransport transport(tc, [&commands](const dpdk::TxCommand& c) { return commands.push(c); });

  runtime::ControlLoop loop(engine::EngineConfig{}, context.seed, virtual_clock, transport,
                            observer);
  for (const ServerSpec& s : server_specs(cfg.ntp)) {
    loop.add(s.config, s.peer);
    log.info("source " + runtime::to_string(s.peer) + ", poll 2^" +
             std::to_string(s.config.min_poll) + "..2^" + std::to_string(s.config.max_poll) +
             " s, from port " + std::to_string(client_port));
    // Resolve the next hop before the first poll is due.
    dpdk::TxCommand arp;
    arp.kind = dpdk::TxCommand::Kind::kArpRequest;
    arp.target_ip = transport.next_hop(s.peer.address.v4);
    commands.push(arp);
  }

  // Announce ourselves, so the neighbours' ARP caches learn (or refresh) our MAC.
  dpdk::TxCommand garp;
  garp.kind = dpdk::TxCommand::Kind::kGratuitousArp;
  commands.push(garp);

  std::atomic<bool> dataplane_stop{false};
  std::optional<unsigned> lcore = cfg.dataplane.lcore;
  const auto workers = dpdk::Eal::worker_lcores();
  if (lcore) {
    if (std::find(workers.begin(), workers.end(), *lcore) == workers.end()) {
      log.error("dataplane.lcore " + std::to_string(*lcore) +
                " is not an enabled worker lcore (check the EAL -l/--lcores argument)");
      return kExitConfigError;
    }
  } else if (!workers.empty()) {
    lcore = workers.front();
  }
  if (lcore) {
    if (!dataplane.start_on_lcore(*lcore, dataplane_stop)) {
      log.error("cannot launch the dataplane on lcore " + std::to_string(*lcore));
      return kExitRuntimeError;
    }
    log.info("dataplane on lcore " + std::to_string(*lcore) + ", control on lcore " +
             std::to_string(dpdk::Eal::main_lcore()));
  } else {
    log.info("no worker lcore: dataplane interleaved with control on the main lcore");
  }

  dpdk::DataplaneEvent batch[64];
  while (!context.stop) {
    if (!lcore) {
      while (dataplane.poll_once()) {
      }
    }
    const unsigned n = events.pop_burst(batch, 64);
    for (unsigned i = 0; i < n; ++i) {
      const dpdk::DataplaneEvent& ev = batch[i];
      switch (ev.kind) {
        case dpdk::DataplaneEvent::Kind::kNeighbor:
          if (!transport.neighbor(ev.ip)) {
            log.info("neighbour " + config::Ipv4Address{ev.ip.to_host_order()}.to_string() +
                     " is at " + format_mac(ev.mac));
          }
          transport.on_neighbor(ev.ip, ev.mac);
          break;
        case dpdk::DataplaneEvent::Kind::kNtpTransmitted:
          loop.on_transmitted(ev.cookie, ev.ticks);
          break;
        case dpdk::DataplaneEvent::Kind::kNtpTransmitStamp:
          loop.on_transmit_stamp(ev.cookie, ev.ticks);
          break;
        case dpdk::DataplaneEvent::Kind::kNtpNotSent:
          loop.on_not_sent(ev.cookie);
          break;
        case dpdk::DataplaneEvent::Kind::kNtpReply: {
          if (ev.dst_port != client_port) break;
          wire::NtpPacket packet;
          packet.header = ev.ntp;
          const runtime::Peer from{
              ev.src.version != wire::IpVersion::kNone ? ev.src : wire::IpAddress::from(ev.ip),
              ev.src_port};
          if (ev.stamp == dpdk::StampSource::kNicUtc) {
            loop.on_reply_at(from, packet, NtpTimestamp::from_unix_nanos(ev.utc_ns), ev.utc_ns,
                             engine::TimestampSource::kNicHardware);
          } else {
            loop.on_reply(from, packet, ev.ticks,
                          ev.stamp == dpdk::StampSource::kNicTsc
                              ? engine::TimestampSource::kNicHardware
                              : engine::TimestampSource::kTsc);
          }
          break;
        }
      }
    }
    const uint64_t next = loop.run_due();
    if (n == 0 && lcore) {
      // Control needs ~100 us resolution at most (timers, slew ends); spare the core.
      const double ahead_ns = static_cast<double>(static_cast<int64_t>(next - dpdk::read_tsc())) *
                              1e9 / virtual_clock.ticks_per_second();
      const long nap = static_cast<long>(std::clamp(ahead_ns, 0.0, 200'000.0));
      if (nap > 0) {
        const timespec pause{0, nap};
        nanosleep(&pause, nullptr);
      }
    }
  }
  log.info("stopping");
  dataplane_stop.store(true);
  dataplane.join();
  log.info(format_status(loop.status()));
  print_counters(log, counters, transport);
  return kExitOk;
}

}  // namespace wiretime::daemon
