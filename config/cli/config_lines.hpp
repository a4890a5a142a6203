#pragma once

#include <string>
#include <vector>

#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::cli {

// A configuration as VRP shows it: top-level lines, or a view line (`interface GE1/0/1`) with
// its indented sub-lines.
struct ConfigBlock {
  std::string header;  // empty: the lines are top-level
  std::vector<std::string> lines;
  bool operator==(const ConfigBlock&) const = default;
};

// The NTP lines alone, in the fixed order of spec Q18, defaults omitted, keys as ciphers.
std::vector<std::string> render_ntp_lines(const config::NtpConfig& config);
// The whole configuration: sysname, VPN instances, interfaces, NTP, static routes.
std::vector<ConfigBlock> render_config(const config::NtpConfig& config);

// As a config file: blocks separated by `#`, sub-lines indented by one space, `return` last.
std::string format_config(const std::vector<ConfigBlock>& blocks);
// Uncommitted changes: lines of the candidate not in running; lines that disappear as
// `undo <line>`; a view whose content changed is shown with its header.
std::string format_candidate_changes(const config::NtpConfig& running,
                                     const config::NtpConfig& candidate);
// `+`/`-` diff of the two configurations.
std::string format_candidate_diff(const config::NtpConfig& running,
                                  const config::NtpConfig& candidate);

// A word as typed back on a command line: quoted when it holds a blank.
std::string quote_word(const std::string& word);

}  // namespace wiretime::cli
