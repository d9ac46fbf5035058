#include "sim/experiment.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#include "sim/error.h"
#include "sim/mpi.h"
#include "sim/parallel.h"
#include "sim/runner.h"
#include "sim/signals.h"
#include "sim/spool.h"

namespace sim {

namespace fs = std::filesystem;

namespace {

// A task's result as bytes: a run that throws becomes a failed record with its message.
std::string run_one(const Plan& plan, const Task& task, std::uint64_t t) {
  RunRecord r;
  try {
    r = task(plan.case_of(t), plan.replicate_of(t));
  } catch (const std::exception& e) {
    r = RunRecord{};
    r.months = plan.months;
    r.years = (plan.months + 11) / 12;
    r.error = e.what();
    if (r.error.empty()) r.error = "unknown error";
  }
  return encode(t, r);
}

// Runs `todo` on a thread pool; the calling thread is the one writer.
void run_threads(const Plan& plan, const Task& task, const std::vector<std::uint64_t>& todo, unsigned threads,
                 unsigned within, Spool& spool, Progress& progress, Outcome& out) {
  struct Done {
    std::uint64_t task;
    std::string bytes;
  };
  std::mutex mutex;
  std::condition_variable ready, room;
  std::deque<Done> queue;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abandon{false};  // the writer failed: workers stop and are joined
  std::size_t active = 0;
  const std::size_t capacity = 2 * static_cast<std::size_t>(threads);  // bounds memory

  auto worker = [&] {
    const ThreadsWithinRun share(within);
    for (;;) {
      if (stop_requested() || abandon.load()) break;
      const std::size_t i = next++;
      if (i >= todo.size()) break;
      std::string bytes = run_one(plan, task, todo[i]);
      std::unique_lock lock(mutex);
      room.wait(lock, [&] { return queue.size() < capacity || abandon.load(); });
      if (abandon.load()) break;
      queue.push_back({todo[i], std::move(bytes)});
      ready.notify_one();
    }
    std::lock_guard lock(mutex);
    --active;
    ready.notify_one();
  };
  std::vector<std::thread> pool;
  active = threads;
  for (unsigned k = 0; k < threads; ++k) pool.emplace_back(worker);

  std::size_t written = 0;
  auto last_sync = std::chrono::steady_clock::now();
  try {
    for (;;) {
      std::unique_lock lock(mutex);
      ready.wait(lock, [&] { return !queue.empty() || active == 0; });
      if (queue.empty()) break;
      Done d = std::move(queue.front());
      queue.pop_front();
      room.notify_one();
      lock.unlock();
      spool.append_encoded(d.task, d.bytes);
      ++written;
      progress.tick(out.resumed + written);
      if (std::chrono::steady_clock::now() - last_sync > std::chrono::seconds(10)) {
        spool.sync();
        last_sync = std::chrono::steady_clock::now();
      }
    }
  } catch (...) {
    // A spool that cannot be written (a full disk): stop the workers and join them
    // before the error goes up, so it reaches the user with its cause.
    {
      std::lock_guard lock(mutex);
      abandon.store(true);
    }
    room.notify_all();
    for (auto& t : pool) t.join();
    throw;
  }
  for (auto& t : pool) t.join();
  out.ran = written;
}

}  // namespace

fs::path spool_path(const fs::path& output) {
  fs::path p = output;
  p += ".spool";
  return p;
}

Outcome execute(const Plan& plan, const Task& task, const fs::path& output, const ExecOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Outcome out;
  out.total = plan.tasks();
  const fs::path sp = spool_path(output);

  if (mpi::size() > 1 && mpi::rank() != 0) {
    // Compute-only rank: the writer checks the spool and hands out the work.
    mpi::serve([&](std::uint64_t t) { return run_one(plan, task, t); });
    out.writer = false;
    return out;
  }

  Spool spool = [&] {
    if (fs::exists(sp)) {
      if (options.resume) return Spool::resume(sp, plan.fingerprint);
      throw InputError(sp.string() + ": an interrupted run of an experiment writing " + output.string() +
                       " left its finished runs here. Continue it with --resume, or delete the file to start "
                       "afresh.");
    }
    // A job script may always say --resume: the first submission then starts afresh.
    if (options.resume) std::fprintf(stderr, "berdaya: no spool %s to resume: starting afresh\n", sp.c_str());
    return Spool::create(sp, plan.fingerprint);
  }();
  std::vector<std::uint64_t> todo;
  for (std::uint64_t t = 0; t < out.total; ++t)
    if (!spool.has(t)) todo.push_back(t);
  out.resumed = out.total - todo.size();

  SignalGuard guard;
  Progress progress(out.total, out.resumed, options.what, options.progress);
  if (mpi::size() > 1) {
    std::size_t written = 0;
    mpi::coordinate(
        todo,
        [&](std::uint64_t t, const std::string& bytes) {
          spool.append_encoded(t, bytes);
          progress.tick(out.resumed + ++written);
        },
        [] { return stop_requested(); });
    out.ran = written;
  } else {
    // One worker per run up to the thread count; what is left over goes to the runs
    // themselves (all of it to a single large run).
    const unsigned allowed = resolve_threads(options.threads);
    const unsigned threads =
        static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(allowed, todo.size())));
    run_threads(plan, task, todo, threads, std::max(1u, allowed / threads), spool, progress, out);
  }
  spool.sync();
  out.interrupted = stop_requested() && spool.size() < out.total;
  out.failed = spool.failed();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace sim
