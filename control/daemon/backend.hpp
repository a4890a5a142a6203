// One daemon skeleton over interchangeable backends, shaped like DPDK's examples/l3fwd lookup
// modes: run_daemon() (control/daemon/run_daemon.cpp) builds what every backend shares - keys,
// observer, clock outputs, resolver, control loop, management, server keys, metrics - once, then
// repeats the named steps poll, names, mgmt, run_due, idle. A Backend supplies only what
// differs: its transport (and the NTP server riding on it), its clock, its descriptors and its
// idle policy. The table in wiretimed_main.cpp maps `dataplane.backend` to a Backend.
#pragma once

#include <poll.h>

#include <array>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/display/interface_brief.hpp"
#include "control/daemon/backend_drops.hpp"
#include "control/daemon/clock_outputs.hpp"
#include "control/daemon/daemon_config.hpp"
#include "control/daemon/daemon_log.hpp"
#include "control/daemon/daemon_observer.hpp"
#include "control/daemon/metrics_publisher.hpp"
#include "control/resolver/name_lookup.hpp"
#include "control/runtime/control_loop.hpp"
#include "dataplane/server/server_keys.hpp"

namespace wiretime::daemon {

struct BackendContext {
  const DaemonConfig& config;
  const DaemonLog& log;
  const volatile std::sig_atomic_t& stop;
  uint64_t seed = 0;
  std::string config_path;  // also the running file `commit` writes
  std::string mgmt_socket;
};

// The clock a backend runs the control loop on, and how it leaves the process.
struct BackendClock {
  runtime::RuntimeClock* clock = nullptr;  // what the loop reads and disciplines
  // The model the shared-memory clock and the chrony feed publish (ClockOutputs); null: none
  // (the socket backend's system driver: CLOCK_REALTIME itself is the output).
  runtime::VirtualClock* exported = nullptr;
  uint32_t tick_source = 0;  // WT_TICKS_* of `exported`
  ClockOutputs::Pair pair;   // a tick and CLOCK_REALTIME at one instant
  // `clock.driver: system` through the clock outputs (DPDK: CLOCK_REALTIME follows the model).
  clock::SystemClockSteering* steering = nullptr;
  // Publish the shared-memory clock at its default path even when not configured (DPDK). The
  // socket backend publishes only what is configured, keeping to the system calls it lists.
  bool outputs_by_default = false;
  DaemonObserver::TestError test_error;  // the clock against the host's, for test logs
  double initial_frequency = 0.0;        // the engine's, s/s
};

// What run_daemon's idle step does after a pass (Backend::idle).
struct IdlePlan {
  // Poll the descriptors (names, management, the backend's) this pass; false: skip them.
  bool poll_descriptors = true;
  int timeout_ms = 0;  // how long that poll() may wait (the socket backend sleeps there)
  int64_t nap_ns = 0;  // then sleep this long (nanosleep), spared core time
};

class Backend {
 public:
  virtual ~Backend() = default;

  // "socket" or "dpdk": metrics label.
  virtual const char* name() const = 0;

  // Set-up, in the order run_daemon calls it.
  // The transport's devices (EAL and ports, or sockets) and the clock. Anything but kExitOk:
  // the daemon exits with it (the reason is logged).
  virtual int open(const BackendContext& context) = 0;
  virtual BackendClock& clock() = 0;
  virtual runtime::Transport& transport() = 0;
  // The address families the interfaces have: what domain servers resolve to.
  virtual resolver::AddressFamily reachable_family() const = 0;
  // The loop exists: where servers are placed, where stamps come from.
  virtual void attach(runtime::ControlLoop& loop) = 0;
  // A server was added (start-up's commit or a later one): prepare its path; returns what the
  // `source ...` log line says about where it is reached (may be empty).
  virtual std::string source_added(const engine::AssociationConfig& config,
                                   const runtime::Peer& peer) = 0;
  // What this backend cannot run: error text that refuses the commit (start-up's included)
  // naming the server and why; "" when it can.
  virtual std::string refuse(const engine::AssociationConfig& config) const = 0;
  // The same for the NTP server's settings (`ntp ... server ...`) of a candidate.
  virtual std::string refuse_server(const config::NtpConfig&) const { return ""; }
  // Management's live views: `display interface brief`, the backend's NTP drops and server
  // outcomes, the name of an interface index replies arrive on.
  virtual std::vector<display::InterfaceBrief> interface_briefs() const = 0;
  virtual BackendCounters counters() const = 0;
  virtual std::string interface_name(uint16_t index) const = 0;
  // Start-up's commit is applied: start serving (with these keys) and the lcores. Anything but
  // kExitOk: the daemon exits with it.
  virtual int start(const config::NtpConfig& running, server::ServerKeyPublisher& keys,
                    MetricsPublisher& metrics) = 0;
  // What READY=1 says is up besides management ("dataplane", "socket").
  virtual const char* ready_what() const = 0;

  // The steps of every pass.
  // poll: the transport's events into the loop; returns how many.
  virtual size_t poll(runtime::ControlLoop& loop) = 0;
  // mgmt (after the management socket was serviced): the running configuration's interfaces,
  // VRFs and static routes for the backend's L3 tables (issue 10 item 3; l3_publisher.hpp).
  virtual void apply_l3(const config::NtpConfig& running, runtime::ControlLoop& loop) = 0;
  // run_due (after the loop's timers): the server's published state and listening set, when
  // due (kPeriodNs, or the configuration changed); true when published (the server keys are
  // then brought up to date too).
  virtual bool publish(int64_t monotonic_ns, const config::NtpConfig& running,
                       const runtime::ControlLoop& loop) = 0;
  // idle: the backend's descriptors, and its policy given the loop's next deadline and this
  // pass's events; service() gets the descriptors back after the poll().
  virtual void fill_pollfds(std::vector<pollfd>& fds) = 0;
  virtual void service(const pollfd* fds, size_t count, runtime::ControlLoop& loop) = 0;
  virtual IdlePlan idle(int64_t monotonic_ns, int64_t ahead_ns, size_t events) = 0;

  // The loop ended: stop the lcores, log the backend's counters.
  virtual void stop(const runtime::ControlLoop& loop) = 0;
  // Signed requests the transport could not carry (MAC too long for its command record).
  virtual uint64_t unsent_macs() const { return 0; }
};

// The daemon over `backend` until `context.stop`; returns the exit status.
int run_daemon(Backend& backend, const BackendContext& context);

// The kernel-socket backend (control/daemon/socket_backend.cpp).
std::unique_ptr<Backend> make_socket_backend();
// Its Backend::refuse: the one rule, also asked by `wiretimed --check-config`.
std::string socket_refusal(const engine::AssociationConfig& config);
// DPDK ports and lcores (control/daemon/dpdk_backend.cpp; only when built with DPDK).
std::unique_ptr<Backend> make_dpdk_backend();

}  // namespace wiretime::daemon
