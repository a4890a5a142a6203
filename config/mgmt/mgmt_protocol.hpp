#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "config/mgmt/mgmt_frame.hpp"
#include "config/ntp_config/ntp_config.hpp"

namespace wiretime::mgmt {

inline constexpr const char* kDefaultSocketPath = "/run/wiretime/wiretimed.sock";

// The requests wiretime-cli sends to wiretimed, one response each. Configurations travel as
// the YAML of docs/configuration.md (keys in their cipher form), so the wire format is the
// file format.
enum class RequestKind : uint8_t {
  kRunning,    // -> the running configuration (YAML)
  kInventory,  // -> the interface names the daemon's hardware has, one per line
  kCommit,     // candidate [, base] -> empty on success
  kDisplay,    // what -> the display text
  kReset,      // what ("statistics", "statistics ipv6") -> empty on success
};

struct Request {
  RequestKind kind = RequestKind::kRunning;
  std::string what;             // kDisplay: "status", "sessions verbose", ...; kReset
  config::NtpConfig candidate;  // kCommit
  // kCommit: the running configuration the candidate was edited from. When running has moved
  // on since (another session committed), the commit is refused instead of silently undoing
  // the other session's changes. Absent: commit unconditionally.
  std::optional<config::NtpConfig> base;
};

struct Response {
  bool ok = false;
  std::string body;  // the result, or a one-line error message
};

// "wt1": the first field of every message, so that a later format is told apart.
inline constexpr const char* kProtocolVersion = "wt1";

Fields encode_request(const Request& request);
// An error text when the fields are not a valid request (unknown kind, bad YAML, ...).
std::variant<Request, std::string> decode_request(const Fields& fields);

Fields encode_response(const Response& response);
std::variant<Response, std::string> decode_response(const Fields& fields);

}  // namespace wiretime::mgmt
