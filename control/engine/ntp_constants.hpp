// RFC 5905 protocol and discipline constants (section 7.3, appendix A.1.1), in seconds and s/s.
#pragma once

#include <cstdint>

namespace wiretime::engine {

inline constexpr int kNstage = 8;                  // clock filter stages
inline constexpr double kMaxDisp = 16.0;           // maximum dispersion
inline constexpr double kMinDisp = 0.005;          // minimum dispersion increment
inline constexpr double kPhi = 15e-6;              // frequency tolerance (15 ppm)
inline constexpr double kMaxDistDefault = 1.0;     // VRP `ntp max-distance` default (s)
inline constexpr int kNsanity = 1;                 // CMIN: minimum survivors for a system peer
inline constexpr int kNmin = 3;                    // cluster stops pruning at this many survivors
inline constexpr double kStepThreshold = 0.128;    // STEPT
inline constexpr double kStepout = 900.0;          // WATCH: stepout interval
inline constexpr double kPanicThreshold = 1000.0;  // PANICT
inline constexpr double kMaxFreq = 500e-6;         // frequency limit
inline constexpr int kPgate = 4;                   // poll-adjust gate
inline constexpr int kLimit = 30;                  // poll-adjust threshold
inline constexpr int kAvg = 4;                     // averaging constant for jitter/wander
inline constexpr double kPllGain = 16.0;           // ntpd CLOCK_PLL (see docs/engine.md)
inline constexpr double kFllGain = 0.25;           // ntpd CLOCK_FLL
inline constexpr int kAllanPoll = 11;              // log2 Allan intercept (2048 s)
inline constexpr double kMaxSlewRate = 500e-6;     // bounded slew rate of the clock model

// Poll exponents. RFC minpoll 4 / maxpoll 17; VRP defaults 6 and 10 (vrp-ntp-cli.md 4.1). The
// YAML lab extension allows exponents down to -4.
inline constexpr int kMinPollDefault = 6;
inline constexpr int kMaxPollDefault = 10;
inline constexpr int kPollFloor = -4;
inline constexpr int kPollCeiling = 17;
inline constexpr int kUnsyncCapDefault = 10;  // 1024 s without `ntp unsync max-poll-interval`

// Burst sizes and spacing decided in vrp-ntp-cli.md section 11 Q17.
inline constexpr int kBurstCount = 8;
inline constexpr int kIburstCount = 6;
inline constexpr double kBurstSpacing = 2.0;

// Start-up wait for a majority: beyond its initial burst (or its second poll without iburst,
// the regression needs two samples) a server gets this long to answer.
inline constexpr double kStartupReplyGrace = 3.0;

// Polls without a reply before the association's poll interval backs off (ntpd UNREACH).
inline constexpr int kUnreachBackoff = 12;

inline constexpr uint8_t kStratumUnsynchronized = 16;

}  // namespace wiretime::engine
