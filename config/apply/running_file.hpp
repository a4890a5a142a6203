#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <variant>

#include "config/config_error.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::apply {

// wiretimed's persistent configuration file: the start-up YAML whose `ntp:` section is what a
// commit changes. The other sections (dataplane, interfaces, clock, log) are kept as loaded.
// Every write goes through write_file_atomically, so a crash at any instant leaves the old or
// the new file.
class RunningFile {
 public:
  // Loads the document (a missing file is an empty one, created by the first write) and
  // deletes the temporaries that a crash in the middle of an earlier write left behind.
  static std::variant<RunningFile, config::ConfigError> open(const std::string& path);

  // The document with `ntp:` replaced by `config` (removed when empty) and the old-style L3
  // keys of the inventory removed (read_ntp moved them into the configuration; legacy_l3.hpp);
  // error text on failure, in which case the file and this object are unchanged.
  std::optional<std::string> write(const config::NtpConfig& config);

  const std::string& path() const { return path_; }

  // The file exactly as it is on disk, to put back with restore() when a commit that already
  // wrote the file is not applied: a refused commit leaves the file byte-identical (comments,
  // layout and all), not merely equivalent. Issue 10 item 7.
  struct Saved {
    bool existed = false;
    std::string text;
    YAML::Node document;
  };
  std::variant<Saved, std::string> save() const;
  std::optional<std::string> restore(const Saved& saved);

  // The running configuration of a file: its `ntp:` section decoded, plus the old-style L3
  // keys of its inventory (legacy_l3.hpp); errors carry line and column.
  static std::variant<config::NtpConfig, config::ConfigError> read_ntp(const std::string& path);

 private:
  RunningFile(std::string path, YAML::Node document);
  std::string path_;
  YAML::Node document_;
};

// Removes `<path>.tmpXXXXXX` files (the atomic writer's temporaries) next to `path`; returns
// how many.
size_t remove_stale_temporaries(const std::string& path);

}  // namespace wiretime::apply
