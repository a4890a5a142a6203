// Access and rate control of the NTP server (vrp-ntp-cli.md sections 6.8-6.10, 12), pure and
// fixed-size so the lcore runs it per request with no allocation, lock or system call.
//
// Access levels (`ntp access`): each of peer, server, synchronization and query may name a
// basic ACL per family. A level is granted when its ACL's first matching rule (ascending rule
// id) permits the source; the levels are tried in the order peer -> server -> synchronization
// -> query and the first granted one decides. peer, server and synchronization allow time
// requests; query allows control queries only, so a mode-3 request that only gets query is
// denied; nothing granted is denied. A referenced ACL that is missing or empty matches nothing.
// While no level names an ACL of the source's family, that family is not access-controlled.
//
// Rate control (`ntp access limited` + `ntp discard`): sources the `limited` ACL permits are
// rate-limited per address by two token buckets kept as theoretical arrival times (GCRA):
// one token per 2^avg-interval s with a burst of kAvgBurst, and one per 2^min-interval s
// with a burst of kMinBurst (so a probe's short burst passes; a sustained one does not). A
// limited request is answered anyway with probability 2^-kLeakShift (chrony's `leak`: a
// spoofed flood can then not silence its victim entirely). Otherwise it gets a RATE KoD when
// `ntp kod-enable` is on, else nothing. Denied requests get a DENY KoD when `ntp kod-enable` is
// on. KoDs are themselves limited to one per 2^min-interval s per address (clients that retry
// harder on DENY, spoofed floods: the server must not become a reflector); the others are
// dropped and counted as such.
//
// Per-address state is a fixed table of `entries` (a power of two) in 4-way buckets keyed by a
// seeded hash; a new address takes the least recently seen way of its bucket (so a flood of
// fresh addresses evicts idle clients first and a flooding address that keeps sending stays).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "dataplane/server/seqlock.hpp"
#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/addresses.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::server {

inline constexpr size_t kMaxAclRules =
    64;  // rules kept per compiled ACL (the rest: see `truncated`)

// One basic ACL rule, compiled: the source matches when (address & mask) == value, on the
// address as 128 bits (IPv4 in the low 32 bits of word 1, word 0 zero).
struct AclEntry {
  std::array<uint64_t, 2> value{};
  std::array<uint64_t, 2> mask{};
  uint8_t permit = 0;
  std::array<uint8_t, 7> pad{};
};

struct AclTable {
  uint8_t configured = 0;  // the level names an ACL of this family (maybe missing or empty)
  uint8_t truncated = 0;   // the ACL had more than kMaxAclRules rules (control logs it)
  uint16_t count = 0;
  std::array<uint8_t, 4> pad{};
  std::array<AclEntry, kMaxAclRules> rules{};
};

// The index of a level in AccessTables::levels: the match order, then `limited`.
enum class AccessLevelIndex : uint8_t {
  kPeer,
  kServer,
  kSynchronization,
  kQuery,
  kLimited,
  kCount
};
inline constexpr size_t kAccessLevelCount = static_cast<size_t>(AccessLevelIndex::kCount);

struct AccessTables {
  // [level][0: IPv4, 1: IPv6]
  std::array<std::array<AclTable, 2>, kAccessLevelCount> levels{};
  uint8_t kod_enable = 0;   // `ntp kod-enable`
  int8_t min_interval = 1;  // `ntp discard` exponents (2^n s)
  int8_t avg_interval = 5;
  std::array<uint8_t, 5> pad{};
};

// The control thread compiles and stores; the reader copies only when the generation moved
// (a config change), so the per-burst cost is one atomic load.
class PublishedAccess {
 public:
  void store(const AccessTables& tables) {
    tables_.store(tables);
    generation_.fetch_add(1, std::memory_order_release);
  }
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  AccessTables read() const { return tables_.read(); }

 private:
  Seqlock<AccessTables> tables_;
  std::atomic<uint64_t> generation_{1};
};

// The 128-bit form ACL entries match against.
std::array<uint64_t, 2> acl_key(const wire::IpAddress& address);

// The first rule of `table` that matches `address`: 1 permit, 0 deny, -1 none.
int acl_match(const AclTable& table, const std::array<uint64_t, 2>& key);

