// Writes an experiment's runs to an HDF5 file that follows the CF and netCDF-4
// conventions where they apply: provenance on the root, monthly series as [case x
// replicate x month], yearly series as [case x replicate x year], the entity table with a
// row per entity per run, the status of every run, the cases (scenarios compared, or
// design points of a sweep), with dimension scales so xarray and R see named dimensions
// and the case names as their coordinate. Runs are read one at a time from the spool in
// task order, so memory does not grow with their number and the file does not depend on
// the order they finished. The file is written under a temporary name and renamed when
// complete.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/experiment.h"
#include "sim/posterior.h"
#include "sim/record.h"

namespace sim {

inline constexpr const char* FORMAT_NAME = "berdaya-results";
inline constexpr const char* FORMAT_VERSION = "4.2";
// The metadata conventions the file follows where they apply (docs/output-format.md).
inline constexpr const char* CONVENTIONS = "CF-1.10";

struct Provenance {
  std::string model;  // the program model's name (sim/model.h); empty: not written
  std::string engine_version;
  std::string git_commit;
  std::string created;  // ISO 8601, UTC
  std::string command_line;
  long long seed = 0;
  std::string experiment;       // name of the run, comparison or sweep
  std::string experiment_toml;  // text of the comparison or sweep file; empty for a single scenario
  std::string scenario;         // the scenario run, the baseline, or the sweep's base scenario
  std::string scenario_toml;    // its full resolved text
  std::vector<std::string> scenario_files;
  std::string baseline, counterfactual;  // comparisons: case names
};

// One entry per case: what it is and, for scenarios, the full resolved text.
struct CaseTable {
  std::vector<std::string> description;
  std::vector<std::string> toml;  // empty for sweeps (the design says it all)
};

// A sweep's design: the factors, the unit-cube matrix and the values run.
struct DesignTable {
  std::string kind;  // grid, lhs, saltelli, morris, oat
  std::vector<std::string> factors, scale;
  std::vector<double> low, high;
  std::vector<double> unit, values;             // [point x factor]
  std::vector<int> block;                       // saltelli: 0 = A, 1 = B, 2 + i = AB_i; morris, oat: factor changed
  std::vector<long long> group;                 // saltelli: base row; morris: trajectory; oat: direction
  std::map<std::string, long long> settings;    // n, levels, trajectories, seed ...
  std::map<std::string, double> real_settings;  // oat: fraction
  // Optional (oat): per point, the changed factor's value as text; per factor, its value
  // at the reference point as text; why parameters or sides were left out.
  std::vector<std::string> point_text, reference_text, skipped;
};

// A comparison over posterior draws: case c is scenario c / D at draw c % D (D draws).
struct PosteriorTable {
  const PosteriorDraws* draws = nullptr;
  std::vector<std::string> scenarios;    // names, in the comparison's order
  std::string baseline, counterfactual;  // scenario names (counterfactual may be empty)
};

// Short lists that label codes and rows, stored under /meta.
using Labels = std::map<std::string, std::vector<std::string>>;

// Assembles the file from the spool of `output` (see execute) and deletes the spool once
// the file is complete.
void write_results(const std::filesystem::path& path, const Provenance& prov, const Plan& plan, const Schema& schema,
                   const Labels& labels, const CaseTable& cases, const DesignTable* design,
                   const PosteriorTable* posterior = nullptr);

// The current time as ISO 8601 UTC.
std::string utc_now();

}  // namespace sim
