// Why a source is, or is not, used: the per-source outcome of the fit test, selection
// (RFC 5905 section 11.2.1), cluster (11.2.2) and system peer choice.
#pragma once

#include <cstdint>
#include <string_view>

namespace wiretime::engine {

enum class SelectionStatus : uint8_t {
  kSystemPeer,      // survivor chosen as system peer ("master")
  kSurvivor,        // survivor combined into the system offset ("selected")
  kFalseticker,     // offset outside the majority intersection
  kOutlier,         // pruned by the cluster algorithm ("candidate")
  kNoMajority,      // no intersection agreed by a majority
  kUnreachable,     // reach register empty
  kNoSamples,       // reachable but no usable sample yet
  kUnsynchronized,  // server reports leap 3 or stratum 16
  kDistance,        // root distance above max-distance
  kStratum,         // stratum not better than the local reference clock
  kKissDenied,      // DENY/RSTR received: polling stopped
  kAuthentication,  // preempt: excluded after an authentication error
  kUnresolved,      // domain name not resolved yet
  kOffsetLimit,     // offset beyond `ntp offset-limit`
};

constexpr std::string_view to_string(SelectionStatus s) {
  switch (s) {
    case SelectionStatus::kSystemPeer:
      return "system peer";
    case SelectionStatus::kSurvivor:
      return "selected";
    case SelectionStatus::kFalseticker:
      return "falseticker";
    case SelectionStatus::kOutlier:
      return "outlier";
    case SelectionStatus::kNoMajority:
      return "no majority";
    case SelectionStatus::kUnreachable:
      return "unreachable";
    case SelectionStatus::kNoSamples:
      return "no samples";
    case SelectionStatus::kUnsynchronized:
      return "server unsynchronized";
    case SelectionStatus::kDistance:
      return "distance exceeded";
    case SelectionStatus::kStratum:
      return "stratum too high";
    case SelectionStatus::kKissDenied:
      return "kiss-o'-death denied";
    case SelectionStatus::kAuthentication:
      return "authentication failure";
    case SelectionStatus::kUnresolved:
      return "unresolved";
    case SelectionStatus::kOffsetLimit:
      return "offset limit exceeded";
  }
  return "?";
}

}  // namespace wiretime::engine
