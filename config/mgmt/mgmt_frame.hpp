#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wiretime::mgmt {

// Framing of the management socket (a Unix stream socket): a message is a list of byte-string
// fields. On the wire:
//   u32 payload length (big-endian), payload = u32 field count, then per field u32 length and
//   the bytes.
// Binary-safe (YAML or display text need no escaping) and bounded, so a peer cannot make the
// daemon buffer without limit.
using Fields = std::vector<std::string>;

inline constexpr size_t kMaxFrameBytes = 16u << 20;  // 256 servers + 1024 keys fit many times

std::string encode_frame(const Fields& fields);

// Reassembles frames from a byte stream that arrives in arbitrary pieces.
class FrameDecoder {
 public:
  void feed(std::string_view bytes);
  // The next complete message, if one has arrived. Once failed(), never returns one again.
  std::optional<Fields> next();
  // The stream is not a sequence of valid frames (oversized or inconsistent): drop the peer.
  bool failed() const { return failed_; }
  // Bytes received that do not yet form a complete frame.
  size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::string buffer_;
  size_t consumed_ = 0;
  bool failed_ = false;
};

}  // namespace wiretime::mgmt
