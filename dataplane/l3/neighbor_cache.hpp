// The neighbour cache for ARP (RFC 826) and IPv6 neighbour discovery (RFC 4861 section 7.3):
// IP -> MAC per interface, with reachability ageing, probing and one held packet per
// unresolved entry. The caller owns time (monotonic nanoseconds as a value) and carries out the
// returned decisions (send a broadcast/multicast or unicast probe, send the released packet).
// Fixed capacity, allocated once: no allocation per packet. Pure.
//
// States, simplified from RFC 4861 section 7.3.2 (ARP follows the same machine):
//   incomplete -> (reply)  reachable -> (reachable time passes) stale
//   stale -> (used)  probe: unicast probes, still sending with the known MAC
//   incomplete/probe -> (no answer after max probes) removed; stale unused for the stale
//   lifetime -> removed (ageing).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dataplane/l3/interface_table.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::l3 {

struct NeighborKey {
  InterfaceIndex interface = 0;
  wire::IpAddress ip;
  bool operator==(const NeighborKey&) const = default;
};

enum class NeighborState : uint8_t { kIncomplete, kReachable, kStale, kProbe };
enum class ProbeKind : uint8_t {
  kNone,
  kMulticast,  // ARP request to broadcast / NS to the solicited-node group
  kUnicast,    // ARP request / NS to the known MAC (reachability confirmation)
};
// How a learned mapping was obtained, which decides the state it enters.
enum class LearnKind : uint8_t {
  kConfirmed,  // answer to our probe: ARP reply to us, solicited NA
  kHeard,      // the neighbour spoke: ARP request for us, NS with a link-layer address
};

struct NeighborCacheConfig {
  size_t capacity = 256;
  int64_t reachable_ns = 30'000'000'000;          // RFC 4861 REACHABLE_TIME
  int64_t retransmit_ns = 1'000'000'000;          // RETRANS_TIMER
  unsigned max_probes = 3;                        // MAX_MULTICAST/UNICAST_SOLICIT
  int64_t stale_lifetime_ns = 1'200'000'000'000;  // unused stale entries go after 20 min
};

template <typename Held>
class NeighborCache {
 public:
  struct Entry {
    NeighborKey key;
    NeighborState state = NeighborState::kIncomplete;
    wire::MacAddress mac;
    int64_t deadline_ns = 0;  // reachable: until; incomplete/probe: next probe; stale: removal
    unsigned probes = 0;
    std::optional<Held> held;
  };

  struct Resolution {
    std::optional<wire::MacAddress> mac;  // send now to this MAC
    ProbeKind probe = ProbeKind::kNone;   // and/or send this probe now
    bool held = false;                    // the packet was parked until resolution
    std::optional<Held> displaced;        // an older parked packet it replaced (drop it)
    bool cache_full = false;              // no entry could be made: drop the packet
  };

  explicit NeighborCache(const NeighborCacheConfig& config = {}) : config_(config) {
    entries_.reserve(config.capacity);
  }

  // Where to send a packet for `key` now. With no usable MAC, `held` (if given) is parked and
  // returned by learn() once the neighbour answers.
  Resolution resolve(const NeighborKey& key, int64_t now_ns, const Held* held = nullptr) {
    Resolution r;
    Entry* e = find(key);
    if (e == nullptr) {
      e = make_room(now_ns);
      if (e == nullptr) {
        r.cache_full = true;
        return r;
      }
      *e = Entry{key, NeighborState::kIncomplete, {}, now_ns + config_.retransmit_ns, 1, {}};
      r.probe = ProbeKind::kMulticast;
    }
    switch (e->state) {
      case NeighborState::kIncomplete:
        if (held != nullptr) {
          r.displaced = e->held;
          e->held = *held;
          r.held = true;
        }
        return r;
      case NeighborState::kReachable:
        if (now_ns < e->deadline_ns) break;
        [[fallthrough]];
      case NeighborState::kStale:
        // In use again but unconfirmed: keep sending, confirm by unicast probes.
        e->state = NeighborState::kProbe;
        e->probes = 1;
        e->deadline_ns = now_ns + config_.retransmit_ns;
        r.probe = ProbeKind::kUnicast;
        break;
      case NeighborState::kProbe:
        break;
    }
    r.mac = e->mac;
    return r;
  }

