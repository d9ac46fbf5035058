// Parallelism within one run. The experiment runner gives each of its worker threads a
// share of the threads it was allowed (--threads): all of them when one run is left to
// do, one each when there are at least as many runs as threads, so a sweep of large runs
// never oversubscribes the machine. A model splits its big loops into blocks fixed by
// the data (never by the thread count), computes each block's partial results on its
// own, and combines them in block order: the result is the same bits for any number of
// threads.
#pragma once
#include <cstddef>
#include <functional>

namespace sim {

// The threads the run on this thread may use for its own loops (1 unless set).
unsigned threads_within_run() noexcept;

// Sets threads_within_run() on this thread for its lifetime (the runner's workers, a bench).
class ThreadsWithinRun {
 public:
  explicit ThreadsWithinRun(unsigned threads) noexcept;
  ~ThreadsWithinRun();
  ThreadsWithinRun(const ThreadsWithinRun&) = delete;
  ThreadsWithinRun& operator=(const ThreadsWithinRun&) = delete;

 private:
  unsigned previous_;
};

// Calls body(b) once for each block b in [0, blocks), on up to threads_within_run() threads (the
// calling one among them), and returns when all are done. The blocks must write disjoint
// data. An exception from a block is rethrown here after every thread has stopped.
void parallel_blocks(std::size_t blocks, const std::function<void(std::size_t)>& body);

// CPU seconds of this thread spent in the parallel loops it called (a loop inside a loop
// counts once, in its outer loop's), on any thread count. For benchmarks: on one thread, a
// run's CPU time less this is the part that stays on one thread whatever the count, so it
// bounds the gain of more threads (Amdahl) without depending on how busy the machine is.
double loop_cpu_seconds() noexcept;

}  // namespace sim
