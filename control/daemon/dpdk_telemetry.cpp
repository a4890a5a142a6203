#include "control/daemon/dpdk_telemetry.hpp"

#include <cstdio>
#include <cstdlib>

#include "control/daemon/metrics_collect.hpp"

namespace wiretime::daemon {
namespace {

uint64_t get(const std::atomic<uint64_t>& v) {
  return v.load(std::memory_order_relaxed);
}

void no_snapshot(dpdk::TelemetryDict& d) {
  d.str("error", "no snapshot yet (published once a second)");
}

// /wiretime/server: the outcome counters and the lcore's latency histogram (dict entries are
// limited to 256 per level: buckets go in children of 200).
void server_telemetry(const dpdk::DataplaneCounters& c, double tsc_hz, dpdk::TelemetryDict& d) {
  for (size_t o = 0; o < server::kServeOutcomeCount; ++o) {
    const auto outcome = static_cast<server::ServeOutcome>(o);
    const std::string name = snake_case(server::to_string(outcome));
    d.u64("ipv4_" + name, c.server.total(outcome, wire::IpVersion::kV4));
    d.u64("ipv6_" + name, c.server.total(outcome, wire::IpVersion::kV6));
  }
  const double ns_per_tick = 1e9 / tsc_hz;
  const auto ns = [&](uint64_t ticks) { return static_cast<double>(ticks) * ns_per_tick; };
  const auto histogram = [&](const server::LatencyHistogram& h, const std::string& prefix) {
    d.u64(prefix + "replies", h.total());
    d.real(prefix + "p50_ns", ns(h.quantile(0.5)));
    d.real(prefix + "p99_ns", ns(h.quantile(0.99)));
    d.real(prefix + "p999_ns", ns(h.quantile(0.999)));
    d.real(prefix + "max_ns", ns(h.max()));
    size_t in_child = 0, children = 0;
    dpdk::TelemetryDict child(nullptr);
    for (size_t b = 0; b < server::LatencyHistogram::kBuckets; ++b) {
      const uint64_t n = h.count(b);
      if (n == 0) continue;
      if (children == 0 || in_child == 200) {
        child = d.child(prefix + "buckets_" + std::to_string(children++));
        in_child = 0;
      }
      child.u64(std::to_string(static_cast<uint64_t>(ns(server::LatencyHistogram::lower_bound(b)))),
                n);
      ++in_child;
    }
  };
  // net_af_packet ports: requests dated by the kernel's RX stamp (the lcore's packet ring) and
  // those that kept the TSC at the RX burst.
  d.u64("t2_kernel_stamped", get(c.server_t2_kernel));
  d.u64("t2_tsc_stamped", get(c.server_t2_tsc));
  histogram(c.server_latency, "latency_");
  histogram(c.server_tx_return, "latency_tx_return_");
}

}  // namespace

DpdkMetrics::DpdkMetrics(dpdk::Dataplane& dataplane, const SnapshotBox& box, double tsc_hz,
                         std::optional<unsigned> lcore)
    : dataplane_(dataplane),
      tables_reader_(dataplane.published_tables().register_reader()),
      box_(box),
      tsc_hz_(tsc_hz),
      lcore_(lcore) {
  dataplane_.published_tables().release(tables_reader_);
}

std::string DpdkMetrics::register_commands() {
  const dpdk::Dataplane& dp = dataplane_;
  const SnapshotBox& box = box_;
  struct Command {
    const char* name;
    const char* help;
    dpdk::TelemetryHandler handler;
  };
  const Command commands[] = {
      {"/wiretime/clock",
       "Clock state: sync state, stratum, offset, frequency, root delay/dispersion, last update",
       [&box](const std::string&, dpdk::TelemetryDict& d) {
         const auto s = box.read();
         if (!s) return no_snapshot(d);
         const ClockMetrics& c = s->clock;
         d.u64("synchronized", c.synchronized ? 1 : 0);
         d.str("sync_state", c.sync_state);
         d.u64("stratum", static_cast<uint64_t>(c.stratum));
         d.str("reference", c.reference);
         char refid[9];
         std::snprintf(refid, sizeof refid, "%08X", c.reference_id);
         d.str("refid", refid);
         d.real("offset_s", c.offset_seconds);
         d.real("frequency_ppm", c.frequency_ppm);
         d.real("jitter_s", c.jitter_seconds);
         d.real("root_delay_s", c.root_delay_seconds);
         d.real("root_dispersion_s", c.root_dispersion_seconds);
         d.real("last_update_unix_s", c.last_update_unix_seconds);
         d.real("poll_s", c.poll_seconds);
         d.u64("leap", static_cast<uint64_t>(c.leap));
         d.u64("updates", c.updates);
         d.u64("steps", c.steps);
         d.real("snapshot_unix_s", s->time_unix_seconds);
       }},
      {"/wiretime/associations",
       "Per association id: address, state, reach, poll, offset, delay, jitter. Param: an id",
       [&box](const std::string& params, dpdk::TelemetryDict& d) {
         const auto s = box.read();
         if (!s) return no_snapshot(d);
         const long only = params.empty() ? -1 : std::strtol(params.c_str(), nullptr, 10);
         for (const ServerMetrics& m : s->servers) {
           if (only >= 0 && static_cast<long>(m.id) != only) continue;
           dpdk::TelemetryDict a = d.child(std::to_string(m.id));
           a.str("address", m.server);
           a.str("state", m.state);
           a.u64("reach", m.reach);
           a.u64("stratum", static_cast<uint64_t>(m.stratum));
           a.real("poll_s", m.poll_seconds);
           a.real("offset_s", m.offset_seconds);
           a.real("delay_s", m.delay_seconds);
           a.real("jitter_s", m.jitter_seconds);
           a.real("dispersion_s", m.dispersion_seconds);
           a.real("last_sample_age_s", m.last_sample_age_seconds);
           a.u64("sent", m.sent);
           a.u64("received", m.received);
           a.u64("accepted", m.accepted);
         }
       }},
      {"/wiretime/interfaces",
       "Per interface (key: index): name, frames, NTP requests/replies, event ring occupancy",
       [this, &dp](const std::string&, dpdk::TelemetryDict& d) {
         const dpdk::DataplaneCounters& c = dp.counters();
         with_interfaces([&](const l3::InterfaceTable& interfaces) {
           for (const l3::Interface& itf : interfaces.all()) {
             const size_t i = itf.index;
             dpdk::TelemetryDict e = d.child(std::to_string(i));
             e.str("name", itf.name);
             if (i < dpdk::DataplaneCounters::kCountedInterfaces) {
               const dpdk::InterfaceCounters& ic = c.interfaces[i];
               e.u64("rx_frames", get(ic.rx_frames));
               e.u64("ntp_tx", get(ic.ntp_tx));
               e.u64("ntp_tx_failed", get(ic.ntp_tx_failed));
               e.u64("ntp_rx", get(ic.ntp_rx));
               e.u64("ntp_rx_dropped", get(ic.ntp_rx_dropped));
             }
             if (const auto* ring = dp.event_ring(itf.index)) {
               e.u64("ring_used", ring->used());
               e.u64("ring_size", ring->capacity());
             }
           }
         });
       }},
      {"/wiretime/drops", "Frames dropped or not sent, per reason; decode errors as decode_*",
       [&dp](const std::string&, dpdk::TelemetryDict& d) {
         const dpdk::DataplaneCounters& c = dp.counters();
         d.u64("rx_frames", get(c.rx_frames));
         d.u64("tx_frames", get(c.tx_frames));
         for (size_t i = 0; i < c.drop.size(); ++i) {
           d.u64(snake_case(dpdk::to_string(static_cast<dpdk::DropReason>(i))), get(c.drop[i]));
         }
         for (size_t i = 1; i < c.decode.size(); ++i) {
           d.u64("decode_" + snake_case(wire::to_string(static_cast<wire::DecodeError>(i))),
                 get(c.decode[i]));
         }
       }},
      {"/wiretime/rings", "Ring occupancy: the command ring and each interface's event ring",
       [this, &dp](const std::string&, dpdk::TelemetryDict& d) {
         dpdk::TelemetryDict cmd = d.child("command");
         cmd.u64("used", dp.command_ring().used());
         cmd.u64("size", dp.command_ring().capacity());
         with_interfaces([&](const l3::InterfaceTable& interfaces) {
           // Only the rings of this table's interfaces: each was set before the table was
           // published, so reading its pointer here does not race with control creating one.
           for (const l3::Interface& itf : interfaces.all()) {
             const auto* ring = dp.event_ring(itf.index);
             if (ring == nullptr) continue;
             dpdk::TelemetryDict e = d.child("events_" + std::to_string(itf.index));
             e.str("interface", itf.name);
             e.u64("used", ring->used());
             e.u64("size", ring->capacity());
           }
         });
       }},
      {"/wiretime/lcore",
       "Dataplane lcore load: passes, busy passes, TSC cycles, busy ratio (lifetime, last second)",
       [this, &dp, &box](const std::string&, dpdk::TelemetryDict& d) {
         const dpdk::DataplaneCounters& c = dp.counters();
         const uint64_t cycles = get(c.lcore_cycles), busy = get(c.lcore_busy_cycles);
         if (lcore_) d.u64("lcore", *lcore_);
         d.u64("passes", get(c.lcore_passes));
         d.u64("busy_passes", get(c.lcore_busy_passes));
         d.u64("cycles", cycles);
         d.u64("busy_cycles", busy);
         d.u64("tsc_hz", static_cast<uint64_t>(tsc_hz_));
         d.real("busy_ratio",
                cycles > 0 ? static_cast<double>(busy) / static_cast<double>(cycles) : 0.0);
         if (const auto s = box.read()) d.real("busy_ratio_1s", s->dataplane.lcore_busy_ratio);
       }},
      {"/wiretime/server",
       "NTP server: requests by outcome and family; RX-to-TX latency per reply, to the TX burst "
       "call and to its return (p50/p99/p99.9/max, non-empty buckets as lower bound ns: count)",
       [this, &dp](const std::string&, dpdk::TelemetryDict& d) {
         server_telemetry(dp.counters(), tsc_hz_, d);
       }},
  };
  for (const Command& c : commands) {
    if (std::string e = commands_.add(c.name, c.help, c.handler); !e.empty()) return e;
  }
  return {};
}

void DpdkMetrics::collect(MetricsSnapshot& out) {
  const dpdk::DataplaneCounters& c = dataplane_.counters();
  DataplaneMetrics& d = out.dataplane;
  d.present = true;
  d.rx_frames = get(c.rx_frames);
  d.tx_frames = get(c.tx_frames);
  d.drops.clear();
  for (size_t i = 0; i < c.drop.size(); ++i) {
    d.drops.push_back(
        NamedCount{snake_case(dpdk::to_string(static_cast<dpdk::DropReason>(i))), get(c.drop[i])});
  }
  for (size_t i = 1; i < c.decode.size(); ++i) {
    d.drops.push_back(
        NamedCount{"decode_" + snake_case(wire::to_string(static_cast<wire::DecodeError>(i))),
                   get(c.decode[i])});
  }
  d.rings.clear();
  d.rings.push_back(RingMetrics{"command", dataplane_.command_ring().used(),
                                dataplane_.command_ring().capacity()});
  out.packets.clear();
  for (const l3::Interface& itf : dataplane_.interfaces().all()) {  // control's copy
    const size_t i = itf.index;
    if (const auto* ring = dataplane_.event_ring(itf.index)) {
      d.rings.push_back(RingMetrics{"events " + itf.name, ring->used(), ring->capacity()});
    }
    if (i >= dpdk::DataplaneCounters::kCountedInterfaces) continue;
    const dpdk::InterfaceCounters& ic = c.interfaces[i];
    out.packets.push_back(PacketCount{"tx", "sent", itf.name, get(ic.ntp_tx)});
    out.packets.push_back(PacketCount{"tx", "failed", itf.name, get(ic.ntp_tx_failed)});
    out.packets.push_back(PacketCount{"rx", "received", itf.name, get(ic.ntp_rx)});
    out.packets.push_back(PacketCount{"rx", "dropped", itf.name, get(ic.ntp_rx_dropped)});
  }
  const uint64_t cycles = get(c.lcore_cycles), busy = get(c.lcore_busy_cycles);
  d.lcore_total_seconds = static_cast<double>(cycles) / tsc_hz_;
  d.lcore_busy_seconds = static_cast<double>(busy) / tsc_hz_;
  d.lcore_busy_ratio = cycles > last_cycles_ ? static_cast<double>(busy - last_busy_cycles_) /
                                                   static_cast<double>(cycles - last_cycles_)
                                             : 0.0;
  last_cycles_ = cycles;
  last_busy_cycles_ = busy;
}

}  // namespace wiretime::daemon
