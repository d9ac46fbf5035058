// A calibration file (berdaya calibrate, docs/output-format.md) read back: what was
// calibrated, the method's record per generation, the last generation's particles and
// weights, and the posterior summary the writer stored. The summary command and the
// report read it through here, so both check the file alike.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sim/calibration_file.h"

namespace analysis {

struct CalibrationResult {
  std::string file;  // as given, for messages
  std::string model, name, description, scenario, method, stop, created, engine_version, git_commit, command_line,
      format, format_version, hdf5_version, toml;
  long long seed = 0, particles = 0, replicates = 0, runs = 0;
  double quantile = 0;

  // Free parameters [K] and their priors.
  std::vector<std::string> parameters, prior, unit;
  std::vector<double> prior_low, prior_high, prior_mean, prior_sd, prior_alpha, prior_beta;

  // Targets [T]. `target_text` holds every text dataset of /calibration over the targets
  // (statistic, definition, target_scenario, evidence, side and any a newer writer adds),
  // by dataset name in the file's order.
  std::vector<std::string> targets, evidence, side;
  std::vector<std::pair<std::string, std::vector<std::string>>> target_text;
  std::vector<double> observed, observed_sd;

  // Per generation [G].
  std::vector<double> tolerance, acceptance_rate, ess, proposals, generation_runs;

  // The last generation: particles [N x K] in the parameters' units, weights [N],
  // statistics [N x T].
  std::size_t size = 0;
  std::vector<double> last_particles, last_weights, last_statistics;

  // /posterior: marginals [K] and predictive checks [T].
  std::vector<double> median, q05, q95, prior_q05, prior_q95;
  std::vector<double> predictive_median, predictive_q05, predictive_q95;

  std::size_t generations() const { return tolerance.size(); }
  // The text of dataset `name` over the targets, or "" when the file has none.
  std::string target_field(const std::string& field, std::size_t t) const;
  // The observation inside the predictive 90 % interval; a bound, when the interval reaches its side.
  bool covered(std::size_t t) const;
  // Parameter k as the sampler knows it (prior family and its numbers).
  sim::FreeParameter free_parameter(std::size_t k) const;
};

// Whether a result file is a calibration's (root kind "calibration").
bool is_calibration_file(const std::filesystem::path& file);

// InputError naming the file and the dataset when a part is missing or of the wrong size.
CalibrationResult read_calibration(const std::filesystem::path& file);

}  // namespace analysis
