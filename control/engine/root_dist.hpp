// RFC 5905 section 11.2 (appendix A.5.5.2 root_dist): synchronization distance of a peer, the
// half-width of its correctness interval and the `max-distance` test value.
#pragma once

namespace wiretime::engine {

struct PeerDistance {
  double root_delay = 0.0;       // server's root delay, s
  double root_dispersion = 0.0;  // server's root dispersion, s
  double delay = 0.0;            // peer delay from the clock filter, s
  double dispersion = 0.0;       // peer dispersion from the clock filter, s
  double jitter = 0.0;           // peer jitter, s
  double age = 0.0;              // seconds since the peer's last filter update
};

double root_dist(const PeerDistance& p);

}  // namespace wiretime::engine
