#include "analysis/calibration_result.h"

#include "sim/error.h"
#include "sim/h5.h"

namespace analysis {

namespace fs = std::filesystem;

namespace {

std::vector<double> read_vec(const sim::h5::Group& g, const std::string& name, std::size_t n, const std::string& file) {
  if (!g.exists(name)) throw sim::InputError(file + ": /" + g.path() + "/" + name + " is missing (damaged file?)");
  const auto d = g.open(name);
  d.require_numeric();
  auto v = d.read_f64();
  if (v.size() != n)
    throw sim::InputError(file + ": /" + g.path() + "/" + name + " holds " + std::to_string(v.size()) +
                          " values, not " + std::to_string(n) + " (damaged file?)");
  return v;
}

std::vector<std::string> read_text(const sim::h5::Group& g, const std::string& name, std::size_t n,
                                   const std::string& file) {
  if (!g.exists(name)) throw sim::InputError(file + ": /" + g.path() + "/" + name + " is missing (damaged file?)");
  auto v = g.open(name).read_strings();
  if (n != static_cast<std::size_t>(-1) && v.size() != n)
    throw sim::InputError(file + ": /" + g.path() + "/" + name + " holds " + std::to_string(v.size()) + " names, not " +
                          std::to_string(n) + " (damaged file?)");
  return v;
}

std::string attr_or(const sim::h5::Group& g, const std::string& name) {
  return g.has_attr(name) ? g.attr_string(name) : "";
}

long long int_or(const sim::h5::Group& g, const std::string& name) { return g.has_attr(name) ? g.attr_int(name) : 0; }

sim::PriorKind prior_kind(const std::string& name, const std::string& where) {
  for (auto k : {sim::PriorKind::Uniform, sim::PriorKind::LogUniform, sim::PriorKind::Normal, sim::PriorKind::Beta})
    if (sim::prior_name(k) == name) return k;
  throw sim::InputError(where + ": /calibration/prior: unknown prior family '" + name + "' (damaged file?)");
}

}  // namespace

std::string CalibrationResult::target_field(const std::string& field, std::size_t t) const {
  for (const auto& [n, v] : target_text)
    if (n == field) return v.at(t);
  return "";
}

bool CalibrationResult::covered(std::size_t t) const {
  if (side[t] == "at_most") return predictive_q05[t] <= observed[t];
  if (side[t] == "at_least") return predictive_q95[t] >= observed[t];
  return observed[t] >= predictive_q05[t] && observed[t] <= predictive_q95[t];
}

sim::FreeParameter CalibrationResult::free_parameter(std::size_t k) const {
  sim::FreeParameter p;
  p.name = parameters[k];
  p.unit = unit[k];
  p.prior.kind = prior_kind(prior[k], file);
  p.prior.low = prior_low[k];
  p.prior.high = prior_high[k];
  p.prior.mean = prior_mean[k];
  p.prior.sd = prior_sd[k];
  p.prior.alpha = prior_alpha[k];
  p.prior.beta = prior_beta[k];
  return p;
}

bool is_calibration_file(const fs::path& file) {
  const auto f = sim::h5::File::open(file);
  return f.root().has_attr("kind") && f.root().attr_string("kind") == "calibration";
}

CalibrationResult read_calibration(const fs::path& path) {
  const auto f = sim::h5::File::open(path);
  const auto& root = f.root();
  CalibrationResult r;
  r.file = path.string();
  const std::string& where = r.file;
  for (const char* g : {"calibration", "posterior"})
    if (!root.exists(g) || !root.is_group(g))
      throw sim::InputError(where + ": /" + std::string(g) + " is missing (damaged file?)");
  const auto cal = root.open_group("calibration"), post = root.open_group("posterior");

  r.model = attr_or(root, "model");
  r.name = attr_or(root, "experiment");
  r.description = attr_or(root, "description");
  r.scenario = attr_or(root, "scenario");
  r.method = attr_or(root, "method");
  r.stop = attr_or(root, "stop");
  r.created = attr_or(root, "created");
  r.engine_version = attr_or(root, "engine_version");
  r.git_commit = attr_or(root, "git_commit");
  r.command_line = attr_or(root, "command_line");
  r.format = attr_or(root, "format");
  r.format_version = attr_or(root, "format_version");
  r.hdf5_version = attr_or(root, "hdf5_version");
  r.toml = attr_or(root, "experiment_toml");
  r.seed = int_or(root, "seed");
  r.particles = int_or(root, "particles");
  r.replicates = int_or(root, "replicates");
  r.runs = root.attr_int("runs");
  r.quantile = root.has_attr("quantile") ? root.attr_double("quantile") : 0;

  r.parameters = read_text(post, "parameter", static_cast<std::size_t>(-1), where);
  r.targets = read_text(post, "target", static_cast<std::size_t>(-1), where);
  const std::size_t K = r.parameters.size(), T = r.targets.size();
  r.median = read_vec(post, "median", K, where);
  r.q05 = read_vec(post, "q05", K, where);
  r.q95 = read_vec(post, "q95", K, where);
  r.prior_q05 = read_vec(post, "prior_q05", K, where);
  r.prior_q95 = read_vec(post, "prior_q95", K, where);
  r.predictive_median = read_vec(post, "predictive_median", T, where);
  r.predictive_q05 = read_vec(post, "predictive_q05", T, where);
  r.predictive_q95 = read_vec(post, "predictive_q95", T, where);
  r.observed = read_vec(post, "observed", T, where);

  r.prior = read_text(cal, "prior", K, where);
  r.unit = read_text(cal, "unit", K, where);
  r.prior_low = read_vec(cal, "prior_low", K, where);
  r.prior_high = read_vec(cal, "prior_high", K, where);
  r.prior_mean = read_vec(cal, "prior_mean", K, where);
  r.prior_sd = read_vec(cal, "prior_sd", K, where);
  r.prior_alpha = read_vec(cal, "prior_alpha", K, where);
  r.prior_beta = read_vec(cal, "prior_beta", K, where);
  r.evidence = read_text(cal, "evidence", T, where);
  r.side = read_text(cal, "side", T, where);
  r.observed_sd = read_vec(cal, "observed_sd", T, where);
  for (const auto& name : cal.children()) {
    if (name == "target" || cal.is_group(name)) continue;
    const auto d = cal.open(name);
    if (d.is_text() && d.dims().size() == 1 && d.dims()[0] == T && name != "parameter" && name != "prior" &&
        name != "unit")
      r.target_text.emplace_back(name, d.read_strings());
  }

  r.tolerance =
      read_vec(cal, "tolerance", cal.exists("tolerance") ? cal.open("tolerance").read_f64().size() : 0, where);
  const std::size_t G = r.tolerance.size();
  if (G == 0) throw sim::InputError(where + ": /calibration/tolerance holds no generation (damaged file?)");
  r.acceptance_rate = read_vec(cal, "acceptance_rate", G, where);
  r.ess = read_vec(cal, "ess", G, where);
  r.proposals = read_vec(cal, "proposals", G, where);
  r.generation_runs = read_vec(cal, "runs", G, where);
  const auto w = read_vec(cal, "weights", cal.exists("weights") ? cal.open("weights").read_f64().size() : 0, where);
  if (w.size() % G != 0 || w.empty())
    throw sim::InputError(where + ": /calibration/weights does not hold " + std::to_string(G) +
                          " generations of particles (damaged file?)");
  const std::size_t N = w.size() / G;
  r.size = N;
  r.last_weights.assign(w.end() - static_cast<std::ptrdiff_t>(N), w.end());
  const auto x = read_vec(cal, "particles", G * N * K, where);
  r.last_particles.assign(x.end() - static_cast<std::ptrdiff_t>(N * K), x.end());
  const auto s = read_vec(cal, "statistics", G * N * T, where);
  r.last_statistics.assign(s.end() - static_cast<std::ptrdiff_t>(N * T), s.end());
  return r;
}

}  // namespace analysis
