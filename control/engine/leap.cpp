#include "control/engine/leap.hpp"

namespace wiretime::engine {

LeapKind leap_vote(std::span<const wire::LeapIndicator> survivors) {
  size_t insert = 0;
  size_t remove = 0;
  for (auto li : survivors) {
    if (li == wire::LeapIndicator::kInsertSecond) ++insert;
    if (li == wire::LeapIndicator::kDeleteSecond) ++remove;
  }
  if (2 * insert > survivors.size()) return LeapKind::kInsert;
  if (2 * remove > survivors.size()) return LeapKind::kDelete;
  return LeapKind::kNone;
}

UnixNanos next_utc_midnight(UnixNanos utc) {
  constexpr int64_t kDay = int64_t{86400} * 1'000'000'000;
  int64_t day = utc / kDay;
  if (utc % kDay < 0) --day;
  return (day + 1) * kDay;
}

}  // namespace wiretime::engine

namespace wiretime::engine {

bool ends_month(UnixNanos utc) {
  // Civil date of the next day (Howard Hinnant's days-to-civil): day 1 means month end today.
  constexpr int64_t kDay = int64_t{86400} * 1'000'000'000;
  int64_t z = next_utc_midnight(utc) / kDay + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  return day == 1;
}

}  // namespace wiretime::engine
