#include "control/resolver/name_lookup.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace wiretime::resolver {

LookupResult system_lookup(const std::string& name, AddressFamily family) {
  LookupResult result;
  addrinfo hints{};
  hints.ai_family = family == AddressFamily::kIpv4   ? AF_INET
                    : family == AddressFamily::kIpv6 ? AF_INET6
                                                     : AF_UNSPEC;
  // One entry per address (not one per socket type). No AI_ADDRCONFIG: in a VRF or namespace
  // without a configured address of a family, its servers must still resolve.
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(name.c_str(), nullptr, &hints, &list);
  if (rc != 0) {
    result.error = gai_strerror(rc);
    return result;
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(list, &freeaddrinfo);
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    wire::IpAddress a;
    if (ai->ai_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(ai->ai_addr);
      wire::Ipv4Address v4;
      std::memcpy(v4.bytes.data(), &sin->sin_addr, 4);
      a = wire::IpAddress::from(v4);
    } else if (ai->ai_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(ai->ai_addr);
      wire::Ipv6Address v6;
      std::memcpy(v6.bytes.data(), &sin6->sin6_addr, 16);
      a = wire::IpAddress::from(v6);
    } else {
      continue;
    }
    if (std::find(result.addresses.begin(), result.addresses.end(), a) == result.addresses.end())
      result.addresses.push_back(a);
  }
  if (result.addresses.empty()) result.error = "no address of the requested family";
  return result;
}

LookupFunction system_lookup_bounded(std::chrono::seconds timeout, int attempts) {
  return [timeout, attempts](const std::string& name, AddressFamily family) {
    // _res is per thread; glibc keeps fields changed after res_init() (it sees that the state
    // no longer matches resolv.conf and does not reload over it).
    if ((_res.options & RES_INIT) == 0) res_init();
    _res.retrans = static_cast<int>(std::max<std::chrono::seconds::rep>(timeout.count(), 1));
    _res.retry = std::max(attempts, 1);
    return system_lookup(name, family);
  };
}

std::string format_address(const wire::IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.version == wire::IpVersion::kV4)
    inet_ntop(AF_INET, address.v4.bytes.data(), text, sizeof text);
  else if (address.version == wire::IpVersion::kV6)
    inet_ntop(AF_INET6, address.v6.bytes.data(), text, sizeof text);
  else
    return "none";
  return text;
}

}  // namespace wiretime::resolver
