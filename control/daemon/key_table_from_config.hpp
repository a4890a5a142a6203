// The key table the VRP configuration describes: `ntp authentication-keyid <id>
// authentication-mode <mode> ...` with `ntp trusted authentication-keyid <id>`. In the
// composition root: the one place that knows both config/ and control/auth.
#pragma once

#include <string>
#include <vector>

#include "config/ntp_config/ntp_config.hpp"
#include "control/auth/key_table.hpp"

namespace wiretime::daemon {

// VRP mode -> MAC: md5 -> MD5 (the legacy H(key || packet) MAC, interoperable with chronyd and
// ntpd MD5 keys); hmac-sha256 -> HMAC-SHA256 (RFC 2104, as the mode is named; chronyd's
// SHA256 type is the legacy SHA256(key || packet) and does NOT match it); aes-128-cmac /
// aes-256-cmac -> chronyd's AES128 / AES256. The password's bytes are the secret.
auth::MacAlgorithm mac_algorithm_of(config::KeyMode mode);

struct ConfigKeysResult {
  auth::KeyTable table;
  std::vector<std::string> errors;  // "ntp authentication-keyid 7: <why>" for keys left out
};

ConfigKeysResult key_table_from_config(const config::NtpConfig& config);

}  // namespace wiretime::daemon
