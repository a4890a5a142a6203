// The daemon's view of its start-up YAML: everything config/startup loads, plus the keys that
// select how the daemon runs and that the start-up schema does not carry yet:
//   dataplane.backend: dpdk | socket   (default dpdk)
//   clock.driver:      virtual | system (system: CLOCK_REALTIME follows the disciplined clock)
//   clock.shm-path:    FILE | off      (the shared-memory clock; default clock.shm beside the
//                                       management socket)
//   clock.chrony-sock: PATH             (chronyd's `refclock SOCK` socket: a sample per update)
//   log.tracking:      FILE             (one line per clock update)
//   ntp.key-file:      FILE             (chrony key file: MD5, SHA1, SHA256, AES128... keys)
//   ntp.unicast-servers[].key-id: N     (the server's key, from the key file; 1-4294967295)
//   ntp.unicast-servers[].domain: NAME  (instead of `address`: a name resolved at run time,
//                                        with port, minpoll, maxpoll and key-id beside it)
// These keys are read here with their positions and blanked out (same length, so every other
// line and column stays where it was) before the text goes to the start-up loader. When the
// start-up schema takes them over, this file shrinks to a call of that loader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/startup/startup_config.hpp"

namespace wiretime::daemon {

enum class Backend { kDpdk, kSocket };
enum class ClockDriverKind { kVirtual, kSystem };

// A `unicast-servers` item named by `domain:`; the start-up loader never sees it.
struct DomainServer {
  std::string name;
  uint16_t port = 123;
  int minpoll = 6;
  int maxpoll = 10;
  uint32_t key_id = 0;  // 0: no authentication
  bool operator==(const DomainServer&) const = default;
};

struct DaemonConfig {
  config::StartupConfig startup;
  Backend backend = Backend::kDpdk;
  ClockDriverKind clock = ClockDriverKind::kVirtual;
  std::string tracking_log;  // empty: none
  std::string key_file;      // empty: none
  std::string shm_path;      // empty: beside the management socket; "off": none
  std::string chrony_sock;   // empty: no chrony feed
  // Key of each `startup.ntp.unicast_servers` entry, same order (0: no authentication).
  std::vector<uint32_t> server_key_ids;
  std::vector<DomainServer> domain_servers;
};

const char* to_string(Backend backend);
const char* to_string(ClockDriverKind clock);

config::ConfigResult<DaemonConfig> load_daemon_config_text(std::string_view text,
                                                           const std::string& file_name);
config::ConfigResult<DaemonConfig> load_daemon_config_file(const std::string& path);

}  // namespace wiretime::daemon
