// Single-thread cost of the model: nanoseconds per household-month and peak bytes per
// household, for a scenario file. Run: berdaya_bench SCENARIO.toml [replicates]
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/peak_rss.h"
#include "models/kube/model.h"
#include "sim/config.h"
#include "sim/error.h"

using bench::peak_rss;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: berdaya_bench SCENARIO.toml [replicates]\n");
    return 2;
  }
  try {
    const auto r = sim::load_scenario(argv[1], kube::param_table());
    kube::Params p = kube::make_params(r, std::filesystem::path(argv[1]).parent_path());
    const int reps = argc > 2 ? std::stoi(argv[2]) : 3;
    const long long before = peak_rss();
    // Building the population and network is a cost per household; the monthly step is
    // the cost per household-month. Both are timed separately, as a run does them.
    double build_s = 0, step_s = 0;
    std::size_t households = 0;
    for (int rep = 0; rep < reps; ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      kube::World w(p, static_cast<std::uint64_t>(p.run_seed), static_cast<std::uint64_t>(rep));
      kube::init_world(w);
      sim::RunRecord rec;
      rec.resize(kube::schema(), static_cast<int>(p.run_months));
      const auto t1 = std::chrono::steady_clock::now();
      for (w.month = 0; w.month < p.run_months; ++w.month) kube::step_and_record(w, rec);
      const auto t2 = std::chrono::steady_clock::now();
      build_s += std::chrono::duration<double>(t1 - t0).count();
      step_s += std::chrono::duration<double>(t2 - t1).count();
      households = w.hh.count();
    }
    const double hh = static_cast<double>(households);
    const double hm = hh * static_cast<double>(p.run_months) * reps;
    const long long peak = peak_rss();
    std::printf("scenario %s: %zu households, %lld months, %d replicates, 1 thread\n", r.name.c_str(), households,
                p.run_months, reps);
    std::printf("  %.1f ns per household-month (monthly step and recording)\n", step_s * 1e9 / hm);
    std::printf("  %.0f ns per household to build population and network (once per run)\n",
                build_s * 1e9 / (hh * reps));
    std::printf("  %.1f ns per household-month all included\n", (build_s + step_s) * 1e9 / hm);
    std::printf("  %.0f bytes per household at peak (VmHWM growth during the runs)\n",
                static_cast<double>(peak - before) / hh);
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "berdaya_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