  // The neighbour told us its MAC. Returns the parked packet, now sendable, if any.
  // kHeard only refreshes entries that exist, unless `create` (RFC 826: an ARP request for us
  // creates the sender's entry, as we will answer it anyway).
  std::optional<Held> learn(const NeighborKey& key, const wire::MacAddress& mac, int64_t now_ns,
                            LearnKind kind, bool create = false) {
    Entry* e = find(key);
    if (e == nullptr) {
      if (kind == LearnKind::kHeard && !create) return std::nullopt;
      e = make_room(now_ns);
      if (e == nullptr) return std::nullopt;
      *e = Entry{key, NeighborState::kStale, mac, now_ns + config_.stale_lifetime_ns, 0, {}};
    }
    const bool changed = e->mac != mac;
    if (kind == LearnKind::kConfirmed) {
      e->state = NeighborState::kReachable;
      e->deadline_ns = now_ns + config_.reachable_ns;
    } else if (e->state == NeighborState::kIncomplete || changed) {
      e->state = NeighborState::kStale;
      e->deadline_ns = now_ns + config_.stale_lifetime_ns;
    }
    e->mac = mac;
    e->probes = 0;
    std::optional<Held> released = e->held;
    e->held.reset();
    return released;
  }

  // Timers: calls on_probe(key, ProbeKind, mac) for each probe due, on_failed(key, held) for
  // each entry given up (held is the parked packet, if any), and ages stale entries out.
  template <typename OnProbe, typename OnFailed>
  void advance(int64_t now_ns, OnProbe&& on_probe, OnFailed&& on_failed) {
    for (size_t i = 0; i < entries_.size();) {
      Entry& e = entries_[i];
      if (now_ns < e.deadline_ns) {
        ++i;
        continue;
      }
      switch (e.state) {
        case NeighborState::kReachable:
          e.state = NeighborState::kStale;
          e.deadline_ns = now_ns + config_.stale_lifetime_ns;
          ++i;
          continue;
        case NeighborState::kIncomplete:
        case NeighborState::kProbe:
          if (e.probes < config_.max_probes) {
            ++e.probes;
            e.deadline_ns = now_ns + config_.retransmit_ns;
            on_probe(
                e.key,
                e.state == NeighborState::kIncomplete ? ProbeKind::kMulticast : ProbeKind::kUnicast,
                e.mac);
            ++i;
            continue;
          }
          on_failed(e.key, e.held);
          break;
        case NeighborState::kStale:
          break;
      }
      remove(i);
    }
  }

  // Drops every entry `pred(key)` selects (an interface that changed or went away), handing
  // its parked packet, if any, to on_removed(key, held).
  template <typename Pred, typename OnRemoved>
  void forget_if(Pred&& pred, OnRemoved&& on_removed) {
    for (size_t i = 0; i < entries_.size();) {
      if (!pred(entries_[i].key)) {
        ++i;
        continue;
      }
      on_removed(entries_[i].key, entries_[i].held);
      remove(i);
    }
  }

  const Entry* lookup(const NeighborKey& key) const {
    for (const Entry& e : entries_) {
      if (e.key == key) return &e;
    }
    return nullptr;
  }
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  Entry* find(const NeighborKey& key) {
    for (Entry& e : entries_) {
      if (e.key == key) return &e;
    }
    return nullptr;
  }
  void remove(size_t i) {
    entries_[i] = entries_.back();
    entries_.pop_back();
  }
  // A free slot: append while below capacity, else evict the stale entry closest to removal.
  Entry* make_room(int64_t now_ns) {
    (void)now_ns;
    if (entries_.size() < config_.capacity) return &entries_.emplace_back();
    Entry* victim = nullptr;
    for (Entry& e : entries_) {
      if (e.state == NeighborState::kStale &&
          (victim == nullptr || e.deadline_ns < victim->deadline_ns)) {
        victim = &e;
      }
    }
    return victim;
  }

  NeighborCacheConfig config_;
  std::vector<Entry> entries_;  // capacity reserved up front: emplace_back never reallocates
};

}  // namespace wiretime::l3
