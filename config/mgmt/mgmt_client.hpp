#pragma once

#include <string>
#include <variant>

#include "config/mgmt/mgmt_protocol.hpp"

namespace wiretime::mgmt {

// The shell's end: one blocking request/response exchange per connection, so a daemon restart
// between two commands goes unnoticed. Error text when wiretimed cannot be reached, does not
// answer within `timeout_ms`, or answers garbage.
std::variant<Response, std::string> call_daemon(const std::string& socket_path,
                                                const Request& request, int timeout_ms = 30000);

}  // namespace wiretime::mgmt
