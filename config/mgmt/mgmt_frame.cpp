#include "config/mgmt/mgmt_frame.hpp"

namespace wiretime::mgmt {

namespace {

void put_u32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>((v >> 16) & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}

uint32_t get_u32(std::string_view in, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(in[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(in[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(in[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(in[at + 3]));
}

}  // namespace

std::string encode_frame(const Fields& fields) {
  std::string payload;
  put_u32(payload, static_cast<uint32_t>(fields.size()));
  for (const std::string& f : fields) {
    put_u32(payload, static_cast<uint32_t>(f.size()));
    payload += f;
  }
  std::string frame;
  frame.reserve(payload.size() + 4);
  put_u32(frame, static_cast<uint32_t>(payload.size()));
  return frame + payload;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (failed_) return;
  // Drop what was consumed before growing, so a long-lived connection does not accumulate.
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<Fields> FrameDecoder::next() {
  if (failed_) return std::nullopt;
  const std::string_view in = std::string_view(buffer_).substr(consumed_);
  if (in.size() < 4) return std::nullopt;
  const size_t length = get_u32(in, 0);
  if (length > kMaxFrameBytes || length < 4) {
    failed_ = true;
    return std::nullopt;
  }
  if (in.size() < 4 + length) return std::nullopt;
  const std::string_view payload = in.substr(4, length);
  const size_t count = get_u32(payload, 0);
  Fields fields;
  size_t at = 4;
  for (size_t i = 0; i < count; ++i) {
    if (payload.size() - at < 4) {
      failed_ = true;
      return std::nullopt;
    }
    const size_t size = get_u32(payload, at);
    at += 4;
    if (payload.size() - at < size) {
      failed_ = true;
      return std::nullopt;
    }
    fields.emplace_back(payload.substr(at, size));
    at += size;
  }
  if (at != payload.size()) {
    failed_ = true;
    return std::nullopt;
  }
  consumed_ += 4 + length;
  return fields;
}

}  // namespace wiretime::mgmt
