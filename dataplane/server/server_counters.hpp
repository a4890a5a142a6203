// The server's counters: one per outcome, per interface and address family. Written by one
// lcore (relaxed load + store, no read-modify-write), read by anyone. Fixed size, so the lcore
// never allocates: interfaces past kCountedInterfaces share the last slot.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "dataplane/server/ntp_server_stage.hpp"
#include "dataplane/wire/addresses.hpp"

namespace wiretime::server {

inline constexpr size_t kCountedInterfaces = 64;

struct ServerCounters {
  // [interface slot][0: IPv4, 1: IPv6][outcome]
  std::array<std::array<std::array<std::atomic<uint64_t>, kServeOutcomeCount>, 2>,
             kCountedInterfaces + 1>
      counts{};

  // Served requests whose reply was signed (a subset of served basic + interleaved).
  std::array<std::array<std::atomic<uint64_t>, 2>, kCountedInterfaces + 1> authenticated{};

  void count_authenticated(uint16_t interface, wire::IpVersion v) {
    std::atomic<uint64_t>& c = authenticated[slot(interface)][family(v)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  uint64_t total_authenticated(wire::IpVersion v = wire::IpVersion::kNone) const {
    uint64_t sum = 0;
    for (const auto& itf : authenticated) {
      for (size_t f = 0; f < 2; ++f) {
        if (v == wire::IpVersion::kNone || f == family(v)) {
          sum += itf[f].load(std::memory_order_relaxed);
        }
      }
    }
    return sum;
  }

  static size_t slot(uint16_t interface) {
    return interface < kCountedInterfaces ? interface : kCountedInterfaces;
  }
  static size_t family(wire::IpVersion v) { return v == wire::IpVersion::kV6 ? 1 : 0; }

  void count(uint16_t interface, wire::IpVersion v, ServeOutcome o) {
    std::atomic<uint64_t>& c = counts[slot(interface)][family(v)][static_cast<size_t>(o)];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  uint64_t get(uint16_t interface, wire::IpVersion v, ServeOutcome o) const {
    return counts[slot(interface)][family(v)][static_cast<size_t>(o)].load(
        std::memory_order_relaxed);
  }
  // Summed over interfaces (and families when `v` is kNone).
  uint64_t total(ServeOutcome o, wire::IpVersion v = wire::IpVersion::kNone) const {
    uint64_t sum = 0;
    for (const auto& itf : counts) {
      for (size_t f = 0; f < 2; ++f) {
        if (v != wire::IpVersion::kNone && f != family(v)) continue;
        sum += itf[f][static_cast<size_t>(o)].load(std::memory_order_relaxed);
      }
    }
    return sum;
  }
};

// "server: served basic 12; not listening 3;" (totals over interfaces and families), or
// "server: no requests": the daemon's shutdown line.
std::string summary(const ServerCounters& counters);

}  // namespace wiretime::server
