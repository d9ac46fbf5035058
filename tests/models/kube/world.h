// A small world for the mechanism tests: few villages and households, a few months, so
// each test builds its own in milliseconds. Parameters come from TOML text only (dotted
// keys, so the extra settings of a test never reopen a table).
#pragma once
#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "helpers.h"
#include "models/kube/mechanisms.h"
#include "models/kube/model.h"

namespace test {

// Four synthetic villages of 80 households, two cohorts of six groups of ten, two years.
// `extra` holds lines "section.key = value"; one naming a key set here replaces it.
inline kube::Params small(const std::string& extra = "") {
  std::vector<std::pair<std::string, std::string>> lines = {
      {"run.months", "24"},         {"population.village_file", "\"\""},
      {"population.villages", "4"}, {"population.households_per_village", "80"},
      {"program.cohorts", "2"},     {"program.groups_per_cohort", "6"}};
  std::istringstream in(extra);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string x) {
      x.erase(0, x.find_first_not_of(' '));
      x.erase(x.find_last_not_of(' ') + 1);
      return x;
    };
    const std::string key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    auto it = std::find_if(lines.begin(), lines.end(), [&](const auto& kv) { return kv.first == key; });
    if (it != lines.end())
      it->second = value;
    else
      lines.emplace_back(key, value);
  }
  std::string text;
  for (const auto& [key, value] : lines) text += key + " = " + value + "\n";
  return scenario("kota-batu", text);
}

// Runs a world month by month, calling check(world, totals) after each month.
template <typename F>
void simulate(const kube::Params& p, std::uint64_t replicate, F&& check) {
  kube::World w(p, p.run_seed, replicate);
  kube::init_world(w);
  for (w.month = 0; w.month < p.run_months; ++w.month) {
    const auto t = kube::step(w);
    check(w, t);
  }
}

// A world stepped through `months` months (w.month is then the next month to run).
inline kube::World stepped(const kube::Params& p, int months, std::uint64_t replicate = 0) {
  kube::World w(p, p.run_seed, replicate);
  kube::init_world(w);
  for (w.month = 0; w.month < months; ++w.month) kube::step(w);
  return w;
}

// Groups of w in `stage`.
inline int count_stage(const kube::World& w, kube::Stage stage) {
  int n = 0;
  for (const auto& g : w.groups) n += g.stage == stage;
  return n;
}

}  // namespace test
