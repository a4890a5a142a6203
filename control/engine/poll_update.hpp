// RFC 5905 section 13 (appendix A.5.7.3 poll_update) and the VRP `ntp unsync
// max-poll-interval` rule (vrp-ntp-cli.md section 2, section 11 Q7/Q8): the next poll interval
// of an association.
#pragma once

namespace wiretime::engine {

struct UnsyncPollConfig {
  bool configured = false;
  int cap_exponent = 10;  // poll-interval-value: ceiling 2^V s while unsynchronised
  int step_exponent = 6;  // dec-step: above the ceiling, decrease by 2^S s per poll
};

// RFC host poll: the system poll exponent clamped to the association's range, raised by the
// association's own floor (kiss-o'-death RATE and unreachable back-off).
int host_poll(int system_poll, int floor_exponent, int min_poll, int max_poll);

// Interval while the local clock is unsynchronised: starts at 2^min_poll (the caller's first
// poll) and from `current` goes to the next value. Without the command: double up to 1024 s.
// With it: above the ceiling subtract 2^S down to the ceiling, below it double up to it.
double unsync_next_interval(double current, const UnsyncPollConfig& config);

}  // namespace wiretime::engine
