// reference/km_vs_r_survival: our Kaplan-Meier, Greenwood standard error, pointwise bands
// and cumulative incidence against R's survival package on the same data, at every event
// time, to 1e-9 relative. R is run here (not its output checked in) so that the comparison
// follows the installed survival version. Exits nonzero, saying what differs, on mismatch.
//
// Usage: berdaya_km_reference path/to/km_reference.R
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

#include "analysis/stats.h"
#include "sim/random.h"

namespace {

struct Table {
  std::map<std::string, std::vector<std::string>> columns;
  std::size_t rows = 0;
  double at(const std::string& name, std::size_t row) const {
    const auto it = columns.find(name);
    if (it == columns.end()) throw std::runtime_error("R output has no column " + name);
    const std::string& s = it->second.at(row);
    // R writes NA and NaN where there is no band; both mean "no value" here.
    if (s == "NA" || s == "NaN") return std::nan("");
    return std::stod(s);
  }
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
  const auto header = split(line);
  Table t;
  while (std::getline(in, line)) {
    const auto cells = split(line);
    if (cells.size() != header.size()) throw std::runtime_error(file.string() + ": ragged row: " + line);
    for (std::size_t c = 0; c < header.size(); ++c) t.columns[header[c]].push_back(cells[c]);
    ++t.rows;
  }
  return t;
}

int failures = 0;

// Equal to 1e-9 relative; NaN matches NaN and an infinity the same infinity, since R and
// we must agree on where a value does not exist too.
void compare(const std::string& what, double time, double ours, double r) {
  const bool same =
      (std::isnan(ours) && std::isnan(r)) || ours == r ||
      (std::isfinite(ours) && std::isfinite(r) && std::abs(ours - r) <= 1e-9 * std::max(std::abs(ours), std::abs(r)));
  if (same) return;
  if (++failures <= 20) {
    std::fprintf(stderr, "mismatch in %s at t = %g: berdaya %.17g, R survival %.17g\n", what.c_str(), time, ours, r);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: berdaya_km_reference km_reference.R\n";
    return 2;
  }
  if (std::system("command -v Rscript >/dev/null 2>&1") != 0) {
    std::cerr << "reference/km_vs_r_survival: Rscript not found. This test needs R with the survival "
                 "package: install the Debian packages r-base-core and r-cran-survival "
                 "(scripts/setup.sh lists them).\n";
    return 1;
  }

  // 200 subjects: event times exponential (mean 20 months) and censoring uniform on
  // [0, 60), both rounded up to half months so that events tie with events and with
  // censorings; an event and a censoring at the same time count as an event. Causes 1 and
  // 2 with probabilities 0.6 and 0.4. The longest follow-up is made an event, so the curve
  // reaches 0 and the conventions there (infinite std.err, no band) are compared too.
  constexpr std::size_t n = 200;
  sim::Stream rng(0x6b6d726566ULL);
  std::vector<double> time(n);
  std::vector<int> cause(n), event(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double te = std::ceil(-20 * std::log1p(-rng.uniform()) * 2) / 2;
    const double tc = std::ceil(60 * rng.uniform() * 2) / 2;
    const int k = rng.uniform() < 0.6 ? 1 : 2;
    time[i] = std::max(std::min(te, tc), 0.5);
    cause[i] = te <= tc ? k : 0;
  }
  const double longest = *std::max_element(time.begin(), time.end());
  for (std::size_t i = 0; i < n; ++i) {
    if (time[i] == longest && cause[i] == 0) cause[i] = 1;
    event[i] = cause[i] > 0;
  }

  const auto dir = std::filesystem::temp_directory_path() / ("berdaya-km-reference-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "data.csv");
    f.precision(17);
    f << "time,cause\n";
    for (std::size_t i = 0; i < n; ++i) f << time[i] << ',' << cause[i] << '\n';
  }
  const std::string cmd = "Rscript --vanilla '" + std::string(argv[1]) + "' '" + (dir / "data.csv").string() + "' '" +
                          (dir / "km.csv").string() + "' '" + (dir / "cif.csv").string() + "'";
  if (std::system(cmd.c_str()) != 0) {
    std::cerr << "reference/km_vs_r_survival: " << cmd
              << " failed. If R says there is no package called 'survival', install the Debian package "
                 "r-cran-survival.\n";
    return 1;
  }

  try {
    // Kaplan-Meier, Greenwood std.err (R reports se of log S) and the three bands.
    const Table r = read_csv(dir / "km.csv");
    const auto km = analysis::kaplan_meier(time, event);
    if (km.size() != r.rows) {
      std::cerr << "KM: berdaya has " << km.size() << " event times, R survival " << r.rows << '\n';
      return 1;
    }
    const std::pair<analysis::BandType, std::string> types[] = {{analysis::BandType::log, "log"},
                                                                {analysis::BandType::log_log, "log_log"},
                                                                {analysis::BandType::plain, "plain"}};
    if (km.back().survival != 0) {
      std::cerr << "KM: the data set no longer ends in S = 0, so that case goes unchecked\n";
      return 1;
    }
    int ties = 0;
    for (std::size_t i = 0; i < km.size(); ++i) {
      const double t = km[i].time;
      compare("time", t, t, r.at("time", i));
      compare("n.risk", t, km[i].at_risk, r.at("n_risk", i));
      compare("n.event", t, km[i].events, r.at("n_event", i));
      compare("surv", t, km[i].survival, r.at("surv", i));
      compare("std.err", t, analysis::log_survival_se(km[i]), r.at("std_err", i));
      ties += km[i].events > 1;
    }
    for (const auto& [type, name] : types) {
      const auto band = analysis::survival_band(km, 0.95, type);
      for (std::size_t i = 0; i < km.size(); ++i) {
        compare(name + " lower", km[i].time, band[i].lo, r.at(name + "_lower", i));
        compare(name + " upper", km[i].time, band[i].hi, r.at(name + "_upper", i));
      }
    }

    // Aalen-Johansen cumulative incidence against survfit's multi-state pstate.
    const Table rc = read_csv(dir / "cif.csv");
    const auto ci = analysis::cumulative_incidence(time, cause, 2);
    if (ci.size() != rc.rows) {
      std::cerr << "CIF: berdaya has " << ci.size() << " event times, R survival " << rc.rows << '\n';
      return 1;
    }
    for (std::size_t i = 0; i < ci.size(); ++i) {
      const double t = ci[i].time;
      compare("CIF time", t, t, rc.at("time", i));
      compare("CIF n.risk", t, ci[i].at_risk, rc.at("n_risk", i));
      compare("CIF event-free", t, ci[i].survival, rc.at("surv", i));
      compare("CIF cause 1", t, ci[i].incidence[0], rc.at("cif1", i));
      compare("CIF cause 2", t, ci[i].incidence[1], rc.at("cif2", i));
    }
    if (failures > 0) {
      std::cerr << failures << " values differ from R survival by more than 1e-9 relative; data and R output kept in "
                << dir.string() << '\n';
      return 1;
    }
    std::filesystem::remove_all(dir);
    std::cout << "KM, Greenwood std.err, log/log-log/plain bands at " << km.size() << " event times (" << ties
              << " with tied events) and CIF of 2 causes at " << ci.size()
              << " event times match R survival to 1e-9 relative\n";
  } catch (const std::exception& e) {
    std::cerr << "reference/km_vs_r_survival: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
