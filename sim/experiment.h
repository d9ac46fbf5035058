// The experiment runner: every (case, replicate) of a plan is one task; tasks run on a
// pool of threads, or on MPI ranks, and a single writer streams finished runs to the
// spool. A result depends only on the task, never on the thread or rank that ran it, so
// the assembled file is the same for any thread count, rank count and interruption.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "sim/record.h"
#include "sim/runner.h"

namespace sim {

struct Plan {
  std::string kind;       // "run", "compare" or "sweep"
  std::string case_dim;   // name of the leading dimension: "scenario" or "point"
  std::vector<std::string> cases;
  std::size_t replicates = 0;
  int months = 0;
  // Everything that decides the results (resolved settings, seed, design, engine
  // version): a spool is only resumed by the plan that wrote it.
  std::string fingerprint;

  std::size_t tasks() const { return cases.size() * replicates; }
  std::size_t case_of(std::size_t task) const { return task / replicates; }
  std::size_t replicate_of(std::size_t task) const { return task % replicates; }
};

// Runs the model for one case and replicate. May throw: the run is then recorded as
// failed with the message, and the other runs go on.
using Task = std::function<RunRecord(std::size_t case_index, std::size_t replicate)>;

struct ExecOptions {
  unsigned threads = 0;  // 0: one per core
  bool resume = false;
  std::string what;      // label for progress lines
  // Replaces the terminal's progress line when set; called from the writing thread only,
  // never from a worker, so it may take a lock the workers never hold.
  ProgressCallback progress = {};  // an initializer, so {threads, resume, what} stays warning-free
};

struct Outcome {
  std::size_t total = 0, resumed = 0, ran = 0, failed = 0;
  bool interrupted = false;  // Ctrl-C or SIGTERM: the spool keeps what finished
  bool writer = true;        // false on MPI ranks that only compute
  double seconds = 0;
};

// The spool that keeps the finished runs of the experiment writing `output`.
std::filesystem::path spool_path(const std::filesystem::path& output);

// Runs every task of the plan that is not yet in the spool. Without `resume`, an
// existing spool is an InputError (it holds an interrupted run's work); with `resume`
// and no spool, the experiment starts afresh.
Outcome execute(const Plan& plan, const Task& task, const std::filesystem::path& output, const ExecOptions& options);

}  // namespace sim
