// A minimal measuring client on the routed dataplane facade, for the end-to-end tests of the
// dataplane against chronyd (IPv6, VLAN sub-interface, two VRFs with one server address):
// loads the start-up YAML, brings the dataplane up through Dataplane::create, polls every
// configured server (in its vpn-instance, through its source interface) and writes one line per
// sample, in the measurement-log style the daemon uses:
//   <utc> sample server=ADDR vrf=NAME interface=NAME stratum=N stamp=SRC offset_ns=O delay_ns=D
// T1/T4 are TSC ticks mapped to UTC by a calibration against CLOCK_REALTIME, so the true
// offset is 0. Runs until SIGTERM/SIGINT; prints the counters and exits 0 if every received
// frame was accounted for.
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "config/startup/network_spec.hpp"
#include "config/startup/startup_config.hpp"
#include "dataplane/clock/clock_model.hpp"
#include "dataplane/dpdk/dataplane.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/dpdk/tsc_clock.hpp"
#include "dataplane/l3/ip_prefix.hpp"

namespace wiretime {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) {
  g_stop.store(true);
}

int64_t monotonic_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct Association {
  config::UnicastServer server;
  uint16_t vrf = 0;
  uint16_t interface = dpdk::kAnyInterface;
  int64_t next_poll_ns = 0;
  NtpTimestamp cookie;
  uint64_t t1_ticks = 0;
  bool pending = false;
};

