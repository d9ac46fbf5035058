// Posterior draws for a comparison (berdaya compare --posterior): parameter vectors drawn
// from the final generation of a calibration file (berdaya calibrate), by weight, so each
// scenario can be run in many plausible worlds. The draw depends only on the calibration
// file and the comparison's seed, never on threads or ranks.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/params.h"

namespace sim {

// Draws per comparison when neither --draws nor `draws = K` says.
inline constexpr long long DEFAULT_DRAWS = 20;
inline constexpr long long MAX_DRAWS = 100000;

struct PosteriorDraws {
  std::string file;                         // the calibration file, as given
  std::string fingerprint;                  // hash of its bytes (hex): which calibration, exactly
  std::string model, experiment, scenario;  // its model, name and base scenario
  long long generation = 0;                 // the generation drawn from (the final one)
  std::uint64_t seed = 0;                   // of the draw (draw_seed of the comparison's seed)
  std::vector<std::string> parameters;      // dotted names, in the calibration's order
  std::vector<std::size_t> particle;        // [draw]: the particle of the final generation
  std::vector<double> values;               // [draw x parameter], in the parameters' units
  std::size_t draws() const { return particle.size(); }
  double value(std::size_t draw, std::size_t k) const { return values[draw * parameters.size() + k]; }
};

// The seed of the draw from a comparison's seed: a fixed derivation, so the same comparison
// draws the same worlds.
std::uint64_t draw_seed(std::uint64_t comparison_seed);

// The seed every scenario runs with at posterior draw `draw`: the same for all scenarios
// (common random numbers at the same draw and replicate), another for each draw (each
// draw's runs have simulation noise of their own), 53 bits so run.seed can hold it.
std::uint64_t draw_run_seed(std::uint64_t comparison_seed, std::size_t draw);

// Reads the final generation of a calibration file and draws `draws` particles from it
// by systematic resampling on the weights (one uniform u from `seed`; draw k takes the
// particle whose cumulative weight first reaches (k + u) / draws). InputError, naming the
// file and `where`, for a missing file or one that is no calibration.
PosteriorDraws draw_posterior(const std::filesystem::path& file, std::size_t draws, std::uint64_t seed,
                              const std::string& where);

// A scenario at one draw: the draw's values over the scenario's own, for the calibrated
// parameters only (an integer parameter rounded). InputError when a calibrated parameter
// is not in `table` (a calibration of another version of the model).
Resolved at_draw(const Resolved& scenario, const std::vector<ParamSpec>& table, const PosteriorDraws& p,
                 std::size_t draw);
// InputError naming the calibration when it is of another model than `model`, or names a
// parameter `table` does not have or a run.* setting.
void check_posterior(const PosteriorDraws& p, const std::string& model, const std::vector<ParamSpec>& table,
                     const std::string& where);

}  // namespace sim