enum class AccessClass : uint8_t {
  kUncontrolled,  // no level names an ACL of this family
  kGranted,       // peer, server or synchronization
  kQueryOnly,     // query only: no time service
  kDenied,        // no level permits the source
};
struct AccessResult {
  AccessClass access = AccessClass::kUncontrolled;
  AccessLevelIndex level = AccessLevelIndex::kCount;  // the granted level, if any
  bool limited = false;                               // the `limited` ACL permits the source
};
AccessResult classify_access(const AccessTables& tables, const wire::IpAddress& source);

// RFC 5905 section 7.4 kiss codes (ASCII, host order as NtpHeader::reference_id holds them).
inline constexpr uint32_t kKissRate = 0x52415445;  // "RATE"
inline constexpr uint32_t kKissDeny = 0x44454e59;  // "DENY"

// The KoD answering `request` (RFC 5905 section 7.4): mode 4, leap 3, stratum 0, reference id
// the kiss code, the request's version and poll; origin, receive and transmit all echo the
// request's transmit, as ntpd sends them: no clock read, no time a client could use, and it
// passes the client's origin check (chronyd then acts on RATE).
wire::NtpHeader kod_header(const wire::NtpHeader& request, uint32_t kiss);

// Per-address token buckets; see the file comment. Times are NTP timestamps (raw 32.32).
class RateLimiter {
 public:
  static constexpr size_t kWays = 4;
  static constexpr size_t kDefaultEntries = 16384;  // 48 B each: 768 KiB
  static constexpr uint32_t kAvgBurst = 8;          // chrony's default burst
  static constexpr uint32_t kMinBurst = 4;          // a probe's burst of 3-4 passes
  static constexpr uint32_t kLeakShift = 2;         // 1 in 4 limited requests answered (chrony)

  struct Entry {
    std::array<uint64_t, 2> key{};
    uint64_t tat_avg = 0;   // GCRA theoretical arrival time, avg-interval bucket
    uint64_t tat_min = 0;   // the same, min-interval bucket
    uint64_t last_kod = 0;  // when this address last got a KoD (0: never)
    uint64_t last_seen = 0;
  };

  // `entries` is rounded up to a power of two, at least kWays; the only allocation. `seed`
  // keys the hash (the lcore passes the TSC, the socket backend std::random_device).
  explicit RateLimiter(size_t entries = kDefaultEntries, uint64_t seed = 0x9e3779b97f4a7c15ull);

  enum class Verdict : uint8_t { kPass, kLimited };
  // Charges one request from `key` at `now` against 2^min_exp / 2^avg_exp s intervals.
  Verdict charge(const std::array<uint64_t, 2>& key, NtpTimestamp now, int min_exp, int avg_exp);
  // True (and remembers it) when `key` may get a KoD now: none in the last 2^min_exp s.
  bool kod_allowed(const std::array<uint64_t, 2>& key, NtpTimestamp now, int min_exp);

  size_t capacity() const { return entries_.size(); }
  uint64_t evictions() const { return evictions_; }

 private:
  Entry& find_or_insert(const std::array<uint64_t, 2>& key, uint64_t now);
  std::vector<Entry> entries_;
  size_t bucket_mask_ = 0;
  uint64_t seed_;
  uint64_t evictions_ = 0;
};

// What the server does with a request after the access and rate checks.
enum class AccessAction : uint8_t {
  kServe,     // answer normally
  kDeny,      // denied by ACL, no reply
  kDenyKod,   // denied, DENY KoD
  kRateKod,   // rate limited, RATE KoD
  kRateDrop,  // rate limited, no reply (KoD off, or KoD itself limited)
};

// One reader's gate (the lcore, or the socket backend's thread): a private copy of the
// published tables, refreshed when their generation moves, the rate table and the leak's PRNG.
class AccessGate {
 public:
  explicit AccessGate(size_t rate_entries = RateLimiter::kDefaultEntries,
                      uint64_t seed = 0x9e3779b97f4a7c15ull);

  // Call once per burst (cheap unless the configuration changed).
  void refresh(const PublishedAccess& published);
  // Tests and the socket backend set the tables directly.
  void set(const AccessTables& tables) { tables_ = tables; }
  const AccessTables& tables() const { return tables_; }

  AccessAction decide(const wire::IpAddress& source, NtpTimestamp now);

  const RateLimiter& limiter() const { return limiter_; }

 private:
  bool leak();
  AccessTables tables_;
  uint64_t generation_ = 0;
  RateLimiter limiter_;
  uint64_t rng_;
};

}  // namespace wiretime::server
