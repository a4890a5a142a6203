// What an application pays for the time: the shared-memory clock's bounded read (seqlock copy,
// fenced rdtsc, model, bound; include/wiretime/clock_reader.h) against clock_gettime and
// ntp_gettime (the kernel's time with its maxerror), in the same run. The segment is a real
// file mapped the way wiretime-now maps it.
#include <benchmark/benchmark.h>
#include <sys/timex.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "control/clock/clock_segment_writer.hpp"
#include "include/wiretime/clock_reader.h"

namespace wiretime::clock {
namespace {

struct MappedSegment {
  std::string dir;
  std::string path;
  wt_clock reader{};
  MappedSegment() {
    char tmpl[] = "/tmp/wiretime-bench-XXXXXX";
    dir = mkdtemp(tmpl);
    path = dir + "/clock.shm";
    const int fd = open(path.c_str(), O_RDWR | O_CREAT, 0644);
    if (fd < 0 || ftruncate(fd, sizeof(wt_clock_segment)) != 0) std::abort();
    void* p = mmap(nullptr, sizeof(wt_clock_segment), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) std::abort();
    writer_segment = static_cast<wt_clock_segment*>(p);
    ClockSegmentWriter w(writer_segment, WT_TICKS_TSC, 2.9e9);
    w.set_model(ClockModel::from_rate(wt_clock_read_tsc(), 1'795'000'000LL * 1'000'000'000, 2.9e9)
                    .with_frequency(wt_clock_read_tsc(), 12'345.0));
    w.data().sync_state = WT_SYNC_SYNCHRONISED;
    w.data().update_tick = wt_clock_read_tsc();
    w.data().root_delay = 100e-6;
    w.data().max_frequency_error = 15e-6;
    w.data().free_run_after = 1e9;
    w.publish();
    if (wt_clock_open(&reader, path.c_str()) != 0) std::abort();
  }
  ~MappedSegment() {
    wt_clock_close(&reader);
    munmap(writer_segment, sizeof(wt_clock_segment));
    unlink(path.c_str());
    rmdir(dir.c_str());
  }
  wt_clock_segment* writer_segment = nullptr;
};

void BM_ClockReaderRead(benchmark::State& state) {
  MappedSegment seg;
  wt_clock_interval i{};
  for (auto _ : state) {
    wt_clock_read(&seg.reader, &i);
    benchmark::DoNotOptimize(i);
  }
}
BENCHMARK(BM_ClockReaderRead);

void BM_ClockGettimeRealtime(benchmark::State& state) {
  timespec ts{};
  for (auto _ : state) {
    clock_gettime(CLOCK_REALTIME, &ts);
    benchmark::DoNotOptimize(ts);
  }
}
BENCHMARK(BM_ClockGettimeRealtime);

void BM_NtpGettime(benchmark::State& state) {
  ntptimeval tv{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(ntp_gettime(&tv));
    benchmark::DoNotOptimize(tv);
  }
}
BENCHMARK(BM_NtpGettime);

}  // namespace
}  // namespace wiretime::clock
