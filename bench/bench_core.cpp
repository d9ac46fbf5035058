// Single-thread cost of the model, for a scenario file:
//   berdaya_bench SCENARIO.toml [replicates]
//     ns per household-month of the monthly step, against a plain structure-of-arrays
//     loop doing the household month (the same draws, arithmetic and totals, no groups:
//     the floor a household month can reach with this generator, built the same way);
//     ns per household to build population and network; peak bytes per household.
//   berdaya_bench --threads SCENARIO.toml [rounds]
//     one run (build, months, record) in this process on 1 and on 2 threads, interleaved
//     round by round: wall seconds (min and median) and their ratio, the parallelism within
//     a run without the process's start and its output file; the records are checked equal.
//     Then the share of the 1-thread run's CPU time spent outside the parallel loops, and
//     the bound it sets on 2 threads (Amdahl), steadier than wall time on a busy machine.
//   berdaya_bench --formation SMALL.toml LARGE.toml
//     ns per group of forming every cohort, at two scales, and the exponent of the time's
//     growth with the number of groups (1 is linear); then the same for SMALL with ten
//     times its villages and groups per cohort, at its own density of groups a village.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <time.h>

#include "bench/peak_rss.h"
#include "models/kube/formation.h"
#include "models/kube/model.h"
#include "models/kube/population.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/parallel.h"
#include "sim/samplers.h"

using bench::peak_rss;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

kube::Params load(const char* file, std::string* name = nullptr) {
  const auto r = sim::load_scenario(file, kube::param_table());
  if (name) *name = r.name;
  return kube::make_params(r, std::filesystem::path(file).parent_path());
}

// The household month as a plain loop over arrays, one household after another: noise,
// shock, its cost from savings, savings, and the pool's totals, from the same draws as the
// model's (the stream's first number for the noise and the shock, the second for the cost).
struct Plain {
  std::vector<float> base, savings, cash;
  std::vector<std::uint8_t> size, need;
  double sink = 0;

  explicit Plain(const kube::Households& hh)
      : base(hh.base_income.begin(), hh.base_income.end()),
        savings(hh.savings.begin(), hh.savings.end()),
        cash(hh.count(), 0.0f),
        size(hh.size.begin(), hh.size.end()),
        need(hh.count(), 0) {}

  void month(const kube::Params& p, const sim::Streams& streams, long long m) {
    const auto key = streams.key(kube::STREAM_HOUSEHOLD_SHOCKS, m);
    const auto noise = static_cast<float>(p.household_income_noise_sd);
    const auto line = static_cast<float>(p.population_poverty_line);
    const auto rate = static_cast<float>(p.household_savings_rate), cap = static_cast<float>(p.household_savings_cap);
    const sim::Chance32 shocked(p.household_shock_prob);
    double income = 0, poor = 0, gap = 0;
    for (std::size_t h = 0; h < base.size(); ++h) {
      sim::Stream s = key.stream(h);
      const std::uint64_t first = s();
      const auto lo = static_cast<std::uint32_t>(first);
      float z = sim::normal32_core(lo);
      if (!sim::normal32_inside(lo)) {
        sim::Stream rest = s;
        rest();  // past the cost's number
        z = sim::normal32_rest(lo, rest);
      }
      const float b = base[h];
      const float y = b * std::max(0.0f, 1.0f + noise * z);
      float sv = savings[h];
      if (shocked.of(static_cast<std::uint32_t>(first >> 32))) {
        const auto cost = static_cast<float>(
            b * (p.household_shock_cost_min + (p.household_shock_cost_max - p.household_shock_cost_min) * s.uniform()));
        const float paid = std::min(cost, sv);
        sv -= paid;
        if (cost > paid) need[h] = static_cast<std::uint8_t>(p.household_need_months);
      } else if (need[h] > 0) {
        --need[h];
      }
      const float total = y + cash[h];
      savings[h] = std::min(sv + rate * total, std::max(sv, cap * b));
      const float hline = line * static_cast<float>(size[h]);
      income += total;
      poor += total < hline;
      gap += total < hline ? 1.0f - total / hline : 0.0f;
    }
    sink += income + poor + gap;
  }
};

