/* The shared-memory clock segment wiretimed publishes (clock.shm-path), and the pure math of
 * its error bound. C-compatible (C99 with GCC/Clang builtins, or C++); no system call and no
 * clock read here: clock_reader.h adds the mapping and the tick read.
 *
 * Layout (little-endian, every field 8-byte aligned, version 1):
 *   header: magic, version, size (bytes of the whole segment), seq (seqlock), then padding to
 *           one cache line;
 *   data:   WT_CLOCK_DATA_WORDS 64-bit words (struct wt_clock_data), written by one writer under
 *           the seqlock: seq goes odd, the tick of the change is read, the words are stored, seq
 *           goes even. A reader reads seq (even), the tick, the words, then seq again and retries
 *           when it moved, so a tick later than the writer's change tick is never paired with the
 *           old model (the argument of dataplane/clock/published_clock.hpp): successive readings
 *           never run backwards within one generation.
 *
 * The bound: true UTC lies in [t - h, t + h] where t is the model's reading and
 *   h = |offset| + root_dispersion + root_delay / 2 + error_estimate
 *       + max_frequency_error * (seconds since the last update).
 * Root delay / 2 bounds the path asymmetry of the exchanges the update came from; root
 * dispersion carries the servers' own error and the filter's; `offset` is the correction the
 * clock had not yet applied; `error_estimate` the engine's scatter of the combined offset;
 * max_frequency_error (15 ppm, RFC 5905's PHI, plus the frequency estimate's error) the most
 * the oscillator can drift from the corrected rate since that update. */
#ifndef WIRETIME_CLOCK_SEGMENT_H
#define WIRETIME_CLOCK_SEGMENT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WT_CLOCK_MAGIC 0x4b4c434d49545257ULL /* "WRTIMCLK" */
#define WT_CLOCK_VERSION 1u

/* Tick sources. */
#define WT_TICKS_TSC 1u       /* x86 time-stamp counter (DPDK backend) */
#define WT_TICKS_MONOTONIC 2u /* CLOCK_MONOTONIC nanoseconds (socket backend) */

/* Synchronisation state the writer publishes. */
#define WT_SYNC_UNKNOWN 0u      /* never synchronised since the daemon started: no bound */
#define WT_SYNC_SYNCHRONISED 1u /* the engine is synchronised to a source */
#define WT_SYNC_UNSYNCED 2u     /* synchronised before, lost its sources: free-running */
#define WT_SYNC_DISRUPTED 3u    /* the engine refused an update (panic): do not trust */

/* Status a reading reports. */
typedef enum {
  WT_STATUS_UNKNOWN = 0,
  WT_STATUS_SYNCHRONISED = 1,
  WT_STATUS_FREE_RUNNING = 2,
  WT_STATUS_DISRUPTED = 3
} wt_clock_status;

/* Leap indicator (NTP's LI) and pending leap. */
#define WT_LEAP_NONE 0u
#define WT_LEAP_INSERT 1u
#define WT_LEAP_DELETE 2u

struct wt_clock_data {
  uint64_t generation;     /* bumped at every step, leap step and daemon start */
  uint32_t tick_source;    /* WT_TICKS_* */
  uint32_t sync_state;     /* WT_SYNC_* */
  double ticks_per_second; /* nominal rate of the tick source */
  /* Tick -> UTC model: utc(2^-64 s since 1970) = utc0 + ((ticks - tick0) * mult) >> shift. */
  uint64_t tick0;
  int64_t utc0_hi; /* utc0 = utc0_hi * 2^64 + utc0_lo (signed 128-bit) */
  uint64_t utc0_lo;
  uint64_t mult;
  uint32_t shift;
  uint32_t leap_indicator; /* LI of the last update: WT_LEAP_* or 3 (unsynchronised) */
  uint32_t pending_leap;   /* WT_LEAP_* scheduled at the end of the current UTC day */
  uint32_t stratum;
  /* Error bound parameters at the last update. */
  uint64_t update_tick;       /* tick of the last clock update */
  int64_t update_utc_ns;      /* its UTC, ns since 1970 (for display) */
  double offset;              /* s, correction not yet applied at the update (signed) */
  double root_delay;          /* s */
  double root_dispersion;     /* s */
  double error_estimate;      /* s */
  double max_frequency_error; /* s/s, growth of the bound after the update */
  double free_run_after;      /* s of silence after which the status is free-running */
};

