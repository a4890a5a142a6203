#include "control/daemon/daemon_options.hpp"

namespace wiretime::daemon {

const char* usage() {
  return "usage: wiretimed --config FILE [--log-level error|warning|info|debug] "
         "[--check-config] [--mgmt-socket PATH | --no-mgmt-socket]\n";
}

std::optional<DaemonOptions> parse_daemon_options(const std::vector<std::string>& args,
                                                  std::string& error) {
  DaemonOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // Both "--opt value" and "--opt=value".
    auto value = [&](const std::string& name) -> std::optional<std::string> {
      if (a.rfind(name + "=", 0) == 0) return a.substr(name.size() + 1);
      if (a != name) return std::nullopt;
      if (i + 1 >= args.size()) {
        error = name + " needs a value";
        return std::nullopt;
      }
      return args[++i];
    };
    if (a == "--check-config") {
      options.check_config = true;
    } else if (a == "--no-mgmt-socket") {
      // Socket backend only: no management socket (runs under syscall simulators).
      options.mgmt_socket.clear();
    } else if (a == "--help" || a == "-h") {
      options.help = true;
    } else if (auto path = value("--config")) {
      options.config_path = *path;
    } else if (auto socket_path = value("--mgmt-socket")) {
      options.mgmt_socket = *socket_path;
    } else if (auto level = value("--log-level")) {
      options.log_level = config::parse_log_level(*level);
      if (!options.log_level) {
        error = "unknown log level '" + *level + "'";
        return std::nullopt;
      }
    } else {
      if (error.empty()) error = "unknown argument '" + a + "'";
      return std::nullopt;
    }
  }
  if (!options.help && options.config_path.empty()) {
    error = "--config FILE is required";
    return std::nullopt;
  }
  return options;
}

}  // namespace wiretime::daemon
