// Resolves domain-name servers off the hot path. The control loop asks (`resolve`) and later
// collects answers as events (`poll`); it never waits for DNS.
//
// Two modes:
// - kWorkerThread (the daemon, both backends): getaddrinfo runs on one helper thread, started
//   with the first name (none configured: no thread); `wake_fd()` (-1 until then) becomes
//   readable when answers wait, for a loop that sleeps in poll()/epoll. Lookups are serialised:
//   a slow name delays the others, never the control loop.
// - kSynchronous (a loop that must stay single-threaded even with domain servers, and so
//   cannot use getaddrinfo_a either: glibc runs it on threads): `poll` runs due
//   lookups itself, at most `max_sync_lookups_per_poll` per call, each bounded by the stub
//   resolver's timeout (system_lookup_bounded). /etc/hosts names answer at once; a silent DNS
//   server blocks the loop for at most timeout x attempts x nameservers.
// A failed lookup is reported and retried with exponential back-off until it succeeds or is
// cancelled; a success is final until `resolve` is called again (re-resolution, e.g. when the
// server stopped answering). All methods are for one (the control) thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "control/engine/steady_time.hpp"
#include "control/resolver/name_lookup.hpp"
#include "control/resolver/resolve_backoff.hpp"

namespace wiretime::resolver {

enum class ResolverMode : uint8_t { kWorkerThread, kSynchronous };

struct ResolverOptions {
  ResolverMode mode = ResolverMode::kWorkerThread;
  AddressFamily family = AddressFamily::kAny;
  BackoffPolicy backoff;
  size_t max_sync_lookups_per_poll = 1;
};

struct ResolveEvent {
  uint64_t tag = 0;  // the caller's id (e.g. the association id)
  std::string name;
  bool ok = false;
  std::vector<wire::IpAddress> addresses;  // ok: at least one
  std::string error;                       // !ok: why
  uint32_t failures = 0;                   // consecutive failures, this one included
  engine::SteadyNanos retry_at = 0;        // !ok: when the next attempt starts
};

class NameResolver {
 public:
  // An empty `lookup` means the system resolver: system_lookup on the worker, or
  // system_lookup_bounded(2 s, 2 attempts) in the synchronous mode.
  explicit NameResolver(const ResolverOptions& options, LookupFunction lookup = {});
  ~NameResolver();
  NameResolver(const NameResolver&) = delete;
  NameResolver& operator=(const NameResolver&) = delete;

  // Starts resolving `name` for `tag`. No-op while a lookup or a back-off for the same name is
  // under way; after a success it resolves again; a new name replaces the old request.
  void resolve(uint64_t tag, const std::string& name, engine::SteadyNanos now);
  // Forgets `tag`; an answer still in flight is dropped.
  void cancel(uint64_t tag);

  // Appends finished lookups to `out`, starts due retries and (synchronous mode) runs due
  // lookups. Call when wake_fd() is readable or next_due() has come.
  void poll(engine::SteadyNanos now, std::vector<ResolveEvent>& out);

  // Earliest time poll() has work (a retry; in synchronous mode 0 = "now" when lookups are
  // queued); nullopt when only worker answers are awaited (wake_fd tells) or nothing is.
  std::optional<engine::SteadyNanos> next_due() const;
  // Worker mode: readable when answers are waiting (drained by poll). -1 in synchronous mode.
  int wake_fd() const;
  // Requests not yet answered successfully (queued, in flight or backing off).
  size_t pending() const;

 private:
  enum class State : uint8_t { kQueued, kInFlight, kWaitingRetry, kDone };
  struct Entry {
    std::string name;
    State state = State::kQueued;
    uint32_t failures = 0;
    engine::SteadyNanos retry_at = 0;
    uint64_t generation = 0;
  };
  struct Worker;

  void start(uint64_t tag, Entry& entry);
  void start_worker();
  void finish(uint64_t tag, Entry& entry, LookupResult result, engine::SteadyNanos now,
              std::vector<ResolveEvent>& out);

  ResolverOptions options_;
  LookupFunction lookup_;
  std::map<uint64_t, Entry> entries_;
  uint64_t next_generation_ = 1;
  std::shared_ptr<Worker> worker_;  // shared with the thread, which may outlive us (see dtor)
  std::thread thread_;
};

}  // namespace wiretime::resolver
