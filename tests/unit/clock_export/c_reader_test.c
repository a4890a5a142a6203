/* The installed reader compiles as C99 (with POSIX) and reads a segment written by hand from
 * the documented layout: CLOCK_MONOTONIC ticks mapped onto CLOCK_REALTIME, a 1 ms bound; the
 * interval must contain CLOCK_REALTIME read around it. Exit status 0 on success. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "include/wiretime/clock_reader.h"

static int64_t ns_of(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      return 1;                                                                \
    }                                                                          \
  } while (0)

int main(void) {
  char dir[] = "/tmp/wiretime-c-reader-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[64];
  snprintf(path, sizeof path, "%s/clock.shm", dir);

  struct wt_clock c;
  CHECK(wt_clock_open(&c, path) == -1); /* missing */

  struct wt_clock_segment seg;
  memset(&seg, 0, sizeof seg);
  seg.magic = WT_CLOCK_MAGIC;
  seg.version = WT_CLOCK_VERSION;
  seg.size = sizeof seg;
  struct wt_clock_data d;
  memset(&d, 0, sizeof d);
  d.generation = 7;
  d.tick_source = WT_TICKS_MONOTONIC;
  d.sync_state = WT_SYNC_SYNCHRONISED;
  d.ticks_per_second = 1e9;
  const int64_t mono = ns_of(CLOCK_MONOTONIC);
  const int64_t real = ns_of(CLOCK_REALTIME);
  /* utc0 = realtime at tick0 = mono, in 2^-64 s: whole seconds in hi, the fraction in lo. */
  d.tick0 = (uint64_t)mono;
  d.utc0_hi = real / 1000000000;
  d.utc0_lo = (uint64_t)(((unsigned __int128)(uint64_t)(real % 1000000000) << 64) / 1000000000u);
  d.shift = 28; /* 2^92 / 1e9: 2^-64 s per nanosecond tick, in [2^62, 2^63) */
  d.mult = 4951760157141521099ull;
  d.update_tick = (uint64_t)mono;
  d.root_dispersion = 1e-3;
  d.max_frequency_error = 15e-6;
  d.free_run_after = 64;
  memcpy(seg.words, &d, sizeof d);

  FILE* f = fopen(path, "wb");
  CHECK(f != NULL);
  CHECK(fwrite(&seg, sizeof seg, 1, f) == 1);
  fclose(f);

  CHECK(wt_clock_open(&c, path) == 0);
  struct wt_clock_interval i;
  const int64_t before = ns_of(CLOCK_REALTIME);
  CHECK(wt_clock_read(&c, &i) == 0);
  const int64_t after = ns_of(CLOCK_REALTIME);
  wt_clock_close(&c);
  CHECK(i.status == WT_STATUS_SYNCHRONISED);
  CHECK(i.generation == 7);
  CHECK(i.earliest_ns <= after && before <= i.latest_ns);
  CHECK(i.latest_ns - i.earliest_ns >= 2000000 && i.latest_ns - i.earliest_ns < 2100000);

  /* A file that is not a segment: -2. */
  f = fopen(path, "wb");
  CHECK(f != NULL);
  memset(&seg, 'x', sizeof seg);
  CHECK(fwrite(&seg, sizeof seg, 1, f) == 1);
  fclose(f);
  CHECK(wt_clock_open(&c, path) == -2);
  remove(path);
  remove(dir);
  puts("ok");
  return 0;
}
