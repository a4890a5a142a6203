// wiretimed: composition root of the walking skeleton. Validates the start-up YAML before
// DPDK starts, brings up EAL and one port, calibrates the TSC into the virtual clock model,
// runs the dataplane on a worker lcore (or interleaved on the main lcore when there is none)
// and the skeleton client on the control thread, and shuts down cleanly on SIGINT/SIGTERM.
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "config/startup/startup_config.hpp"
#include "control/daemon/daemon_log.hpp"
#include "control/daemon/daemon_options.hpp"
#include "control/daemon/sample_log.hpp"
#include "control/daemon/skeleton_client.hpp"
#include "dataplane/clock/clock_model.hpp"
#include "dataplane/clock/published_clock.hpp"
#include "dataplane/dpdk/dataplane_lcore.hpp"
#include "dataplane/dpdk/eal.hpp"
#include "dataplane/dpdk/port.hpp"
#include "dataplane/dpdk/spsc_ring.hpp"
#include "dataplane/dpdk/tsc_clock.hpp"

namespace wiretime::daemon {
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

uint64_t random_seed() {
  uint64_t seed = 0;
  if (getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed)) {
    seed = static_cast<uint64_t>(monotonic_ns()) ^ (static_cast<uint64_t>(getpid()) << 32);
  }
  return seed;
}

wire::Ipv4Address to_wire(config::Ipv4Address a) {
  return wire::Ipv4Address::from_host_order(a.value);
}

std::string format_mac(wire::MacAddress m) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0], m.bytes[1],
                m.bytes[2], m.bytes[3], m.bytes[4], m.bytes[5]);
  return buf;
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

struct ClientStats {
  std::array<uint64_t, static_cast<size_t>(ReplyVerdict::kCount)> verdicts{};
};

