// reference/bootstrap_vs_r_boot: the estimators of berdaya summary and compare against R's
// survival and boot packages, run here on the same data (so the comparison follows the
// installed versions). The data: 12 replicates of funded groups in yearly cohorts, with a
// replicate-level hazard so that groups of one replicate are alike, and a cost and an
// income gain per replicate.
//
//  1. The Kaplan-Meier pooled over all replicates (LifeTables) against survfit, at every
//     event time, to 1e-9 relative.
//  2. boot() draws 500 resamples of replicates; berdaya evaluates its own statistics
//     (analysis::evaluate: pooled S(12), S(36), S(60) carried forward as
//     summary.survfit(extend = TRUE), groups at risk, cost / gain as a ratio of totals) on
//     exactly those resamples: each value to 1e-9; then berdaya's percentile interval and
//     standard error of those values against boot.ci(type = "perc") and sd(t), to 1e-9.
//     (B + 1) 0.025 is not whole for B = 500, so the interpolation is checked too.
//  3. berdaya's own resamples (Boost.Random) against boot's own (R's RNG), 20000 each, for
//     the ratio of totals (resampling whole replicates does not depend on the statistic,
//     and 2. has checked the pooled survival on boot's resamples): the two are independent
//     Monte Carlo estimates of the same bootstrap distribution, so they agree only
//     statistically. With B = 20000 the standard error of a bootstrap standard error is
//     about SE / sqrt(2B) = 0.5% of it, and that of a 2.5% quantile about
//     sqrt(0.025 0.975 / B) / phi(1.96) SE = 0.019 SE; the tolerances, 4% for the
//     standard error and 0.15 SE for each end, are more than 5 standard deviations of the
//     difference of two such estimates. The seeds are fixed.
// Exits nonzero, saying what differs, on mismatch, and when R, survival or boot is missing.
//
// Usage: berdaya_bootstrap_reference path/to/bootstrap_reference.R
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/bootstrap.h"
#include "analysis/estimates.h"
#include "analysis/outcomes.h"
#include "sim/random.h"

namespace {

constexpr int B_SAME = 500, B_LARGE = 20000;
constexpr long long MONTHS = 60;

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t col(const std::string& name) const {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return c;
    throw std::runtime_error("R output has no column " + name);
  }
  double at(std::size_t row, const std::string& name) const { return std::stod(rows.at(row).at(col(name))); }
};

Table read_csv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  auto split = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) out.push_back(cell);
    return out;
  };
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(file.string() + " is empty");
  Table t;
  t.header = split(line);
  while (std::getline(in, line)) {
    t.rows.push_back(split(line));
    if (t.rows.back().size() != t.header.size()) throw std::runtime_error(file.string() + ": ragged row: " + line);
  }
  return t;
}

int failures = 0;

void fail(const std::string& what) {
  if (++failures <= 20) std::cerr << what << '\n';
}

// Equal to 1e-9 relative (1e-12 absolute near zero).
void same(const std::string& what, double ours, double r) {
  if (std::abs(ours - r) <= 1e-9 * std::max(std::abs(ours), std::abs(r)) + 1e-12) return;
  char buf[256];
  std::snprintf(buf, sizeof buf, "mismatch in %s: berdaya %.17g, R %.17g", what.c_str(), ours, r);
  fail(buf);
}

