#include "control/daemon/served_stamps.hpp"

#include <algorithm>

namespace wiretime::daemon {

void ServedStamps::Errors::add(int64_t ns) {
  min_ns = count == 0 ? ns : std::min(min_ns, ns);
  max_ns = count == 0 ? ns : std::max(max_ns, ns);
  ++count;
  sum_ns += ns;
}

void ServedStamps::request(const TapRecord& r, NtpTimestamp kernel_rx) {
  if (r.outgoing || r.mode != wire::NtpMode::kClient) return;
  requests_[next_] = Request{r.origin, r.receive, r.transmit, kernel_rx};
  next_ = (next_ + 1) % kRequests;
  if (size_ < kRequests) ++size_;
}

// A basic reply's origin is the request's transmit field, an interleaved one's the request's
// receive field (RFC 9769). The newest match wins.
const ServedStamps::Request* ServedStamps::find_request(NtpTimestamp origin) const {
  if (origin.is_zero()) return nullptr;
  for (size_t i = 1; i <= size_; ++i) {
    const Request& r = requests_[(next_ + kRequests - i) % kRequests];
    if (r.transmit == origin || r.receive == origin) return &r;
  }
  return nullptr;
}

std::optional<ServedStamps::Reply> ServedStamps::reply(const TapRecord& r, NtpTimestamp kernel_tx) {
  // A KoD carries the request's transmit field in all three (no T2); a served reply never has
  // TX == RX.
  if (!r.outgoing || r.mode != wire::NtpMode::kServer || r.receive.is_zero() ||
      r.transmit == r.receive) {
    return std::nullopt;
  }
  ++replies_;
  Reply out;
  out.receive = r.receive;
  out.kernel_tx = kernel_tx;
  // An interleaved reply carries an earlier departure: its transmit field is before its
  // receive field.
  out.interleaved = (r.transmit - r.receive).raw() < 0;
  const Request* request = find_request(r.origin);
  if (request != nullptr) {
    out.t2_error_ns = (r.receive - request->kernel_rx).to_nanos();
    t2_.add(*out.t2_error_ns);
    rx_lag_.add(*out.t2_error_ns + rx_advance_ns());
  }
  if (!out.interleaved) {
    out.t3_error_ns = (r.transmit - kernel_tx).to_nanos();
    t3_basic_.add(*out.t3_error_ns);
    tx_lag_.add(tx_advance_ns() - *out.t3_error_ns);
  } else if (request != nullptr) {
    // The lcore looked its store up by the request's origin.
    if (const auto departed = departures_.find(request->origin)) {
      out.t3_error_ns = (r.transmit - *departed).to_nanos();
      t3_interleaved_.add(*out.t3_error_ns);
    }
  }
  departures_.save(r.receive, kernel_tx);
  return out;
}

namespace {

std::string errors_text(const ServedStamps::Errors& e) {
  if (e.count == 0) return "none";
  return "mean " + server::format_us(e.mean_ns()) + ", min " + server::format_us(e.min_ns) +
         ", max " + server::format_us(e.max_ns) + " (" + std::to_string(e.count) + ")";
}

}  // namespace

std::string ServedStamps::summary() const {
  return std::to_string(replies_) + " replies; T2 - kernel RX " + errors_text(t2_) +
         "; T3 - kernel TX basic " + errors_text(t3_basic_) + ", interleaved " +
         errors_text(t3_interleaved_) + "; advances T2 " + server::format_us(-rx_advance_ns()) +
         ", T3 " + server::format_us(tx_advance_ns());
}

}  // namespace wiretime::daemon
