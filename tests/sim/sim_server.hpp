// A simulated NTP server: answers mode-3 requests with a real encoded mode-4 packet. Its
// clock is true UTC plus an offset (a falseticker), and it can be unsynchronised, announce a
// leap second, send kiss-o'-death RATE/DENY, or be silent during outages.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "control/engine/prng.hpp"
#include "dataplane/time/ntp_timestamp.hpp"
#include "dataplane/wire/ntp_packet.hpp"
#include "tests/sim/sim_network.hpp"

namespace wiretime::sim {

enum class KissMode : uint8_t { kNone, kRate, kDeny };

struct ServerSpec {
  double offset = 0.0;  // s, server clock minus true UTC
  uint8_t stratum = 1;
  int8_t precision = -20;
  double root_delay = 0.0;
  double root_dispersion = 0.0;
  uint32_t reference_id = 0x47505300;              // "GPS"
  PathModel up;                                    // client -> server
  PathModel down;                                  // server -> client
  std::vector<std::pair<double, double>> outages;  // [start, end) true times without replies
  KissMode kiss = KissMode::kNone;
  double kiss_min_interval = 0.0;  // RATE: requests closer than this get a RATE kiss
  double kiss_from = 0.0;          // true time from which kisses are sent
  wire::LeapIndicator leap = wire::LeapIndicator::kNoWarning;  // announced before leap_at
  double leap_at = -1.0;  // true time of the leap; the indicator is sent the day before
  // Time between the server's receive and transmit stamps: base plus an exponential part.
  // chronyd with kernel timestamps answers in next to no time as far as T3 - T2 shows.
  double processing = 0.0;         // s
  double processing_jitter = 0.0;  // mean of the exponential part, s
  // Like chronyd (UTI_GetNtp64Fuzz), fill the bits of T2 and T3 below 2^precision with random
  // noise, independently: with ~zero processing time, T3 < T2 in about half of the replies.
  bool fuzz_below_precision = true;
  double unsynchronized_from = -1;  // from this true time on: leap 3, stratum 16
};

class SimServer {
 public:
  SimServer(const ServerSpec& spec, uint64_t seed) : spec_(spec), prng_(seed) {}
  const ServerSpec& spec() const { return spec_; }

  // The reply to `request` arriving at true time `t` whose true UTC is `utc_nanos`; nullopt
  // when the server stays silent. `processing` gets the true time it takes to answer, s.
  std::optional<wire::NtpHeader> answer(const wire::NtpHeader& request, double t,
                                        UnixNanos utc_nanos, double& processing);
  uint64_t requests() const { return requests_; }
  uint64_t kisses() const { return kisses_; }

 private:
  NtpTimestamp stamp(UnixNanos utc);

  ServerSpec spec_;
  engine::Prng prng_;
  double last_request_ = -1e300;
  uint64_t requests_ = 0;
  uint64_t kisses_ = 0;
};

}  // namespace wiretime::sim
