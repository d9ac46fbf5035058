// Throughput and memory of the experiment runner: runs per second of a scenario at 1 and
// 2 threads, and peak memory of running and writing N runs (the runner streams finished
// runs to the spool and the writer reads them back one at a time, so the peak should not
// grow with N). Run: berdaya_bench_runs SCENARIO.toml speed REPLICATES
//                    berdaya_bench_runs SCENARIO.toml memory RUNS MONTHS
// Memory is measured in a fresh process per N, since the peak only ever rises.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "bench/peak_rss.h"
#include "models/kube/model.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/writer.h"

namespace fs = std::filesystem;

namespace {

// Runs `replicates` runs of `p` with `threads` threads into a temporary file; seconds.
double time_runs(const kube::Params& p, std::size_t replicates, unsigned threads) {
  const fs::path out = fs::temp_directory_path() / ("berdaya-bench-" + std::to_string(::getpid()) + ".h5");
  fs::remove(sim::spool_path(out));
  sim::Plan plan;
  plan.kind = "run";
  plan.case_dim = "scenario";
  plan.cases = {"bench"};
  plan.replicates = replicates;
  plan.months = static_cast<int>(p.run_months);
  plan.fingerprint = "bench";
  sim::ExecOptions eo;
  eo.threads = threads;
  const auto seed = static_cast<std::uint64_t>(p.run_seed);
  const auto t0 = std::chrono::steady_clock::now();
  sim::execute(
      plan, [&](std::size_t, std::size_t rep) { return kube::run(p, seed, rep); }, out, eo);
  sim::Provenance prov;
  sim::write_results(out, prov, plan, kube::schema(), kube::labels(p), sim::CaseTable{}, nullptr);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fs::remove(out);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: berdaya_bench_runs SCENARIO.toml speed REPLICATES | memory RUNS MONTHS\n");
    return 2;
  }
  try {
    const auto r = sim::load_scenario(argv[1], kube::param_table());
    kube::Params p = kube::make_params(r, fs::path(argv[1]).parent_path());
    const std::string mode = argv[2];
    const auto n = static_cast<std::size_t>(std::stoll(argv[3]));
    if (mode == "speed") {
      const double one = time_runs(p, n, 1), two = time_runs(p, n, 2);
      std::printf("scenario %s, %lld months, %zu runs\n", r.name.c_str(), p.run_months, n);
      std::printf("  1 thread:  %.1f runs/s\n", static_cast<double>(n) / one);
      std::printf("  2 threads: %.1f runs/s (%.2f x one thread)\n", static_cast<double>(n) / two, one / two);
    } else {
      p.run_months = argc > 4 ? std::stoll(argv[4]) : p.run_months;
      const double s = time_runs(p, n, 2);
      std::printf("  %zu runs of %lld months, 2 threads: %.1f s, peak memory %.1f MiB\n", n, p.run_months, s,
                  static_cast<double>(bench::peak_rss()) / (1024.0 * 1024.0));
    }
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "berdaya_bench_runs: %s\n", e.what());
    return 2;
  }
  return 0;
}
