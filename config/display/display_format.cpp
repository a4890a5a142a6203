#include "config/display/display_format.hpp"

#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace wiretime::display {

std::string format(const char* pattern, ...) {
  va_list args;
  va_start(args, pattern);
  va_list copy;
  va_copy(copy, args);
  const int size = std::vsnprintf(nullptr, 0, pattern, copy);
  va_end(copy);
  std::string out(static_cast<size_t>(size > 0 ? size : 0), '\0');
  if (size > 0) std::vsnprintf(out.data(), out.size() + 1, pattern, args);
  va_end(args);
  return out;
}

std::string milliseconds(double seconds, int decimals) {
  std::string text = format("%.*f", decimals, seconds * 1e3);
  // "-0.00" says nothing a plain zero does not.
  if (text.find_first_not_of("-0.") == std::string::npos && text[0] == '-') text.erase(0, 1);
  return text;
}

std::string ntp_time(NtpTimestamp t, UnixNanos pivot) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  using namespace std::chrono;
  // Era 0 starts 2208988800 s before the Unix epoch; int64 nanoseconds reach back to 1678.
  const UnixNanos unix_ns =
      t.is_zero() ? -kNtpUnixEpochOffsetSeconds * 1'000'000'000 : t.to_unix_nanos(pivot);
  const sys_time<nanoseconds> instant{nanoseconds(unix_ns)};
  const sys_days day = floor<days>(instant);
  const year_month_day date{day};
  const auto since_midnight = duration_cast<std::chrono::milliseconds>(instant - day);
  const int64_t ms = since_midnight.count();
  return format("%02d:%02d:%02d.%03d UTC %s %u %d(%08X.%08X)", static_cast<int>(ms / 3'600'000),
                static_cast<int>(ms / 60'000 % 60), static_cast<int>(ms / 1000 % 60),
                static_cast<int>(ms % 1000), kMonths[static_cast<unsigned>(date.month()) - 1],
                static_cast<unsigned>(date.day()), static_cast<int>(date.year()), t.seconds(),
                t.fraction());
}

std::string precision(int8_t log2_seconds) {
  return format("2^%d", -static_cast<int>(log2_seconds));
}

std::string seconds(double value) {
  if (value >= 1.0 || value <= 0.0)
    return format("%lld", static_cast<long long>(std::floor(value)));
  return format("%g", value);
}

namespace {

std::string dotted(uint32_t id) {
  return format("%u.%u.%u.%u", id >> 24, (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff);
}

// Four ASCII characters, NUL-padded; nullopt when any is not printable.
bool ascii_code(uint32_t id, std::string& out) {
  out.clear();
  for (int shift = 24; shift >= 0; shift -= 8) {
    const char c = static_cast<char>((id >> shift) & 0xff);
    if (c == '\0') break;
    if (c < 0x20 || c > 0x7e) return false;
    out += c;
  }
  return !out.empty();
}

}  // namespace

std::string reference_id_raw(uint32_t id, uint8_t stratum) {
  if (id == 0) return "none";
  std::string code;
  if ((stratum <= 1 || stratum >= 16) && ascii_code(id, code)) return code;
  return dotted(id);
}

std::string reference_id(uint32_t id, uint8_t stratum) {
  if ((id >> 8) == ((127u << 16) | (127u << 8) | 1u)) {
    return format("LOCAL(%u)", id & 0xff);
  }
  return reference_id_raw(id, stratum);
}

}  // namespace wiretime::display