int cost(const char* file, int reps) {
  std::string name;
  const kube::Params p = load(file, &name);
  const long long before = peak_rss();
  long long peak = before;
  double build_s = 0, step_s = 0, plain_s = 0;
  std::size_t households = 0;
  double sink = 0;
  for (int rep = 0; rep < reps; ++rep) {
    const auto t0 = Clock::now();
    kube::World w(p, static_cast<std::uint64_t>(p.run_seed), static_cast<std::uint64_t>(rep));
    kube::init_world(w);
    sim::RunRecord rec;
    rec.resize(kube::schema(), static_cast<int>(p.run_months));
    const auto t1 = Clock::now();
    for (w.month = 0; w.month < p.run_months; ++w.month) kube::step_and_record(w, rec);
    const auto t2 = Clock::now();
    // The model's peak, before the reference loop's own arrays exist.
    peak = std::max(peak, peak_rss());
    Plain plain(w.hh);
    const auto t3 = Clock::now();
    for (long long m = 0; m < p.run_months; ++m) plain.month(p, w.streams, m);
    const auto t4 = Clock::now();
    build_s += seconds(t0, t1);
    step_s += seconds(t1, t2);
    plain_s += seconds(t3, t4);
    households = w.hh.count();
    sink += plain.sink;
  }
  const double hh = static_cast<double>(households);
  const double hm = hh * static_cast<double>(p.run_months) * reps;
  std::printf("scenario %s: %zu households, %lld months, %d replicates, 1 thread\n", name.c_str(), households,
              p.run_months, reps);
  std::printf("  %.1f ns per household-month (monthly step and recording)\n", step_s * 1e9 / hm);
  std::printf("  %.1f ns per household-month of the plain household loop (the reference; checksum %.3g)\n",
              plain_s * 1e9 / hm, sink);
  std::printf("  %.2f x the plain loop\n", step_s / plain_s);
  std::printf("  %.0f ns per household to build population and network (once per run)\n", build_s * 1e9 / (hh * reps));
  std::printf("  %.1f ns per household-month all included\n", (build_s + step_s) * 1e9 / hm);
  std::printf("  %.0f bytes per household at peak (VmHWM growth during the runs)\n",
              static_cast<double>(peak - before) / hh);
  return 0;
}

// CPU seconds of the calling thread.
double thread_cpu() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// One run on 1 and on 2 threads, `rounds` times each, interleaved.
int threads(const char* file, int rounds) {
  std::string name;
  const kube::Params p = load(file, &name);
  const auto seed = static_cast<std::uint64_t>(p.run_seed);
  std::vector<double> wall[2], serial;
  sim::RunRecord first[2];
  for (int round = 0; round < rounds; ++round)
    for (unsigned t = 1; t <= 2; ++t) {
      const sim::ThreadsWithinRun within(t);
      const double cpu0 = thread_cpu(), loops0 = sim::loop_cpu_seconds();
      const auto t0 = Clock::now();
      sim::RunRecord r = kube::run(p, seed, 0);
      wall[t - 1].push_back(seconds(t0, Clock::now()));
      // On one thread the parallel loops' work is all on this thread: the rest is what
      // stays on one thread whatever the count.
      if (t == 1) {
        const double cpu = thread_cpu() - cpu0;
        serial.push_back((cpu - (sim::loop_cpu_seconds() - loops0)) / cpu);
      }
      if (round == 0) first[t - 1] = std::move(r);
    }
  // Bit for bit (a month without members records NaN, which no comparison of values equals).
  auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
  };
  bool equal = same(first[0].series, first[1].series) && same(first[0].yearly, first[1].yearly) &&
               first[0].table.size() == first[1].table.size();
  for (std::size_t c = 0; equal && c < first[0].table.size(); ++c) equal = same(first[0].table[c], first[1].table[c]);
  if (!equal) {
    std::fprintf(stderr, "berdaya_bench: the run on 2 threads differs from the run on 1\n");
    return 1;
  }
  auto min = [](std::vector<double> v) { return *std::min_element(v.begin(), v.end()); };
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  };
  std::printf("scenario %s: one run in this process, %d interleaved rounds (records equal on 1 and 2 threads)\n",
              name.c_str(), rounds);
  std::printf("  1 thread  %.3f s min, %.3f s median\n", min(wall[0]), median(wall[0]));
  std::printf("  2 threads %.3f s min, %.3f s median\n", min(wall[1]), median(wall[1]));
  // Each round's two runs are next to each other in time: the ratio within a round is
  // steadier than a ratio of mins on a machine whose speed drifts.
  std::vector<double> ratio;
  for (int round = 0; round < rounds; ++round) ratio.push_back(wall[0][round] / wall[1][round]);
  std::printf(
      "  2 threads against 1: %.2f x (mins), %.2f x (medians), %.2f x (median of the rounds' ratios, %.2f to %.2f)\n",
      min(wall[0]) / min(wall[1]), median(wall[0]) / median(wall[1]), median(ratio),
      *std::min_element(ratio.begin(), ratio.end()), *std::max_element(ratio.begin(), ratio.end()));
  // Amdahl's bound from CPU time, which a busy machine disturbs far less than wall time.
  const double share = median(serial);
  std::printf(
      "  outside the parallel loops, on 1 thread: %.1f %% of the run's CPU time (median; %.1f to %.1f %%), so at most "
      "%.2f x on 2 threads\n",
      100 * share, 100 * min(serial), 100 * *std::max_element(serial.begin(), serial.end()), 2 / (1 + share));
  return 0;
}

