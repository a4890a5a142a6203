// RFC 5905 section 9 peer variables of one `ntp unicast-server` association, with the VRP
// options (vrp-ntp-cli.md section 4), the reach register and timeout state.
#pragma once

#include <cstdint>
#include <string>

#include "control/engine/actions.hpp"
#include "control/engine/clock_filter.hpp"
#include "control/engine/ntp_constants.hpp"
#include "control/engine/offset_regression.hpp"
#include "control/engine/on_wire.hpp"
#include "control/engine/selection_status.hpp"
#include "dataplane/wire/ntp_packet.hpp"

namespace wiretime::engine {

struct AssociationConfig {
  std::string address;  // IP literal as configured, or the domain name
  bool is_domain = false;
  bool ipv6 = false;
  uint8_t version = 3;  // VRP default; IPv6 implies 4
  uint16_t port = 123;
  uint32_t key_id = 0;  // 0: no authentication for this server
  std::string source_interface;
  std::string vpn_instance;
  bool preferred = false;
  int min_poll = kMinPollDefault;
  int max_poll = kMaxPollDefault;
  bool burst = false;
  bool iburst = false;
  bool preempt = false;
  // Interleaved client mode (draft-ietf-ntp-interleaved-modes; chrony's `xleave`): a server
  // that supports it answers with the true transmit time of its previous reply.
  bool interleaved = false;
};

// Where the sample's receive timestamp came from, shown in the verbose session status.
enum class TimestampSource : uint8_t { kUnknown, kNicHardware, kTsc, kKernel, kSimulated };

struct SampleProvenance {
  TimestampSource source = TimestampSource::kUnknown;
  uint16_t port_id = 0;
  uint16_t queue_id = 0;
};

struct Association {
  AssociationId id = 0;
  AssociationConfig config;

  // Name resolution (domain servers) and kiss-o'-death stop.
  bool resolved = true;
  bool stopped = false;
  wire::KissCode stop_code = wire::KissCode::kNone;

  // Poll process (RFC 5905 section 13).
  uint8_t reach = 0;
  int unreach = 0;  // consecutive polls with an empty reach register
  int hpoll = kMinPollDefault;
  int rate_floor = -100;          // poll exponent floor raised by KoD RATE
  int backoff = 0;                // extra exponent while unreachable (timeout back-off)
  double next_poll = 0.0;         // steady s
  double last_poll = 0.0;         // steady s of the last poll (RFC outdate)
  double unsync_interval = 0.0;   // current interval under the unsynchronised rule, s
  double current_interval = 0.0;  // interval used for the last poll, s
  int burst_left = 0;             // further packets of the running burst
  bool in_burst = false;

  // Outstanding request: the cookie on the wire, the true T1 kept here.
  bool outstanding = false;
  NtpTimestamp cookie;
  NtpTimestamp t1;
  NtpTimestamp last_transmit;
  // Interleaved mode: the nonce the request carries in its receive field (zero: a basic
  // request), and the last accepted exchange, which the server's next interleaved reply
  // completes with its true T3. `prev_applied`: the corrections applied to the clock by then.
  NtpTimestamp xleave_nonce;
  bool prev_valid = false;
  NtpTimestamp prev_t1, prev_t2, prev_t4;
  double prev_applied = 0.0;
  uint64_t interleaved_samples = 0;

  // Last accepted reply (RFC peer variables) and its timestamps.
  bool have_reply = false;
  wire::NtpHeader peer;
  NtpTimestamp org, rec, xmt, dst;
  double last_rx = 0.0;  // steady s
  OnWireSample last_sample;
  SampleProvenance provenance;

  ClockFilter filter;
  OffsetRegression regression;
  // The newest sample against what the regression predicted for it before it came, and the
  // sample's own distance (delay / 2 + dispersion): chrony's test for a source it no longer
  // tracks, which shortens the poll.
  double prediction_error = 0.0;
  double prediction_distance = 0.0;

  OnWireCounters counters{};
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t accepted = 0;
  uint64_t offset_limited = 0;  // of `accepted`: beyond `ntp offset-limit` (ReplyOutcome)
  bool auth_error = false;      // the last reply failed authentication (preempt rule)

  SelectionStatus selection = SelectionStatus::kNoSamples;
  double distance = 0.0;  // RFC root distance at the last selection, s
};

}  // namespace wiretime::engine
