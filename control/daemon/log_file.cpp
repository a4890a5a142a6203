#include "control/daemon/log_file.hpp"

#include <cerrno>
#include <cstring>

namespace wiretime::daemon {
namespace {

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
CivilDate civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::string format(UnixNanos t, char separator, const char* suffix) {
  constexpr int64_t kNsPerDay = 86'400'000'000'000;
  int64_t days = t / kNsPerDay;
  int64_t rem = t % kNsPerDay;
  if (rem < 0) {
    rem += kNsPerDay;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  const int64_t secs = rem / 1'000'000'000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u%c%02lld:%02lld:%02lld.%09lld%s",
                static_cast<long long>(date.year), date.month, date.day, separator,
                static_cast<long long>(secs / 3600), static_cast<long long>(secs / 60 % 60),
                static_cast<long long>(secs % 60), static_cast<long long>(rem % 1'000'000'000),
                suffix);
  return buf;
}

}  // namespace

std::string format_utc_columns(UnixNanos t) {
  return format(t, ' ', "");
}
std::string format_utc(UnixNanos t) {
  return format(t, 'T', "Z");
}

LineFile::~LineFile() {
  if (file_ != nullptr) std::fclose(file_);
}

std::string LineFile::open(const std::string& path, const std::string& header) {
  file_ = std::fopen(path.c_str(), "a");
  if (file_ == nullptr) return "cannot open " + path + ": " + std::strerror(errno);
  if (std::ftell(file_) == 0) {
    std::fputs(header.c_str(), file_);
    std::fflush(file_);
  }
  return "";
}

void LineFile::write_line(const std::string& line) {
  if (file_ == nullptr) return;
  std::fputs(line.c_str(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

}  // namespace wiretime::daemon
