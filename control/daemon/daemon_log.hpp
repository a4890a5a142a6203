// The daemon's own messages (not samples): "wiretimed: <level>: text" on stderr, filtered by
// the configured level. Control thread only; never called per packet.
#pragma once

#include <cstdio>
#include <string>

#include "config/startup/startup_config.hpp"

namespace wiretime::daemon {

class DaemonLog {
 public:
  void set_level(config::LogLevel level) { level_ = level; }
  bool enabled(config::LogLevel level) const { return level <= level_; }
  void write(config::LogLevel level, const std::string& text) const {
    if (!enabled(level)) return;
    std::fprintf(stderr, "wiretimed: %s: %s\n", config::to_string(level), text.c_str());
  }
  void error(const std::string& text) const { write(config::LogLevel::kError, text); }
  void warning(const std::string& text) const { write(config::LogLevel::kWarning, text); }
  void info(const std::string& text) const { write(config::LogLevel::kInfo, text); }
  void debug(const std::string& text) const { write(config::LogLevel::kDebug, text); }

 private:
  config::LogLevel level_ = config::LogLevel::kInfo;
};

}  // namespace wiretime::daemon
