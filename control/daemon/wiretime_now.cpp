// wiretime-now: prints the shared-memory clock's reading, an interval that contains true UTC,
// with its status, as text or JSON (--json). The reading is the installed header-only reader's
// (include/wiretime/clock_reader.h), the same an application would make. --realtime also reads
// the host's CLOCK_REALTIME around it and says whether that lies inside (a lab check, where the
// host clock is the truth).
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "include/wiretime/clock_reader.h"

namespace {

const char* status_name(wt_clock_status s) {
  switch (s) {
    case WT_STATUS_SYNCHRONISED:
      return "synchronised";
    case WT_STATUS_FREE_RUNNING:
      return "free-running";
    case WT_STATUS_DISRUPTED:
      return "disrupted";
    case WT_STATUS_UNKNOWN:
      break;
  }
  return "unknown";
}

std::string iso(int64_t ns) {
  int64_t sec = ns / 1'000'000'000;
  int64_t frac = ns % 1'000'000'000;
  if (frac < 0) {
    frac += 1'000'000'000;
    --sec;
  }
  const auto t = static_cast<time_t>(sec);
  tm utc{};
  gmtime_r(&t, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09" PRId64 "Z", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, frac);
  return buf;
}

int usage() {
  std::fprintf(stderr,
               "usage: wiretime-now [--json] [--realtime] [--path FILE]  (default "
               "/run/wiretime/clock.shm)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  bool realtime = false;
  std::string path = "/run/wiretime/clock.shm";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (std::strcmp(argv[i], "--realtime") == 0) {
      realtime = true;
    } else if (std::strcmp(argv[i], "--path") == 0 && i + 1 < argc) {
      path = argv[++i];
    } else {
      return usage();
    }
  }
  wt_clock c;
  const int rc = wt_clock_open(&c, path.c_str());
  if (rc != 0) {
    const char* why = rc == -1   ? std::strerror(errno)
                      : rc == -2 ? "not a wiretime clock segment (bad magic)"
                                 : "segment version or size this tool does not know";
    std::fprintf(stderr, "wiretime-now: %s: %s\n", path.c_str(), why);
    return 1;
  }
  wt_clock_interval r{};
  timespec r0{}, r1{};
  clock_gettime(CLOCK_REALTIME, &r0);
  const int read = wt_clock_read(&c, &r);
  clock_gettime(CLOCK_REALTIME, &r1);
  const int64_t host0 = static_cast<int64_t>(r0.tv_sec) * 1'000'000'000 + r0.tv_nsec;
  const int64_t host1 = static_cast<int64_t>(r1.tv_sec) * 1'000'000'000 + r1.tv_nsec;
  // The host clock was read on both sides of the reading: inside if either side could be.
  const bool host_inside = r.earliest_ns <= host1 && host0 <= r.latest_ns;
  if (read != 0) {
    std::fprintf(stderr, "wiretime-now: %s: the writer never finished an update\n", path.c_str());
    wt_clock_close(&c);
    return 1;
  }
  wt_clock_close(&c);
  const int64_t mid = r.earliest_ns + (r.latest_ns - r.earliest_ns) / 2;
  const int64_t half = (r.latest_ns - r.earliest_ns) / 2;
  const bool bounded = r.status != WT_STATUS_UNKNOWN;
  if (json) {
    std::printf("{\"status\": \"%s\", \"now_ns\": %" PRId64 ", \"earliest_ns\": %" PRId64
                ", \"latest_ns\": %" PRId64 ", \"half_width_ns\": %s, \"generation\": %" PRIu64
                ", \"since_update_s\": %.3f, \"leap_indicator\": %u",
                status_name(r.status), mid, r.earliest_ns, r.latest_ns,
                bounded ? std::to_string(half).c_str() : "null", r.generation, r.since_update,
                r.leap_indicator);
    if (realtime) {
      std::printf(", \"realtime_ns\": %" PRId64 ", \"realtime_bracket_ns\": %" PRId64
                  ", \"realtime_inside\": %s",
                  host0 + (host1 - host0) / 2, host1 - host0, host_inside ? "true" : "false");
    }
    std::printf("}\n");
  } else if (bounded) {
    std::printf("%s +- %.3f us (%s, generation %" PRIu64 ", %.1f s since the last update)\n",
                iso(mid).c_str(), static_cast<double>(half) / 1e3, status_name(r.status),
                r.generation, r.since_update);
    std::printf("earliest %s\nlatest   %s\n", iso(r.earliest_ns).c_str(), iso(r.latest_ns).c_str());
    if (realtime) {
      std::printf("host CLOCK_REALTIME %s, %+.3f us from the middle: %s\n", iso(host0).c_str(),
                  static_cast<double>(host0 + (host1 - host0) / 2 - mid) / 1e3,
                  host_inside ? "inside" : "OUTSIDE");
    }
  } else {
    std::printf("%s (unknown: not synchronised yet, no bound; generation %" PRIu64 ")\n",
                iso(mid).c_str(), r.generation);
  }
  return 0;
}
