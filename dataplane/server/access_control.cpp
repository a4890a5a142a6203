#include "dataplane/server/access_control.hpp"

#include <bit>

namespace wiretime::server {
namespace {

uint64_t load64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

uint64_t mix(uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

uint64_t interval(int exponent) {  // 2^exponent s as a raw NTP duration (32.32)
  return uint64_t{1} << (32 + exponent);
}

// Generic cell rate algorithm: one token per `t`, `burst` tokens. Passes (and advances `tat`)
// when the request is not earlier than tat - (burst - 1) * t.
// A clock step backwards must not lock a client out: tat never runs further ahead of now than
// a full burst (it cannot otherwise), and a tat in the past means a full bucket.
uint64_t gcra_base(uint64_t tat, uint64_t now, uint64_t t, uint32_t burst) {
  const int64_t ahead = static_cast<int64_t>(tat - now);
  return ahead < 0 || ahead > static_cast<int64_t>(t * burst) ? now : tat;
}
bool gcra_ok(uint64_t tat, uint64_t now, uint64_t t, uint32_t burst) {
  const uint64_t tolerance = t * (burst - 1);
  return static_cast<int64_t>(now - (gcra_base(tat, now, t, burst) - tolerance)) >= 0;
}
uint64_t gcra_next(uint64_t tat, uint64_t now, uint64_t t, uint32_t burst) {
  return gcra_base(tat, now, t, burst) + t;
}

}  // namespace

wire::NtpHeader kod_header(const wire::NtpHeader& request, uint32_t kiss) {
  wire::NtpHeader h;
  h.leap = wire::LeapIndicator::kUnsynchronized;
  h.version = request.version;
  h.mode = wire::NtpMode::kServer;
  h.stratum = 0;
  h.poll = request.poll;
  h.precision = 0;
  h.reference_id = kiss;
  h.origin = request.transmit;
  h.receive = request.transmit;
  h.transmit = request.transmit;
  return h;
}

std::array<uint64_t, 2> acl_key(const wire::IpAddress& address) {
  if (address.version == wire::IpVersion::kV6) {
    return {load64(address.v6.bytes.data()), load64(address.v6.bytes.data() + 8)};
  }
  return {0, address.v4.to_host_order()};
}

int acl_match(const AclTable& table, const std::array<uint64_t, 2>& key) {
  const size_t n = table.count < kMaxAclRules ? table.count : kMaxAclRules;
  for (size_t i = 0; i < n; ++i) {
    const AclEntry& r = table.rules[i];
    if ((key[0] & r.mask[0]) == r.value[0] && (key[1] & r.mask[1]) == r.value[1]) {
      return r.permit != 0 ? 1 : 0;
    }
  }
  return -1;
}

AccessResult classify_access(const AccessTables& tables, const wire::IpAddress& source) {
  AccessResult result;
  const size_t family = source.version == wire::IpVersion::kV6 ? 1 : 0;
  const auto key = acl_key(source);
  const AclTable& limited = tables.levels[static_cast<size_t>(AccessLevelIndex::kLimited)][family];
  result.limited = limited.configured != 0 && acl_match(limited, key) == 1;
  bool controlled = false;
  for (size_t level = 0; level <= static_cast<size_t>(AccessLevelIndex::kQuery); ++level) {
    const AclTable& t = tables.levels[level][family];
    if (t.configured == 0) continue;
    controlled = true;
    if (acl_match(t, key) != 1) continue;  // deny or no match: this level is not granted
    result.level = static_cast<AccessLevelIndex>(level);
    result.access =
        result.level == AccessLevelIndex::kQuery ? AccessClass::kQueryOnly : AccessClass::kGranted;
    return result;
  }
  result.access = controlled ? AccessClass::kDenied : AccessClass::kUncontrolled;
  return result;
}

RateLimiter::RateLimiter(size_t entries, uint64_t seed) : seed_(seed) {
  size_t n = kWays;
  while (n < entries) n <<= 1;
  entries_.resize(n);
  bucket_mask_ = n / kWays - 1;
}

RateLimiter::Entry& RateLimiter::find_or_insert(const std::array<uint64_t, 2>& key, uint64_t now) {
  const size_t bucket = mix(key[0] ^ mix(key[1] ^ seed_)) & bucket_mask_;
  Entry* ways = &entries_[bucket * kWays];
  Entry* victim = &ways[0];
  for (size_t i = 0; i < kWays; ++i) {
    if (ways[i].last_seen != 0 && ways[i].key == key) return ways[i];
    if (ways[i].last_seen == 0) {
      victim = &ways[i];
      break;
    }
    // Least recently seen: the largest age (signed, NTP time wraps).
    if (static_cast<int64_t>(victim->last_seen - ways[i].last_seen) > 0) victim = &ways[i];
  }
  // Not found: the way chosen above, or an empty one found later (every way checked for the
  // key first would cost the same; an empty way ends the bucket's used part).
  if (victim->last_seen != 0) ++evictions_;
  *victim = Entry{};
  victim->key = key;
  victim->tat_avg = now;
  victim->tat_min = now;
  victim->last_seen = now | 1;  // never 0 (0 marks a free way)
  return *victim;
}

RateLimiter::Verdict RateLimiter::charge(const std::array<uint64_t, 2>& key, NtpTimestamp now,
                                         int min_exp, int avg_exp) {
  const uint64_t t = now.raw();
  Entry& e = find_or_insert(key, t);
  e.last_seen = t | 1;
  const uint64_t tmin = interval(min_exp);
  const uint64_t tavg = interval(avg_exp);
  if (!gcra_ok(e.tat_min, t, tmin, kMinBurst) || !gcra_ok(e.tat_avg, t, tavg, kAvgBurst)) {
    return Verdict::kLimited;
  }
  e.tat_min = gcra_next(e.tat_min, t, tmin, kMinBurst);
  e.tat_avg = gcra_next(e.tat_avg, t, tavg, kAvgBurst);
  return Verdict::kPass;
}

bool RateLimiter::kod_allowed(const std::array<uint64_t, 2>& key, NtpTimestamp now, int min_exp) {
  const uint64_t t = now.raw();
  Entry& e = find_or_insert(key, t);
  e.last_seen = t | 1;
  if (e.last_kod != 0 && static_cast<int64_t>(t - e.last_kod) < int64_t(interval(min_exp))) {
    return false;
  }
  e.last_kod = t | 1;
  return true;
}

AccessGate::AccessGate(size_t rate_entries, uint64_t seed)
    : limiter_(rate_entries, seed), rng_(seed | 1) {}

void AccessGate::refresh(const PublishedAccess& published) {
  const uint64_t g = published.generation();
  if (g == generation_) return;
  tables_ = published.read();
  generation_ = g;
}

bool AccessGate::leak() {
  // xorshift64: the leak only needs to be unpredictable enough that a flood cannot time it.
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return (rng_ & ((uint64_t{1} << RateLimiter::kLeakShift) - 1)) == 0;
}

AccessAction AccessGate::decide(const wire::IpAddress& source, NtpTimestamp now) {
  const AccessResult a = classify_access(tables_, source);
  const int min_exp = tables_.min_interval;
  if (a.access == AccessClass::kDenied || a.access == AccessClass::kQueryOnly) {
    if (tables_.kod_enable == 0) return AccessAction::kDeny;
    return limiter_.kod_allowed(acl_key(source), now, min_exp) ? AccessAction::kDenyKod
                                                               : AccessAction::kDeny;
  }
  if (!a.limited) return AccessAction::kServe;
  const auto key = acl_key(source);
  if (limiter_.charge(key, now, min_exp, tables_.avg_interval) == RateLimiter::Verdict::kPass) {
    return AccessAction::kServe;
  }
  if (leak()) return AccessAction::kServe;
  if (tables_.kod_enable != 0 && limiter_.kod_allowed(key, now, min_exp)) {
    return AccessAction::kRateKod;
  }
  return AccessAction::kRateDrop;
}

}  // namespace wiretime::server
