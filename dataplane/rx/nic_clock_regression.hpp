// Maps a NIC's free-running clock onto the TSC: least-squares line through the most recent
// (NIC clock, TSC) pairs, each pair read back to back (rte_eth_read_clock bracketed by TSC
// reads). NIC RX stamps then land on the TSC timescale that the clock model turns into UTC, so
// hardware and software stamps share one clock. Pure (no DPDK): the caller reads the clocks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace wiretime::dpdk {

class NicClockRegression {
 public:
  static constexpr size_t kWindow = 16;
  // Pairs needed before stamps are converted (two define a line; a few more average noise).
  static constexpr size_t kMinPairs = 4;

  // A pair read at (about) the same instant. Pairs must come in increasing time order; a NIC
  // clock that goes backwards (reset, wrap) restarts the fit.
  void add(uint64_t nic, uint64_t tsc);

  bool ready() const { return count_ >= kMinPairs; }
  // TSC ticks per NIC tick of the current fit.
  double slope() const { return slope_; }
  // The TSC value at NIC time `nic`; nullopt until ready().
  std::optional<uint64_t> to_tsc(uint64_t nic) const;
  size_t pairs() const { return count_; }

 private:
  void fit();

  std::array<uint64_t, kWindow> nic_{};
  std::array<uint64_t, kWindow> tsc_{};
  size_t next_ = 0;
  size_t count_ = 0;
  // Fit: tsc = tsc0 + slope * (nic - nic0), around the newest pair (keeps doubles small).
  uint64_t nic0_ = 0;
  uint64_t tsc0_ = 0;       // the newest pair's TSC ...
  double tsc0_offset_ = 0;  // ... plus this: the fitted TSC at nic0 (kept apart for precision)
  double slope_ = 0;
};

}  // namespace wiretime::dpdk
