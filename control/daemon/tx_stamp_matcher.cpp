#include "control/daemon/tx_stamp_matcher.hpp"

#include <algorithm>
#include <array>

namespace wiretime::daemon {

namespace {

// The cookie as it is on the wire (big-endian 64-bit NTP timestamp).
std::array<uint8_t, 8> wire_bytes(NtpTimestamp t) {
  std::array<uint8_t, 8> b{};
  const uint64_t raw = t.raw();
  for (int i = 0; i < 8; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(raw >> (56 - 8 * i));
  return b;
}

bool carries(std::span<const uint8_t> packet, NtpTimestamp cookie) {
  const auto needle = wire_bytes(cookie);
  return std::search(packet.begin(), packet.end(), needle.begin(), needle.end()) != packet.end();
}

}  // namespace

std::optional<TxStampMatcher::Pending> TxStampMatcher::take(size_t index) {
  const Pending p = pending_[index];
  pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(index));
  return p;
}

std::optional<TxStampMatcher::Pending> TxStampMatcher::match(bool has_key, uint32_t key,
                                                             std::span<const uint8_t> packet) {
  // Whatever the match, the first stamp ever seen fixes the key's origin unless a packet match
  // does it better below.
  const bool first = !seen_any_;
  seen_any_ = true;
  if (!packet.empty()) {
    // The cookie is 64 random bits: finding it anywhere in the looped packet names the request.
    for (size_t i = 0; i < pending_.size(); ++i) {
      if (!carries(packet, pending_[i].cookie)) continue;
      if (has_key && !key_offset_) key_offset_ = key - pending_[i].sequence;
      return take(i);
    }
    return std::nullopt;  // a packet that is none of ours (or reported already)
  }
  if (!has_key) return std::nullopt;
  if (!key_offset_ && first && first_sequence_) key_offset_ = key - *first_sequence_;
  if (!key_offset_) return std::nullopt;
  const uint32_t sequence = key - *key_offset_;
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (pending_[i].sequence == sequence) return take(i);
  }
  return std::nullopt;
}

std::vector<TxStampMatcher::Pending> TxStampMatcher::take_all() {
  std::vector<Pending> all;
  all.swap(pending_);
  return all;
}

}  // namespace wiretime::daemon