void print_counters(const DaemonLog& log, const dpdk::DataplaneCounters& c,
                    const ClientStats& stats, const SkeletonClient* client) {
  auto get = [](const std::atomic<uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  log.info("dataplane: rx " + std::to_string(get(c.rx_frames)) + " tx " +
           std::to_string(get(c.tx_frames)) + " arp replies " + std::to_string(get(c.arp_replies)) +
           " ntp replies " + std::to_string(get(c.ntp_replies)));
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
  if (client != nullptr) {
    log.info("client: requests " + std::to_string(client->requests_sent()) + " unanswered " +
             std::to_string(client->requests_unanswered()));
  }
  for (size_t i = 0; i < stats.verdicts.size(); ++i) {
    if (stats.verdicts[i] != 0) {
      log.info("client replies '" + std::string(to_string(static_cast<ReplyVerdict>(i))) +
               "': " + std::to_string(stats.verdicts[i]));
    }
  }
}

int run(int argc, char** argv) {
  DaemonLog log;
  std::string error;
  const auto options = parse_daemon_options(std::vector<std::string>(argv + 1, argv + argc), error);
  if (!options) {
    std::fprintf(stderr, "wiretimed: %s\n%s", error.c_str(), usage());
    return kExitConfigError;
  }
  if (options->help) {
    std::fputs(usage(), stdout);
    return kExitOk;
  }
  const auto loaded = config::load_startup_config_file(options->config_path);
  if (!loaded) {
    std::fprintf(stderr, "wiretimed: %s\n", loaded.error().to_string().c_str());
    return kExitConfigError;
  }
  const config::StartupConfig& cfg = loaded.value();
  if (options->check_config) {
    std::printf("%s: ok\n", options->config_path.c_str());
    return kExitOk;
  }
  log.set_level(options->log_level.value_or(cfg.log.level));

  SampleLog samples;
  if (!cfg.log.measurements.empty()) {
    if (std::string e = samples.open(cfg.log.measurements); !e.empty()) {
      log.error(e);
      return kExitRuntimeError;
    }
  }

  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  dpdk::Eal eal;
  if (std::string e = eal.init(dpdk::eal_arguments("wiretimed", cfg.dataplane.eal_args, getpid()));
      !e.empty()) {
    log.error(e);
    return kExitRuntimeError;
  }
  // Everything DPDK-owned lives in this scope, so it is released before rte_eal_cleanup.
  int status = kExitOk;
  {
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
    clock::PublishedClock published(initial_clock(cal, cfg.clock));
    log.info("clock: virtual, TSC " + std::to_string(cal.ticks_per_second / 1e6) +
             " MHz measured (" + std::to_string(cal.nominal_ticks_per_second / 1e6) +
             " MHz nominal), pairing +-" + std::to_string(cal.pairing_uncertainty_ns) +
             " ns, test offset " + std::to_string(cfg.clock.test_initial_offset_ns) +
             " ns, test frequency " + std::to_string(cfg.clock.test_initial_frequency_ppb) +
             " ppb");

    std::mt19937_64 random(random_seed());
    // An ephemeral source port per run, so stale replies from an earlier run do not match.
    const auto client_port = static_cast<uint16_t>(49152 + random() % 16384);
    dpdk::DataplaneCounters counters;
    dpdk::DataplaneLcore dataplane(
        {to_wire(itf.ipv4.address), client_port, cfg.dataplane.idle_sleep_us}, port, commands,
        events, counters);

    std::unique_ptr<SkeletonClient> client;
    if (!cfg.ntp.unicast_servers.empty()) {
      const config::UnicastServer& server = cfg.ntp.unicast_servers.front();
      if (cfg.ntp.unicast_servers.size() > 1) {
        log.warning("the skeleton polls only the first unicast server");
      }
      SkeletonClientConfig cc;
      cc.own_ip = to_wire(itf.ipv4.address);
      cc.own_mask = itf.ipv4.mask();
      if (itf.gateway) cc.gateway = to_wire(*itf.gateway);
      cc.server_ip = to_wire(server.address);
      cc.server_port = server.port;
      cc.client_port = client_port;
      cc.poll_exponent = server.minpoll;
      client = std::make_unique<SkeletonClient>(cc, random());
      log.info("client: server " + server.address.to_string() + ":" + std::to_string(server.port) +
               " every 2^" + std::to_string(server.minpoll) + " s from port " +
               std::to_string(client_port));
    }

    // Announce ourselves, so the neighbours' ARP caches learn (or refresh) our MAC.
    dpdk::TxCommand garp;
    garp.kind = dpdk::TxCommand::Kind::kGratuitousArp;
    commands.push(garp);

    std::atomic<bool> dataplane_stop{false};
    std::optional<unsigned> lcore = cfg.dataplane.lcore;
    const auto workers = dpdk::Eal::worker_lcores();
    if (lcore) {
      bool enabled = false;
      for (unsigned w : workers) enabled = enabled || w == *lcore;
      if (!enabled) {
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

    ClientStats stats;
    dpdk::DataplaneEvent batch[64];
    while (!g_stop.load()) {
      if (!lcore) {
        while (dataplane.poll_once()) {
        }
      }
      const unsigned n = events.pop_burst(batch, 64);
      for (unsigned i = 0; i < n; ++i) {
        const dpdk::DataplaneEvent& ev = batch[i];
        if (client == nullptr) continue;
        switch (ev.kind) {
          case dpdk::DataplaneEvent::Kind::kNeighbor:
            if (!client->next_hop_resolved() && ev.ip == client->next_hop()) {
              log.info("next hop " + format_ipv4(ev.ip) + " is at " + format_mac(ev.mac));
            }
            client->on_neighbor(ev.ip, ev.mac);
            break;
          case dpdk::DataplaneEvent::Kind::kNtpTransmitted:
            client->on_transmitted(ev.cookie, ev.ticks);
            break;
          case dpdk::DataplaneEvent::Kind::kNtpReply: {
            const ReplyResult r = client->on_reply(ev, published.read());
            ++stats.verdicts[static_cast<size_t>(r.verdict)];
            if (r.sample) {
              samples.write(*r.sample);
            } else {
              log.debug("reply from " + format_ipv4(ev.ip) +
                        " rejected: " + std::string(to_string(r.verdict)));
            }
            break;
          }
        }
      }
      if (client != nullptr) {
        if (auto command = client->on_timer(monotonic_ns())) {
          if (command->kind == dpdk::TxCommand::Kind::kArpRequest) {
            log.debug("ARP who-has " + format_ipv4(command->target_ip));
          }
          if (!commands.push(*command)) log.warning("TX command ring full");
        }
      }
      if (n == 0 && lcore) {
        const timespec pause{0, 200'000};  // control has 1 s resolution needs; spare the core
        nanosleep(&pause, nullptr);
      }
    }
    log.info("stopping");
    dataplane_stop.store(true);
    dataplane.join();
    print_counters(log, counters, stats, client.get());
  }
  return status;
}

}  // namespace
}  // namespace wiretime::daemon

int main(int argc, char** argv) {
  return wiretime::daemon::run(argc, argv);
}
