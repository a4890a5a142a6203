#include "control/resolver/name_resolver.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>

namespace wiretime::resolver {
namespace {

LookupResult guarded(const LookupFunction& lookup, const std::string& name, AddressFamily family) {
  try {
    return lookup(name, family);
  } catch (const std::exception& e) {
    return {{}, std::string("lookup failed: ") + e.what()};
  } catch (...) {
    return {{}, "lookup failed"};
  }
}

}  // namespace

// State shared by the control thread and the lookup thread.
struct NameResolver::Worker {
  struct Job {
    uint64_t tag = 0;
    uint64_t generation = 0;
    std::string name;
  };
  struct Done {
    uint64_t tag = 0;
    uint64_t generation = 0;
    LookupResult result;
  };

  LookupFunction lookup;
  AddressFamily family = AddressFamily::kAny;
  std::mutex mutex;
  std::condition_variable wake_worker;
  std::deque<Job> jobs;
  std::vector<Done> done;
  bool stop = false;
  bool busy = false;
  int pipe_read = -1, pipe_write = -1;

  ~Worker() {
    if (pipe_read >= 0) close(pipe_read);
    if (pipe_write >= 0) close(pipe_write);
  }

  void run() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex);
        wake_worker.wait(lock, [&] { return stop || !jobs.empty(); });
        if (stop) return;
        job = std::move(jobs.front());
        jobs.pop_front();
        busy = true;
      }
      LookupResult result = guarded(lookup, job.name, family);
      {
        std::lock_guard lock(mutex);
        busy = false;
        if (stop) return;
        done.push_back({job.tag, job.generation, std::move(result)});
      }
      // Non-blocking: a full pipe already says "answers waiting".
      const char byte = 1;
      [[maybe_unused]] const ssize_t n = write(pipe_write, &byte, 1);
    }
  }
};

NameResolver::NameResolver(const ResolverOptions& options, LookupFunction lookup)
    : options_(options), lookup_(std::move(lookup)) {
  if (!lookup_) {
    lookup_ = options_.mode == ResolverMode::kSynchronous
                  ? system_lookup_bounded(std::chrono::seconds(2), 2)
                  : LookupFunction(system_lookup);
  }
}

// The thread (and its pipe) start with the first name to resolve: a daemon configured with
// addresses only stays one thread, as syscall-interposing simulators need (socket backend).
void NameResolver::start_worker() {
  auto worker = std::make_shared<Worker>();
  worker->lookup = lookup_;
  worker->family = options_.family;
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0) {
    worker->pipe_read = fds[0];
    worker->pipe_write = fds[1];
  }
  worker_ = worker;
  thread_ = std::thread([worker] { worker->run(); });
}

NameResolver::~NameResolver() {
  if (!worker_) return;
  bool busy = false;
  {
    std::lock_guard lock(worker_->mutex);
    worker_->stop = true;
    busy = worker_->busy;
  }
  worker_->wake_worker.notify_all();
  // A lookup cannot be interrupted: rather than hold up shutdown until a DNS timeout, leave the
  // thread to finish it on its own; it owns a reference to the shared state.
  if (busy)
    thread_.detach();
  else
    thread_.join();
}

void NameResolver::resolve(uint64_t tag, const std::string& name, engine::SteadyNanos now) {
  (void)now;
  auto [it, inserted] = entries_.try_emplace(tag);
  Entry& e = it->second;
  if (!inserted && e.name == name && e.state != State::kDone) return;
  if (e.name != name) e.failures = 0;
  e.name = name;
  start(tag, e);
}

void NameResolver::cancel(uint64_t tag) {
  entries_.erase(tag);
}

void NameResolver::start(uint64_t tag, Entry& entry) {
  entry.generation = next_generation_++;
  if (options_.mode == ResolverMode::kWorkerThread && !worker_) start_worker();
  if (!worker_) {
    entry.state = State::kQueued;
    return;
  }
  entry.state = State::kInFlight;
  {
    std::lock_guard lock(worker_->mutex);
    worker_->jobs.push_back({tag, entry.generation, entry.name});
  }
  worker_->wake_worker.notify_one();
}

void NameResolver::finish(uint64_t tag, Entry& entry, LookupResult result, engine::SteadyNanos now,
                          std::vector<ResolveEvent>& out) {
  ResolveEvent event;
  event.tag = tag;
  event.name = entry.name;
  event.ok = result.ok();
  if (event.ok) {
    entry.failures = 0;
    entry.state = State::kDone;
    event.addresses = std::move(result.addresses);
  } else {
    ++entry.failures;
    entry.state = State::kWaitingRetry;
    entry.retry_at = now + backoff_delay(options_.backoff, entry.failures);
    event.error = result.error.empty() ? "no address" : std::move(result.error);
    event.retry_at = entry.retry_at;
  }
  event.failures = entry.failures;
  out.push_back(std::move(event));
}

void NameResolver::poll(engine::SteadyNanos now, std::vector<ResolveEvent>& out) {
  if (worker_) {
    char drain[64];
    while (worker_->pipe_read >= 0 && read(worker_->pipe_read, drain, sizeof drain) > 0) {
    }
    std::vector<Worker::Done> done;
    {
      std::lock_guard lock(worker_->mutex);
      done.swap(worker_->done);
    }
    for (auto& d : done) {
      auto it = entries_.find(d.tag);
      // Cancelled, or superseded by a newer request for this tag.
      if (it == entries_.end() || it->second.generation != d.generation ||
          it->second.state != State::kInFlight)
        continue;
      finish(d.tag, it->second, std::move(d.result), now, out);
    }
  }
  for (auto& [tag, e] : entries_)
    if (e.state == State::kWaitingRetry && e.retry_at <= now) start(tag, e);
  if (worker_) return;
  size_t ran = 0;
  for (auto& [tag, e] : entries_) {
    if (ran == options_.max_sync_lookups_per_poll) break;
    if (e.state != State::kQueued) continue;
    ++ran;
    finish(tag, e, guarded(lookup_, e.name, options_.family), now, out);
  }
}

std::optional<engine::SteadyNanos> NameResolver::next_due() const {
  std::optional<engine::SteadyNanos> due;
  for (const auto& [tag, e] : entries_) {
    if (e.state == State::kQueued) return engine::SteadyNanos{0};
    if (e.state == State::kWaitingRetry && (!due || e.retry_at < *due)) due = e.retry_at;
  }
  return due;
}

int NameResolver::wake_fd() const {
  return worker_ ? worker_->pipe_read : -1;
}

size_t NameResolver::pending() const {
  size_t n = 0;
  for (const auto& [tag, e] : entries_)
    if (e.state != State::kDone) ++n;
  return n;
}

}  // namespace wiretime::resolver
