// Resolves one name with control/resolver's NameResolver and the system lookup, printing every
// event, until the name resolves (exit 0) or the time is up (exit 1):
//   event fail failures=1 error=Name_or_service_not_known
//   event ok failures=0 addresses=198.18.0.8,2001:db8::8
// Used by resolver_hosts_test.sh inside a namespace whose /etc/hosts `ip netns exec` replaced.
#include <poll.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "control/resolver/name_resolver.hpp"

using namespace wiretime;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s worker|sync NAME any|ipv4|ipv6 TIMEOUT_S BACKOFF_MS\n",
                 argv[0]);
    return 2;
  }
  resolver::ResolverOptions o;
  o.mode = std::strcmp(argv[1], "sync") == 0 ? resolver::ResolverMode::kSynchronous
                                             : resolver::ResolverMode::kWorkerThread;
  const std::string family = argv[3];
  o.family = family == "ipv4"   ? resolver::AddressFamily::kIpv4
             : family == "ipv6" ? resolver::AddressFamily::kIpv6
                                : resolver::AddressFamily::kAny;
  const engine::SteadyNanos backoff = std::atoll(argv[5]) * 1'000'000;
  o.backoff = {backoff, backoff * 4, 2};
  resolver::NameResolver r(o);

  const auto start = std::chrono::steady_clock::now();
  auto now = [&] {
    return engine::SteadyNanos{std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count()};
  };
  const engine::SteadyNanos deadline = std::atoll(argv[4]) * 1'000'000'000;
  r.resolve(1, argv[2], now());
  std::vector<resolver::ResolveEvent> events;
  while (now() < deadline) {
    if (r.wake_fd() >= 0) {
      pollfd p{r.wake_fd(), POLLIN, 0};
      ::poll(&p, 1, 20);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    events.clear();
    r.poll(now(), events);
    for (const auto& e : events) {
      if (!e.ok) {
        std::string error = e.error;
        for (auto& c : error)
          if (c == ' ') c = '_';
        std::printf("event fail failures=%u error=%s\n", e.failures, error.c_str());
        std::fflush(stdout);
        continue;
      }
      std::string list;
      for (const auto& a : e.addresses)
        list += (list.empty() ? "" : ",") + resolver::format_address(a);
      std::printf("event ok failures=%u addresses=%s\n", e.failures, list.c_str());
      return 0;
    }
  }
  std::printf("timeout\n");
  return 1;
}
