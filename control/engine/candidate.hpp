// A source that passed the fit test and enters selection (RFC 5905 section 11.2).
#pragma once

namespace wiretime::engine {

struct Candidate {
  int id = 0;           // caller's index (association slot)
  double offset = 0.0;  // theta, s
  // Root distance (lambda): half-width of the correctness interval [offset +- lambda] that
  // selection intersects. Floored (RFC 5905 MINDISP), so that truechimers whose statistics
  // are tighter than their true error, e.g. two servers a few microseconds apart on a short
  // link, still intersect.
  double root_distance = 0.0;
  // Error bound that ranks (cluster) and weights (combine) the survivors, s. RFC mode: the
  // root distance; regression mode: the unfloored statistical bound, so close truechimers
  // are told apart by their real quality.
  double distance = 0.0;
  double jitter = 0.0;     // peer jitter (phi), s
  double frequency = 0.0;  // d(offset)/dt, s/s (regression discipline; 0 otherwise)
  bool frequency_valid = false;
  int stratum = 0;
  bool preferred = false;
};

}  // namespace wiretime::engine