void within(const std::string& what, double ours, double r, double tolerance) {
  if (std::abs(ours - r) <= tolerance) return;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s: berdaya %.6g, R boot %.6g, differ by more than %.3g", what.c_str(), ours, r,
                tolerance);
  fail(buf);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: berdaya_bootstrap_reference bootstrap_reference.R\n";
    return 2;
  }
  if (std::system("command -v Rscript >/dev/null 2>&1") != 0) {
    std::cerr << "reference/bootstrap_vs_r_boot: Rscript not found. This test needs R with the survival and boot "
                 "packages: install the Debian packages r-base-core, r-cran-survival and r-cran-boot (scripts/setup.sh "
                 "lists them).\n";
    return 1;
  }

  // 12 replicates, 4 yearly cohorts of 6-12 groups funded in months 2, 14, 26 and 38 of a
  // 60-month run; each group fails in a month with the replicate's hazard (1-5%), or is
  // censored at the end. Cost and gain per replicate, the gain tied to the hazard.
  constexpr std::size_t R = 12;
  analysis::Outcomes o;
  o.life = analysis::LifeTables(R, MONTHS);
  for (auto& t : o.totals) t.num.assign(R, 0.0), t.den.assign(R, 0.0);
  o.poverty_pool_tail.assign(R, 0.0);
  sim::Stream rng(0x626f6f74726566ULL);
  std::ostringstream groups, reps;
  groups.precision(17);
  reps.precision(17);
  groups << "replicate,time,event\n";
  reps << "replicate,cost,gain\n";
  for (std::size_t r = 0; r < R; ++r) {
    o.succeeded.push_back(static_cast<std::uint32_t>(r));
    const double hazard = 0.01 + 0.04 * rng.uniform();
    for (long long funded : {2LL, 14LL, 26LL, 38LL}) {
      const int n = 6 + static_cast<int>(7 * rng.uniform());
      for (int i = 0; i < n; ++i) {
        const long long potential = MONTHS - funded;
        long long t = 0;
        while (t < potential && !rng.bernoulli(hazard)) ++t;
        const bool event = t < potential;
        o.life.add(r, t, event, potential);
        groups << r + 1 << ',' << t << ',' << (event ? 1 : 0) << '\n';
      }
    }
    const double cost = 1e9 * (1 + 0.2 * rng.uniform()), gain = 1e8 * (1.5 - 10 * hazard + 0.3 * rng.uniform());
    o.totals[analysis::COST_PER_RUPIAH].num[r] = cost;
    o.totals[analysis::COST_PER_RUPIAH].den[r] = gain;
    reps << r + 1 << ',' << cost << ',' << gain << '\n';
  }

  const auto dir = std::filesystem::temp_directory_path() / ("berdaya-bootstrap-reference-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "groups.csv") << groups.str();
  std::ofstream(dir / "reps.csv") << reps.str();
  const std::string cmd = "Rscript --vanilla '" + std::string(argv[1]) + "' '" + (dir / "groups.csv").string() + "' '" +
                          (dir / "reps.csv").string() + "' '" + dir.string() + "' " + std::to_string(B_SAME) + " " +
                          std::to_string(B_LARGE) + " 20240101";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "reference/bootstrap_vs_r_boot: " << cmd
              << " failed. If R says there is no package called 'survival' or 'boot', install the Debian packages "
                 "r-cran-survival and r-cran-boot.\n";
    return 1;
  }

  try {
    // 1. The pooled Kaplan-Meier.
    const Table km = read_csv(dir / "km.csv");
    const auto points = o.life.event_points(o.succeeded);
    if (points.size() != km.rows.size()) {
      std::cerr << "pooled KM: berdaya has " << points.size() << " event times, R survival " << km.rows.size() << '\n';
      return 1;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string at = " at t = " + std::to_string(points[i].time);
      same("time" + at, points[i].time, km.at(i, "time"));
      same("n.risk" + at, points[i].at_risk, km.at(i, "n_risk"));
      same("n.event" + at, points[i].events, km.at(i, "n_event"));
      same("surv" + at, points[i].survival, km.at(i, "surv"));
    }

    // 2. boot's resamples, evaluated by berdaya.
    const Table index = read_csv(dir / "a_index.csv"), t = read_csv(dir / "a_t.csv"), ci = read_csv(dir / "a_ci.csv");
    if (index.rows.size() != static_cast<std::size_t>(B_SAME) || index.header.size() != R)
      throw std::runtime_error("a_index.csv is not " + std::to_string(B_SAME) + " x " + std::to_string(R));
    std::map<std::string, std::vector<double>> ours;
    std::vector<double> values;
    analysis::PooledCurve curve;
    std::vector<std::uint32_t> pick(R);
    for (std::size_t b = 0; b < index.rows.size(); ++b) {
      for (std::size_t k = 0; k < R; ++k) pick[k] = static_cast<std::uint32_t>(std::stoul(index.rows[b][k]) - 1);
      analysis::evaluate(o, pick, values, curve);
      const std::map<std::string, double> stat = {
          {"s12", values[analysis::ACTIVE_12]}, {"s36", values[analysis::ACTIVE_36]},
          {"s60", values[analysis::ACTIVE_60]}, {"risk12", curve.at_risk_at(12)},
          {"risk36", curve.at_risk_at(36)},     {"ratio", values[analysis::COST_PER_RUPIAH]}};
      for (const auto& [name, v] : stat) {
        same(name + " on resample " + std::to_string(b + 1), v, t.at(b, name));
        ours[name].push_back(v);
      }
    }
    for (std::size_t row = 0; row < ci.rows.size(); ++row) {
      const std::string name = ci.rows[row][ci.col("statistic")];
      const auto bounds = analysis::percentile_interval(ours.at(name));
      same(name + " bootstrap standard error", analysis::bootstrap_se(ours.at(name)), ci.at(row, "se"));
      same(name + " percentile interval, lower end", bounds.lo, ci.at(row, "lo"));
      same(name + " percentile interval, upper end", bounds.hi, ci.at(row, "hi"));
    }

    // 3. berdaya's own resamples against boot's own, statistically.
    const Table big = read_csv(dir / "b_ci.csv");
    const auto plan = analysis::estimation_plan({&o}, 20240101, B_LARGE);
    const auto draws = analysis::draws(o, plan);
    const std::map<std::string, analysis::Quantity> quantity = {{"ratio", analysis::COST_PER_RUPIAH}};
    for (std::size_t row = 0; row < big.rows.size(); ++row) {
      const std::string name = big.rows[row][big.col("statistic")];
      const auto q = quantity.at(name);
      const analysis::Estimate e = analysis::level(draws, q);
      const double se = analysis::bootstrap_se(draws.boot[q]), r_se = big.at(row, "se");
      within(name + " bootstrap standard error (B = 20000)", se, r_se, 0.04 * r_se);
      within(name + " percentile interval, lower end (B = 20000)", e.lo, big.at(row, "lo"), 0.15 * r_se);
      within(name + " percentile interval, upper end (B = 20000)", e.hi, big.at(row, "hi"), 0.15 * r_se);
      std::cout << name << ": berdaya se " << se << " [" << e.lo << ", " << e.hi << "], R boot se " << r_se << " ["
                << big.at(row, "lo") << ", " << big.at(row, "hi") << "]\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "reference/bootstrap_vs_r_boot: " << e.what() << "; data and R output kept in " << dir.string()
              << '\n';
    return 1;
  }
  if (failures > 0) {
    std::cerr << failures << " checks differ from R; data and R output kept in " << dir.string() << '\n';
    return 1;
  }
  std::filesystem::remove_all(dir);
  std::cout << "pooled Kaplan-Meier matches survfit to 1e-9; berdaya's statistics on boot's " << B_SAME
            << " resamples, their percentile intervals and standard errors match boot.ci to 1e-9; its own " << B_LARGE
            << " resamples agree with boot's within the stated tolerance\n";
  return 0;
}
