// Optimization files (TOML): a base scenario, the decision variables (dotted parameter
// names with bounds, or a list of choices), the objectives (statistics of the runs, each
// maximized or minimized), a budget in rupiah from the model's own cost series, the
// robustness rule across a calibration's posterior and the run budget of the search
// (docs/optimization.md). Every key is checked, with file:line and a fix in each message.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "sim/calibration_file.h"
#include "sim/model.h"
#include "sim/params.h"

namespace sim {

// One decision variable. A real or integer one moves in [low, high]; a choice variable
// takes one of `choices` (any kind of value: numbers, a name of an enum-like parameter, a
// boolean), searched as the integer index into the list.
struct DecisionVariable {
  std::string name;  // dotted, as in the model's table
  Kind kind = Kind::Real;
  bool is_choice = false;
  double low = 0, high = 0;    // real and integer variables
  std::vector<Value> choices;  // choice variables, in the file's order
  std::vector<std::string> choice_text;
  std::string unit, description;
  std::string base;  // the base scenario's value, as text
  bool integer() const { return is_choice || kind == Kind::Integer; }
  // The search coordinate's range: [low, high], or [0, choices - 1].
  double lower() const { return is_choice ? 0.0 : low; }
  double upper() const { return is_choice ? static_cast<double>(choices.size() - 1) : high; }
  Value value(double x) const;       // the parameter's value at search coordinate x
  std::string text(double x) const;  // the same, as text
};

struct Objective {
  Target statistic;  // its name, kind and columns (no observation)
  bool maximize = true;
};

struct Budget {
  std::string series;    // a cumulative cost series of the model, read at the last month
  double amount = 0;     // rupiah
  bool per_year = true;  // amount per year of the run (cost / years), or over the whole run
};

struct Robustness {
  std::filesystem::path posterior;  // a calibration file; empty: the scenario's own values
  std::string posterior_at;         // file:line of the key, for messages
  long long draws = 1;
  bool quantile_rule = false;  // false: the mean over draws
  double quantile = 0.5;       // of the objective, on the side where it is worse
};

struct Search {
  std::string algorithm = "auto";  // auto, nsga2 (several objectives), gaco (one)
  long long population = 16;
  long long generations = 10;
  long long replicates = 2;
  long long seed = 1;
};

// A hand-made scenario evaluated in the first generation beside the random candidates,
// so the front is measured against it on the same runs: its values of the decision
// variables (search coordinates, a choice as its index).
struct StartScenario {
  std::string name, file;
  std::vector<double> x;
};

struct Optimization {
  std::string name, description, file, text;
  const Model* model = nullptr;
  Resolved scenario;  // the base, with replicates and seed of [search] applied
  std::filesystem::path scenario_file;
  std::vector<DecisionVariable> variables;
  std::vector<Objective> objectives;
  std::vector<StartScenario> starts;
  Budget budget;
  Robustness robustness;
  Search search;
  // "nsga2" or "gaco": the algorithm [search] chose, or the one `auto` gives.
  std::string method() const;
};

Optimization load_optimization(const std::filesystem::path& file);

}  // namespace sim
