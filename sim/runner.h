// Runs independent tasks on a pool of threads. Each task writes only its own slot of
// the result, so the outcome is the same for any thread count and any scheduling.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

namespace sim {

// 0 means one thread per core.
unsigned resolve_threads(unsigned requested);

// Calls task(i) for i in [0, n) on `threads` threads. An exception in a task is caught
// and handed to on_error(i, message); the other tasks go on. Progress goes to stderr
// when it is a terminal (done/total, runs per second, time left), labelled `what`.
void run_tasks(std::size_t n, unsigned threads, const std::function<void(std::size_t)>& task,
               const std::function<void(std::size_t, const std::string&)>& on_error, const std::string& what);

}  // namespace sim
