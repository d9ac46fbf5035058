// Experiment files (TOML): a comparison of scenarios, or a sweep of parameters over a
// base scenario. Like scenario files, every key is checked, with file:line and a fix in
// each message.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/params.h"

namespace sim {

// Settings shared by every run of an experiment, so runs at the same replicate share
// households and shocks (common random numbers).
struct RunSettings {
  long long replicates = 0, seed = 0, months = 0;  // months 0: the scenario's own
};

// What every experiment file has.
struct ExperimentFile {
  std::string name, description, file, text;
  RunSettings run;
  const Model* model = nullptr;  // the model of its scenarios (one per experiment)
};

struct Comparison : ExperimentFile {
  std::vector<Resolved> scenarios;  // in file order; `run` is applied by the caller
  std::vector<std::filesystem::path> scenario_files;
  std::size_t baseline = 0;  // index into scenarios
  // The no-program scenario: required by models that measure effects against it.
  std::optional<std::size_t> counterfactual;
  // `posterior = "FILE.h5"` (relative to this file) and `draws = K`: run every scenario at
  // K draws of a calibration's posterior (empty, 0: not said). The places name them in
  // messages.
  std::filesystem::path posterior;
  long long draws = 0;
  std::string posterior_at, draws_at;
};

struct Factor {
  std::string name;           // dotted parameter name
  double low = 0, high = 0;   // numeric range
  bool log = false;           // log-uniform between low and high
  std::vector<Value> values;  // grid: explicit values instead of a range
  int levels = 0;             // grid: points across the range
};

struct Sweep : ExperimentFile {
  Resolved base;  // `run` is applied by the caller
  std::filesystem::path base_file;
  std::string design;                      // grid, lhs, saltelli, morris
  long long samples = 0;                   // lhs: points; saltelli: base rows
  long long trajectories = 0, levels = 4;  // morris
  long long design_seed = 0;
  std::vector<Factor> factors;
};

// Each scenario is loaded with its own model's table (sim/model.h); every scenario of one
// experiment must belong to the same model.
Comparison load_comparison(const std::filesystem::path& file);
Sweep load_sweep(const std::filesystem::path& file);

// Applies the experiment's shared run settings to a scenario.
void apply_run_settings(Resolved& r, const RunSettings& run, const std::vector<ParamSpec>& table,
                        const std::string& where);

}  // namespace sim
