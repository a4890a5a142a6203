// The shutdown line of a daemon with keyed servers, the same for both backends: replies by MAC
// verdict, authentication failures the engine counted, requests that could not be signed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "control/auth/ntp_mac.hpp"

namespace wiretime::daemon {

// "authentication: replies ok 12, bad MAC 3; failures 3; unsigned requests 0"
std::string format_auth_summary(const std::function<uint64_t(auth::MacVerdict)>& replies,
                                uint64_t failures, uint64_t unsigned_requests);

}  // namespace wiretime::daemon
