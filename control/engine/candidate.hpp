// A source that passed the fit test and enters selection (RFC 5905 section 11.2).
#pragma once

namespace wiretime::engine {

struct Candidate {
  int id = 0;              // caller's index (association slot)
  double offset = 0.0;     // theta, s
  double distance = 0.0;   // lambda: half-width of the correctness interval, s
  double jitter = 0.0;     // peer jitter (phi), s
  double frequency = 0.0;  // d(offset)/dt, s/s (regression discipline; 0 otherwise)
  bool frequency_valid = false;
  int stratum = 0;
  bool preferred = false;
};

}  // namespace wiretime::engine
