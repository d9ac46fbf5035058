// Single-thread cost of the model: nanoseconds per household-month and peak bytes per
// household, for a scenario file. Run: berdaya_bench SCENARIO.toml [replicates]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "models/model.h"
#include "models/population.h"
#include "sim/config.h"
#include "sim/error.h"

namespace {
// Peak resident memory of this process so far (VmHWM), in bytes.
long long peak_rss() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long long kb = 0;
  while (in >> key) {
    if (key == "VmHWM:") {
      in >> kb;
      return kb * 1024;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}
}  // namespace

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
    double seconds = 0;
    for (int rep = 0; rep < reps; ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto rec = kube::run(p, static_cast<std::uint64_t>(p.run_seed), static_cast<std::uint64_t>(rep));
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    kube::World w(p, 0, 0);
    kube::build_villages(w);
    const double households = static_cast<double>(w.villages.size()) * static_cast<double>(p.population_households_per_village);
    const double hm = households * static_cast<double>(p.run_months) * reps;
    const long long peak = peak_rss();
    std::printf("scenario %s: %.0f households, %lld months, %d replicates, 1 thread\n", r.name.c_str(), households,
                p.run_months, reps);
    std::printf("  %.1f ns per household-month (whole model, build included)\n", seconds * 1e9 / hm);
    std::printf("  %.0f bytes per household at peak (VmHWM growth during the runs)\n",
                static_cast<double>(peak - before) / households);
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "berdaya_bench: %s\n", e.what());
    return 2;
  }
  return 0;
}
