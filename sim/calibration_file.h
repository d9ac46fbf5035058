// Calibration files (TOML): a base scenario, the free parameters with their priors, the
// targets (observed statistics with their sampling error) and the settings of the
// ABC-SMC method (docs/calibration.md). Every key is checked, with file:line and a fix in
// each message, like experiment files.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "sim/model.h"
#include "sim/params.h"
#include "sim/toml_file.h"

namespace sim {

enum class PriorKind { Uniform, LogUniform, Normal, Beta };

// A prior on one parameter, truncated to [low, high]: the parameter's valid range, or a
// narrower interval the file gives (uniform, log-uniform and beta are defined on it).
struct Prior {
  PriorKind kind = PriorKind::Uniform;
  double low = 0, high = 0;
  double mean = 0, sd = 0;     // normal, before truncation
  double alpha = 1, beta = 1;  // beta, on [low, high]
};

struct FreeParameter {
  std::string name;        // dotted, as in the model's table
  Kind kind = Kind::Real;  // Real or Integer (an integer is rounded when set)
  Prior prior;
  std::string unit;
};

enum class StatisticKind { Series, Yearly, Survival, Hazard, Share, Ratio };

// One observed statistic and how the model's runs give the same statistic.
struct Target {
  std::string name;
  StatisticKind kind = StatisticKind::Series;
  std::size_t scenario = 0;  // index into Calibration::scenarios (0: the base)
  // A contrast of two scenarios: the statistic in `scenario` minus (or over) the same
  // statistic in `versus`, at the same replicates (common random numbers).
  static constexpr std::size_t NO_VERSUS = static_cast<std::size_t>(-1);
  std::size_t versus = NO_VERSUS;
  enum class Contrast { Difference, Ratio } contrast = Contrast::Difference;
  // series: `series` at `month`; yearly: `yearly` at `year`.
  // survival: rows with `start` >= 0, still without `end` `month` months after start.
  // hazard: the yearly hazard in year `year` since start, from the same table columns.
  // share: rows whose `column` is `label` among rows whose `column` is not code 0.
  // ratio: sum of series `numerator` over sum of series `denominator`, months `from`..`to`.
  std::string series, start, end, column, label, numerator, denominator;
  long long month = 0, year = 0, from = 0, to = 0;
  // The observed value and its standard error, from the file's successes/trials, value and
  // sd, or interval (read as value +- 2 sd); or a one-sided bound (at_most, at_least) with
  // the sd by which a simulation beyond it is measured.
  double observed = 0, sd = 0;
  enum class Side { Both, AtMost, AtLeast } side = Side::Both;
  std::string evidence;  // how the file gave them, for the summary ("7 of 61", ...)
};

struct Method {
  long long particles = 200;
  long long generations = 8;      // at most
  long long replicates = 2;       // runs per particle and scenario
  long long seed = 1;             // proposals and runs
  double quantile = 0.5;          // tolerance: this quantile of the previous generation's distances
  double min_tolerance = 0;       // stop once the tolerance is at or below it
  double min_acceptance = 0;      // stop after a generation whose acceptance rate is below it
  long long max_runs = 0;         // model runs at most (0: no limit); a generation that would pass it is not begun
  long long max_attempts = 2000;  // proposals per particle and generation at most
};

struct Calibration {
  std::string name, description, file, text;
  const Model* model = nullptr;
  // The base scenario first, then each scenario a target names, with replicates and seed
  // of the method applied.
  std::vector<Resolved> scenarios;
  std::vector<std::filesystem::path> scenario_files;
  std::vector<FreeParameter> parameters;
  std::vector<Target> targets;
  Method method;
};

Calibration load_calibration(const std::filesystem::path& file);

// A statistic of a model's runs as a file names it (a calibration's target, an
// optimization's objective): its kind from the key `statistic`, the keys each kind takes,
// and its columns and months, checked against the model's schema and a run of `months`.
StatisticKind read_statistic_kind(const TomlFile& d, const toml::table& t, const std::string& where);
std::vector<std::string> statistic_keys(StatisticKind k);
void read_statistic_columns(const TomlFile& d, const toml::table& t, Target& g, const Model& model, long long months,
                            const std::string& where);

std::string prior_name(PriorKind k);
std::string statistic_name(StatisticKind k);

}  // namespace sim