// Seconds and groups of forming every cohort of a scenario on its built population.
// Forming every cohort of the scenario, with `scale` times its villages and groups per
// cohort (the same groups per village): seconds and groups formed.
std::pair<double, std::size_t> formation(const char* file, std::size_t& households, long long scale = 1) {
  kube::Params p = load(file);
  p.population_villages *= scale;
  p.program_groups_per_cohort *= scale;
  kube::World w(p, static_cast<std::uint64_t>(p.run_seed), 0);
  kube::init_world(w);
  households = w.hh.count();
  double s = 0;
  for (long long c = 0; c < p.program_cohorts; ++c) {
    w.month = static_cast<std::int32_t>(p.program_first_cohort_month - 1 + c * p.program_cohort_interval);
    const auto t0 = Clock::now();
    kube::form_cohort(w);
    s += seconds(t0, Clock::now());
  }
  return {s, w.groups.size()};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 4 && std::string(argv[1]) == "--formation") {
      std::size_t n1 = 0, n2 = 0;
      const auto [s1, g1] = formation(argv[2], n1);
      const auto [s2, g2] = formation(argv[3], n2);
      std::printf(
          "group formation: %zu groups of %zu households in %.0f ns per group; %zu of %zu in %.0f ns per group\n", g1,
          n1, s1 * 1e9 / static_cast<double>(g1), g2, n2, s2 * 1e9 / static_cast<double>(g2));
      std::printf("  the time grows as (groups)^%.2f from the first to the second (1 is linear)\n",
                  std::log(s2 / s1) / std::log(static_cast<double>(g2) / static_cast<double>(g1)));
      // The second scenario may crowd its villages more than the first (Indonesia's 1.18 groups
      // a village against East Java's 0.85), and a fuller village takes longer to find members
      // in: the growth at the first one's own density, ten times its villages and groups.
      std::size_t n3 = 0;
      const auto [s3, g3] = formation(argv[2], n3, 10);
      std::printf(
          "  at the first's density (10 x its villages and groups per cohort): %zu groups of %zu households in %.0f ns "
          "per group, growing as (groups)^%.2f\n",
          g3, n3, s3 * 1e9 / static_cast<double>(g3),
          std::log(s3 / s1) / std::log(static_cast<double>(g3) / static_cast<double>(g1)));
      return 0;
    }
    if ((argc == 3 || argc == 4) && std::string(argv[1]) == "--threads") {
      const int rounds = argc > 3 ? std::stoi(argv[3]) : 5;
      if (rounds < 1) {
        std::fprintf(stderr, "berdaya_bench: --threads needs at least 1 round, got %d\n", rounds);
        return 2;
      }
      return threads(argv[2], rounds);
    }
    if (argc < 2 || argc > 3 || argv[1][0] == '-') {
      std::fprintf(stderr,
                   "usage: berdaya_bench SCENARIO.toml [replicates] | --threads SCENARIO.toml [rounds] | --formation "
                   "SMALL.toml LARGE.toml\n");
      return 2;
    }
    return cost(argv[1], argc > 2 ? std::stoi(argv[2]) : 3);
  } catch (const sim::InputError& e) {
    std::fprintf(stderr, "berdaya_bench: %s\n", e.what());
    return 2;
  }
}
