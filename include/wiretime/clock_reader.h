/* Reader of wiretimed's shared-memory clock (clock.shm-path; default /run/wiretime/clock.shm):
 *
 *   struct wt_clock c;
 *   if (wt_clock_open(&c, "/run/wiretime/clock.shm") != 0) ...;   // open + mmap, read-only
 *   struct wt_clock_interval i;
 *   if (wt_clock_read(&c, &i) == 0 && i.status != WT_STATUS_UNKNOWN) ... [i.earliest_ns,
 * i.latest_ns] wt_clock_close(&c);
 *
 * wt_clock_read makes no system call: it reads the TSC (or CLOCK_MONOTONIC through the vDSO
 * for the socket backend) and the segment's seqlock. Header-only, C99 or C++ (GCC/Clang).
 * A reading's generation changes when the clock stepped or the daemon restarted: compare it
 * before comparing times. Statuses: unknown (never synchronised: no bound), synchronised,
 * free-running (no update for free_run_after seconds, or the sources are lost: the bound keeps
 * growing at max_frequency_error), disrupted (do not use the time). */
#ifndef WIRETIME_CLOCK_READER_H
#define WIRETIME_CLOCK_READER_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock_segment.h"

#ifdef __cplusplus
extern "C" {
#endif

struct wt_clock {
  const struct wt_clock_segment* segment;
  size_t length;
};

/* The TSC, ordered after the loads and stores before it and before the loads after it
 * (lfence on both sides): the writer's tick of a change, read after its sequence went odd.
 * Only on x86-64; other targets read CLOCK_MONOTONIC segments only. */
static inline uint64_t wt_clock_read_tsc(void) {
#if defined(__x86_64__) || defined(__i386__)
  uint32_t lo, hi;
  __asm__ __volatile__("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
  return ((uint64_t)hi << 32) | lo;
#else
  return 0;
#endif
}

/* The reader's TSC read: ordered only before the loads after it (the words and the closing
 * sequence read), one fence less. It may run ahead of the opening sequence read; the only
 * harm is a tick slightly earlier than the tick0 of a model published just before, which
 * wt_clock_snapshot clamps to tick0 (every model change is continuous at its tick0). */
static inline uint64_t wt_clock_read_tsc_reader(void) {
#if defined(__x86_64__) || defined(__i386__)
  uint32_t lo, hi;
  __asm__ __volatile__("rdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
  return ((uint64_t)hi << 32) | lo;
#else
  return 0;
#endif
}

static inline uint64_t wt_clock_read_ticks(uint32_t source) {
  if (source == WT_TICKS_TSC) return wt_clock_read_tsc_reader();
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* 0 on success; -1 with errno from open/fstat/mmap; -2 not a wiretime clock segment (magic);
 * -3 a version or size this reader does not know. */
static inline int wt_clock_open(struct wt_clock* c, const char* path) {
  c->segment = 0;
  c->length = 0;
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return -1;
  }
  if ((size_t)st.st_size < sizeof(struct wt_clock_segment)) {
    close(fd);
    return -3;
  }
  void* p = mmap(0, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) return -1;
  const struct wt_clock_segment* s = (const struct wt_clock_segment*)p;
  int rc = 0;
  if (__atomic_load_n(&s->magic, __ATOMIC_ACQUIRE) != WT_CLOCK_MAGIC)
    rc = -2;
  else if (s->version != WT_CLOCK_VERSION || s->size < sizeof(struct wt_clock_segment))
    rc = -3;
  if (rc != 0) {
    munmap(p, (size_t)st.st_size);
    return rc;
  }
  c->segment = s;
  c->length = (size_t)st.st_size;
  return 0;
}

static inline void wt_clock_close(struct wt_clock* c) {
  if (c->segment) munmap((void*)c->segment, c->length);
  c->segment = 0;
  c->length = 0;
}

/* A consistent copy of the data words and a tick read inside the same read section. 0, or -1
 * when the writer stayed inside its write section for all attempts (it died while writing). */
static inline int wt_clock_snapshot(const struct wt_clock_segment* s, struct wt_clock_data* d,
                                    uint64_t* ticks) {
  uint64_t w[WT_CLOCK_DATA_WORDS];
  for (int attempt = 0; attempt < 100000; ++attempt) {
    const uint64_t s1 = __atomic_load_n(&s->seq, __ATOMIC_SEQ_CST);
    if (s1 & 1u) continue;
    /* The tick source is in the data, which a restarted writer may change: read it first. */
    const uint32_t source = (uint32_t)(__atomic_load_n(&s->words[1], __ATOMIC_RELAXED));
    uint64_t t = wt_clock_read_ticks(source);
    for (size_t i = 0; i < WT_CLOCK_DATA_WORDS; ++i)
      w[i] = __atomic_load_n(&s->words[i], __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&s->seq, __ATOMIC_SEQ_CST) == s1) {
      memcpy(d, w, sizeof *d);
      /* A tick read ahead of the sequence, before the model's tick0 (by at most the read's
       * reordering window; much more is a tick source reset, left for the status to flag). */
      const int64_t before = (int64_t)(d->tick0 - t);
      if (before > 0 && (double)before < d->ticks_per_second * 1e-3) t = d->tick0;
      if (ticks) *ticks = t;
      return 0;
    }
  }
  return -1;
}

/* 0 and the interval now; -1 when the segment could not be read consistently (the writer sat
 * in its write section for all 100000 attempts: preempted, or dead mid-update): try again. */
static inline int wt_clock_read(const struct wt_clock* c, struct wt_clock_interval* out) {
  struct wt_clock_data d;
  uint64_t t = 0;
  if (wt_clock_snapshot(c->segment, &d, &t) != 0) return -1;
  *out = wt_clock_interval_at(&d, t);
  return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* WIRETIME_CLOCK_READER_H */
