#include "control/daemon/kernel_stamp_matcher.hpp"

namespace wiretime::daemon {

std::optional<TapRecord> tap_record(std::span<const uint8_t> frame, bool outgoing, UnixNanos stamp,
                                    uint16_t extra_ntp_port) {
  wire::FrameDecodeOptions options;
  options.verify_l4_checksums = false;
  options.extra_ntp_port = extra_ntp_port;
  const wire::DecodedFrame decoded = wire::decode_frame(frame, options);
  if (decoded.error != wire::DecodeError::kOk || !decoded.is_ntp) return std::nullopt;
  TapRecord record;
  record.outgoing = outgoing;
  record.mode = decoded.ntp.header.mode;
  record.origin = decoded.ntp.header.origin;
  record.receive = decoded.ntp.header.receive;
  record.transmit = decoded.ntp.header.transmit;
  record.stamp = stamp;
  record.source = decoded.src_ip;
  record.destination = decoded.dst_ip;
  return record;
}

void KernelStampMatcher::add(const TapRecord& record) {
  records_[next_] = record;
  next_ = (next_ + 1) % kCapacity;
  if (size_ < kCapacity) ++size_;
  saw_outgoing_ = saw_outgoing_ || record.outgoing;
}

std::optional<KernelStampMatcher::Exchange> KernelStampMatcher::exchange(
    const wire::NtpHeader& reply) const {
  if (reply.origin.is_zero()) return std::nullopt;
  std::optional<UnixNanos> t1, t4;
  NtpTimestamp cookie;
  for (size_t i = 0; i < size_; ++i) {
    const TapRecord& r = records_[i];
    if (r.outgoing && r.mode == wire::NtpMode::kClient &&
        (r.transmit == reply.origin || r.receive == reply.origin)) {
      t1 = r.stamp;
      cookie = r.transmit;
    } else if (!r.outgoing && r.mode == reply.mode && r.origin == reply.origin &&
               r.transmit == reply.transmit) {
      t4 = r.stamp;
    }
  }
  if (!t1 || !t4 || *t4 < *t1) return std::nullopt;
  return Exchange{cookie, *t1, *t4};
}

}  // namespace wiretime::daemon
