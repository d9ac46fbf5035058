#include "sim/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

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

// The helper threads of one calling thread, kept from call to call: a run makes several
// parallel loops a month, and starting and joining threads for each cost a few percent of
// a large run on two threads. Helper k takes part in a loop when k < wanted.
class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
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
    {
      std::lock_guard lock(mutex_);
      body_ = &body;
      blocks_ = blocks;
      next_.store(0);
      failed_.store(false);
      error_ = nullptr;
      wanted_ = std::min<unsigned>(helpers, static_cast<unsigned>(threads_.size()));
      finished_ = 0;
      ++job_;
    }
    wake_.notify_all();
    work();
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return finished_ == wanted_; });
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
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || (job_ != seen && index < wanted_); });
        if (stop_) return;
        seen = job_;
      }
      work();
      std::lock_guard lock(mutex_);
      if (++finished_ == wanted_) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::mutex mutex_, error_mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* body_ = nullptr;
  std::size_t blocks_ = 0;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
  unsigned wanted_ = 0, finished_ = 0;
  std::uint64_t job_ = 0;
  bool stop_ = false;
};

// This thread's pool, and the process it was made in: after a fork the child has none of
// the parent's threads, so it leaves the copy it inherited alone and makes its own.
thread_local std::unique_ptr<Pool> pool;
thread_local pid_t pool_pid = 0;
// Set while this thread runs a parallel loop: a loop inside one runs on this thread alone.
thread_local bool in_loop = false;

}  // namespace

void parallel_blocks(std::size_t blocks, const std::function<void(std::size_t)>& body) {
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(current_threads, blocks));
  if (threads <= 1 || in_loop) {
    for (std::size_t b = 0; b < blocks; ++b) body(b);
    return;
  }
  if (const pid_t pid = ::getpid(); !pool || pool_pid != pid) {
    if (pool) (void)pool.release();  // the parent's: its threads are not in this process
    pool = std::make_unique<Pool>();
    pool_pid = pid;
  }
  in_loop = true;
  struct Reset {
    ~Reset() { in_loop = false; }
  } reset;
  pool->run(blocks, body, threads - 1);
}

}  // namespace sim
