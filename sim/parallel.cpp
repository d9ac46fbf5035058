#include "sim/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <time.h>
#include <unistd.h>

namespace sim {

namespace {
thread_local unsigned current_threads = 1;
}

unsigned threads_within_run() noexcept { return current_threads; }

ThreadsWithinRun::ThreadsWithinRun(unsigned threads) noexcept : previous_(current_threads) {
  current_threads = std::max(1u, threads);
}
ThreadsWithinRun::~ThreadsWithinRun() { current_threads = previous_; }

namespace {

// Waits a short while, spinning, for ready() to hold; says whether it did. Loops within a
// run come a few tens of microseconds apart, and a thread put to sleep and woken again
// takes about as long, so a thread that would sleep first looks for a while.
template <typename Ready>
bool spin_until(Ready&& ready) {
  constexpr auto limit = std::chrono::microseconds(100);
  const auto start = std::chrono::steady_clock::now();
  for (unsigned i = 1;; ++i) {
    if (ready()) return true;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
    if (i % 64 == 0 && std::chrono::steady_clock::now() - start > limit) return ready();
  }
}

// The helper threads of one calling thread, kept from call to call: a run makes several
// parallel loops a month, and starting and joining threads for each cost a few percent of
// a large run on two threads. Helper k takes part in a loop when k < wanted. A helper
// between loops, and the caller waiting for its helpers, spin a little before they sleep.
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_.store(true);
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }

  void run(std::size_t blocks, const std::function<void(std::size_t)>& body, unsigned helpers) {
    while (threads_.size() < helpers) {
      try {
        const auto index = static_cast<unsigned>(threads_.size());
        threads_.emplace_back([this, index] { serve(index); });
      } catch (const std::system_error&) {
        break;  // no more threads to be had (a process limit): those there and this one do it
      }
    }
    // No helper is in a loop now: each one called has finished and counted itself.
    body_ = &body;
    blocks_ = blocks;
    next_.store(0);
    failed_.store(false);
    error_ = nullptr;
    finished_.store(0);
    const unsigned wanted = std::min<unsigned>(helpers, static_cast<unsigned>(threads_.size()));
    // The loop's number and the helpers it wants, in one word that a helper reads at once.
    job_.store(((job_.load() >> 32) + 1) << 32 | wanted);  // seen by a spinning helper
    {
      std::lock_guard lock(mutex_);  // and by a sleeping one
    }
    wake_.notify_all();
    work();
    if (!spin_until([&] { return finished_.load() == wanted; })) {
      std::unique_lock lock(mutex_);
      done_.wait(lock, [&] { return finished_.load() == wanted; });
    }
    body_ = nullptr;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
  }

 private:
  void work() {
    for (;;) {
      const std::size_t b = next_.fetch_add(1);
      if (b >= blocks_ || failed_.load()) return;
      try {
        (*body_)(b);
      } catch (...) {
        std::lock_guard lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
        failed_.store(true);
      }
    }
  }

  void serve(unsigned index) {
    std::uint64_t seen = 0;
    for (;;) {
      const auto called = [&] { return stop_.load() || job_.load() >> 32 != seen >> 32; };
      if (!spin_until(called)) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, called);
      }
      if (stop_.load()) return;
      seen = job_.load();
      const auto wanted = static_cast<unsigned>(seen & 0xffffffffu);
      if (index >= wanted) continue;  // this loop has enough threads without this one
      work();
      if (finished_.fetch_add(1) + 1 == wanted) {
        std::lock_guard lock(mutex_);
        done_.notify_one();
      }
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_, error_mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t blocks_ = 0;
  // The words that threads write while others read them, each on its own cache line.
  alignas(64) std::atomic<std::size_t> next_{0};
  std::atomic<bool> failed_{false}, stop_{false};
  std::exception_ptr error_;
  alignas(64) std::atomic<unsigned> finished_{0};
  alignas(64) std::atomic<std::uint64_t> job_{0};  // the loop's number (high half) and helpers wanted (low)
};

// This thread's pool, and the process it was made in: after a fork the child has none of
// the parent's threads, so it leaves the copy it inherited alone and makes its own.
thread_local std::unique_ptr<Pool> pool;
thread_local pid_t pool_pid = 0;
// Set while this thread runs a parallel loop: a loop inside one runs on this thread alone.
thread_local bool in_loop = false;
thread_local double loop_cpu = 0;  // loop_cpu_seconds()

double thread_cpu_seconds() noexcept {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace

double loop_cpu_seconds() noexcept { return loop_cpu; }

void parallel_blocks(std::size_t blocks, const std::function<void(std::size_t)>& body) {
  if (in_loop) {
    for (std::size_t b = 0; b < blocks; ++b) body(b);
    return;
  }
  struct Count {
    double start = thread_cpu_seconds();
    ~Count() {
      in_loop = false;
      loop_cpu += thread_cpu_seconds() - start;
    }
  } count;
  in_loop = true;
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(current_threads, blocks));
  if (threads <= 1) {
    for (std::size_t b = 0; b < blocks; ++b) body(b);
    return;
  }
  if (const pid_t pid = ::getpid(); !pool || pool_pid != pid) {
    if (pool) (void)pool.release();  // the parent's: its threads are not in this process
    pool = std::make_unique<Pool>();
    pool_pid = pid;
  }
  pool->run(blocks, body, threads - 1);
}

}  // namespace sim