#define WT_CLOCK_DATA_WORDS (sizeof(struct wt_clock_data) / 8)

struct wt_clock_segment {
  uint64_t magic;
  uint32_t version;
  uint32_t size;
  uint64_t seq;
  uint64_t reserved[5]; /* the data starts on its own cache line */
  uint64_t words[WT_CLOCK_DATA_WORDS];
};

/* Half-width of the interval, s, `since_update` s after the last update (negative: 0). */
static inline double wt_clock_half_width(const struct wt_clock_data* d, double since_update) {
  const double offset = d->offset < 0 ? -d->offset : d->offset;
  const double age = since_update > 0 ? since_update : 0;
  return offset + d->root_dispersion + d->root_delay / 2 + d->error_estimate +
         d->max_frequency_error * age;
}

/* Status of a reading `since_update` s after the last update. */
static inline wt_clock_status wt_clock_status_at(const struct wt_clock_data* d,
                                                 double since_update) {
  if (d->sync_state == WT_SYNC_UNKNOWN) return WT_STATUS_UNKNOWN;
  /* A tick before the update: the tick source was reset (another boot, another machine). */
  if (d->sync_state == WT_SYNC_DISRUPTED || since_update < -1e-3) return WT_STATUS_DISRUPTED;
  if (d->sync_state == WT_SYNC_UNSYNCED || since_update > d->free_run_after)
    return WT_STATUS_FREE_RUNNING;
  return WT_STATUS_SYNCHRONISED;
}

/* UTC of `ticks` under the model, ns since 1970 (rounded to nearest). */
static inline int64_t wt_clock_utc_ns(const struct wt_clock_data* d, uint64_t ticks) {
  __extension__ typedef __int128 wt_i128;
  __extension__ typedef unsigned __int128 wt_u128;
  const wt_i128 utc0 = (wt_i128)(((wt_u128)(uint64_t)d->utc0_hi << 64) | d->utc0_lo);
  const uint64_t forward = ticks - d->tick0;
  wt_i128 delta;
  if (forward <= ((uint64_t)1 << 63)) {
    delta = (wt_i128)(((wt_u128)forward * d->mult) >> d->shift);
  } else {
    delta = -(wt_i128)(((wt_u128)(d->tick0 - ticks) * d->mult) >> d->shift);
  }
  const wt_i128 fixed = utc0 + delta;
  return (int64_t)((fixed * 1000000000 + ((wt_i128)1 << 63)) >> 64);
}

/* Seconds from the last update to `ticks` (negative if `ticks` is earlier). */
static inline double wt_clock_since_update(const struct wt_clock_data* d, uint64_t ticks) {
  return (double)(int64_t)(ticks - d->update_tick) / d->ticks_per_second;
}

/* One reading: the interval [earliest_ns, latest_ns] (ns since 1970, UTC) that contains true
 * time unless status is WT_STATUS_UNKNOWN (then both are the model's reading: no bound). */
struct wt_clock_interval {
  int64_t earliest_ns;
  int64_t latest_ns;
  wt_clock_status status;
  uint32_t leap_indicator;
  uint64_t generation;
  double since_update; /* s */
};

static inline struct wt_clock_interval wt_clock_interval_at(const struct wt_clock_data* d,
                                                            uint64_t ticks) {
  struct wt_clock_interval r;
  const int64_t now = wt_clock_utc_ns(d, ticks);
  const double since = wt_clock_since_update(d, ticks);
  r.status = wt_clock_status_at(d, since);
  r.leap_indicator = d->leap_indicator;
  r.generation = d->generation;
  r.since_update = since;
  if (r.status == WT_STATUS_UNKNOWN) {
    r.earliest_ns = r.latest_ns = now;
    return r;
  }
  double h = wt_clock_half_width(d, since) * 1e9;
  if (h > 9.0e18) h = 9.0e18;
  /* Rounded up: the interval never shrinks by the conversion. */
  const int64_t hn = (int64_t)h + 1;
  r.earliest_ns = now - hn;
  r.latest_ns = now + hn;
  return r;
}

#ifdef __cplusplus
}
#endif

#endif /* WIRETIME_CLOCK_SEGMENT_H */
