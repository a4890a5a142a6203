// One blocking name lookup: a domain name (or an address literal) to IP addresses. The
// resolver runs it off the control loop; tests inject their own.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "dataplane/wire/addresses.hpp"

namespace wiretime::resolver {

enum class AddressFamily : uint8_t { kAny, kIpv4, kIpv6 };

struct LookupResult {
  std::vector<wire::IpAddress> addresses;  // in the order getaddrinfo ranked them (RFC 6724)
  std::string error;                       // set when there is no address
  bool ok() const { return !addresses.empty(); }
};

using LookupFunction = std::function<LookupResult(const std::string& name, AddressFamily)>;

// getaddrinfo (files, then DNS per nsswitch.conf), duplicates removed. Thread-safe.
LookupResult system_lookup(const std::string& name, AddressFamily family);

// system_lookup with the stub resolver's per-query timeout and attempts bounded for the calling
// thread (glibc `_res.retrans` / `_res.retry`, the knobs of resolv.conf's `options timeout:N
// attempts:N`): a DNS server that does not answer costs at most about timeout x attempts x
// nameservers. What the synchronous mode uses, where the lookup runs on the control thread.
LookupFunction system_lookup_bounded(std::chrono::seconds timeout, int attempts);

std::string format_address(const wire::IpAddress& address);

}  // namespace wiretime::resolver