int run(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CONFIG.yaml MEASUREMENTS.log\n", argv[0]);
    return 2;
  }
  const auto loaded = config::load_startup_config_file(argv[1]);
  if (!loaded) {
    std::fprintf(stderr, "%s\n", loaded.error().to_string().c_str());
    return 2;
  }
  const config::StartupConfig& cfg = loaded.value();
  FILE* log = std::fopen(argv[2], "w");
  if (log == nullptr) return 2;
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  dpdk::Eal eal;
  if (std::string e =
          eal.init(dpdk::eal_arguments("dataplane_probe", cfg.dataplane.eal_args, getpid()));
      !e.empty()) {
    std::fprintf(stderr, "%s\n", e.c_str());
    return 1;
  }
  int status = 0;
  {
    std::vector<dpdk::PortSpec> ports;
    for (const config::InterfaceSection& itf : cfg.interfaces) {
      if (!itf.is_port()) continue;
      dpdk::PortSpec spec;
      spec.devargs = itf.devargs;
      spec.port_index = itf.port_index;
      ports.push_back(spec);
    }
    dpdk::DataplaneOptions options;
    options.idle_sleep_us = cfg.dataplane.idle_sleep_us;
    std::string error;
    auto dp = dpdk::Dataplane::create(options, ports, config::network_spec(cfg), error);
    if (!dp) {
      std::fprintf(stderr, "dataplane: %s\n", error.c_str());
      return 1;
    }
    for (const dpdk::PortStatus& p : dp->ports()) {
      std::printf("port %s (%s): %u rx queues, %s steering%s%s, rx stamps %s\n", p.name.c_str(),
                  p.driver.c_str(), p.rx_queues, p.hardware_steering ? "rte_flow" : "software",
                  p.steering_note.empty() ? "" : ": ", p.steering_note.c_str(),
                  dpdk::to_string(p.rx_stamps));
    }
    const dpdk::TscCalibration cal = dpdk::calibrate_tsc(std::chrono::milliseconds(300));
    const clock::ClockModel model =
        clock::ClockModel::from_rate(cal.tick0, cal.utc0, cal.ticks_per_second);

    std::vector<Association> associations;
    for (const config::UnicastServer& s : cfg.ntp.unicast_servers) {
      Association a;
      a.server = s;
      a.vrf = *dp->interfaces().vrf_id(s.vpn_instance);
      if (!s.source_interface.empty())
        a.interface = dp->interfaces().find_by_name(s.source_interface)->index;
      associations.push_back(a);
    }
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed))
      seed = monotonic_ns();
    const auto client_port = static_cast<uint16_t>(49152 + seed % 16384);

    std::optional<unsigned> lcore = cfg.dataplane.lcore;
    const auto workers = dpdk::Eal::worker_lcores();
    if (!lcore && !workers.empty()) lcore = workers.front();
    if (lcore && !dp->start(*lcore)) {
      std::fprintf(stderr, "cannot start the dataplane on lcore %u\n", *lcore);
      return 1;
    }
    std::printf("probe running: %zu servers, client port %u\n", associations.size(), client_port);
    std::fflush(stdout);

    uint64_t samples = 0;
    while (!g_stop.load()) {
      if (!lcore) dp->poll_once();
      const int64_t now = monotonic_ns();
      for (size_t i = 0; i < associations.size(); ++i) {
        Association& a = associations[i];
        if (now < a.next_poll_ns) continue;
        const int exponent = a.server.minpoll;
        a.next_poll_ns = now + (exponent >= 0 ? (int64_t{1'000'000'000} << exponent)
                                              : (int64_t{1'000'000'000} >> -exponent));
        dpdk::TxCommand c;
        c.kind = dpdk::TxCommand::Kind::kNtpRequest;
        c.server = a.server.ip;
        c.vrf = a.vrf;
        c.interface = a.interface;
        c.src_port = client_port;
        c.dst_port = a.server.port;
        c.poll = static_cast<int8_t>(exponent);
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        c.cookie = NtpTimestamp::from_raw(seed);
        a.cookie = c.cookie;
        a.pending = false;
        a.t1_ticks = 0;
        dp->send(c);
      }
      dpdk::DataplaneEvent batch[64];
      const unsigned n = dp->poll_events(batch, 64);
      for (unsigned k = 0; k < n; ++k) {
        const dpdk::DataplaneEvent& ev = batch[k];
        for (Association& a : associations) {
          if (ev.cookie != a.cookie && ev.ntp.origin != a.cookie) continue;
          if (ev.kind == dpdk::DataplaneEvent::Kind::kNtpTransmitted) {
            a.t1_ticks = ev.ticks;
            a.pending = true;
          } else if (ev.kind == dpdk::DataplaneEvent::Kind::kNtpReply && a.pending &&
                     ev.vrf == a.vrf && ev.src == a.server.ip && ev.src_port == a.server.port) {
            a.pending = false;
            const NtpTimestamp t1 = model.ntp(a.t1_ticks);
            const NtpTimestamp t4 = ev.stamp == dpdk::StampSource::kNicUtc
                                        ? NtpTimestamp::from_unix_nanos(ev.utc_ns)
                                        : model.ntp(ev.ticks);
            const NtpDuration sum = (ev.ntp.receive - t1) + (ev.ntp.transmit - t4);
            const NtpDuration offset = NtpDuration::from_raw(sum.raw() / 2);
            const NtpDuration delay = (t4 - t1) - (ev.ntp.transmit - ev.ntp.receive);
            std::fprintf(log,
                         "%lld sample server=%s vrf=%s interface=%s stratum=%u stamp=%s "
                         "offset_ns=%lld delay_ns=%lld\n",
                         static_cast<long long>(model.utc_nanos(ev.ticks)),
                         l3::to_string(a.server.ip).c_str(),
                         a.server.vpn_instance.empty() ? "-" : a.server.vpn_instance.c_str(),
                         dp->interfaces().find(ev.interface)->name.c_str(), ev.ntp.stratum,
                         dpdk::to_string(ev.stamp), static_cast<long long>(offset.to_nanos()),
                         static_cast<long long>(delay.to_nanos()));
            std::fflush(log);
            ++samples;
          }
        }
      }
      if (n == 0) {
        const timespec pause{0, 200'000};
        nanosleep(&pause, nullptr);
      }
    }
    std::printf("stopping after %llu samples\n", static_cast<unsigned long long>(samples));
    dp->stop();
    const dpdk::DataplaneCounters& c = dp->counters();
    for (size_t i = 0; i < c.drop.size(); ++i) {
      if (c.drop[i].load() != 0) {
        std::printf("drop '%s': %llu\n",
                    std::string(dpdk::to_string(static_cast<dpdk::DropReason>(i))).c_str(),
                    static_cast<unsigned long long>(c.drop[i].load()));
      }
    }
    for (size_t i = 1; i < c.decode.size(); ++i) {
      if (c.decode[i].load() != 0) {
        std::printf("decode '%s': %llu\n",
                    std::string(wire::to_string(static_cast<wire::DecodeError>(i))).c_str(),
                    static_cast<unsigned long long>(c.decode[i].load()));
      }
    }
    for (size_t i = 0; i < c.outcome.size(); ++i) {
      if (c.outcome[i].load() != 0) {
        std::printf("outcome '%s': %llu\n",
                    std::string(dpdk::to_string(static_cast<dpdk::RxOutcome>(i))).c_str(),
                    static_cast<unsigned long long>(c.outcome[i].load()));
      }
    }
    std::printf("rx %llu accounted %llu tx %llu\n",
                static_cast<unsigned long long>(c.rx_frames.load()),
                static_cast<unsigned long long>(c.rx_accounted()),
                static_cast<unsigned long long>(c.tx_frames.load()));
    if (c.rx_frames.load() != c.rx_accounted()) status = 1;
  }
  std::fclose(log);
  return status;
}

}  // namespace
}  // namespace wiretime

int main(int argc, char** argv) {
  return wiretime::run(argc, argv);
}
