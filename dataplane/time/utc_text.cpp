#include "dataplane/time/utc_text.hpp"

#include <chrono>
#include <cstdio>

namespace wiretime {
namespace {

std::string format(UnixNanos t, char separator, const char* suffix) {
  using namespace std::chrono;
  const sys_time<nanoseconds> instant{nanoseconds{t}};
  // floor, not truncation: instants before 1970 still get a time of day in [0, 24 h).
  const sys_days day = floor<days>(instant);
  const year_month_day date{day};
  const hh_mm_ss<nanoseconds> time{instant - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u%c%02d:%02d:%02lld.%09lld%s",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), separator,
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()), suffix);
  return buf;
}

}  // namespace

std::string format_utc(UnixNanos t) {
  return format(t, 'T', "Z");
}

std::string format_utc_columns(UnixNanos t) {
  return format(t, ' ', "");
}

}  // namespace wiretime
