// berdaya calibrate: ABC-SMC over a model's free parameters (docs/calibration.md). Each
// round of proposals is one plan for the experiment runner, so runs go on threads, stream
// to a spool and survive an interruption; the proposals of a round depend only on the
// rounds before it, so --resume redoes nothing that finished and the file is the same
// for any thread count.
#include "cli/calibrate.h"
#include "cli/file_output.h"

#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>

#include <unistd.h>

#include "analysis/calibration.h"
#include "analysis/calibration_result.h"
#include "analysis/format.h"
#include "berdaya_build_info.h"
#include "sim/calibration_file.h"
#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/h5.h"
#include "sim/mpi.h"
#include "sim/output.h"
#include "sim/random.h"
#include "sim/signals.h"
#include "sim/spool.h"
#include "sim/writer.h"

namespace cli {

namespace fs = std::filesystem;

namespace {

constexpr int EXIT_INTERRUPTED = 130;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// The scenario of one proposal: the free parameters set, an integer rounded.
sim::Resolved with_values(const sim::Resolved& base, const sim::Calibration& c, const std::vector<double>& x) {
  sim::Resolved r = base;
  const auto& table = c.model->parameters();
  for (std::size_t k = 0; k < c.parameters.size(); ++k) {
    const auto& p = c.parameters[k];
    const double v = analysis::to_value(p, x[k]);
    const sim::Value value = p.kind == sim::Kind::Integer ? sim::Value{std::llround(v)} : sim::Value{v};
    sim::set_from_command_line(r, table, p.name, value, "the calibration's proposal");
  }
  return r;
}

struct Result {
  std::vector<analysis::Population> generations;
  std::size_t runs = 0;
  std::string stop;
};

// One generation of ABC-SMC: rounds of proposals until every particle has one accepted.
// Returns false when the generation could not be completed (budget, attempts), with the
// reason in `stop`; throws sim::Interrupted when a round was interrupted.
bool run_generation(const sim::Calibration& c, const analysis::Projection& proj, const RunOptions& o,
                    const fs::path& work, std::size_t g, Result& res, analysis::Population& pop) {
  const auto& m = c.method;
  const std::size_t N = static_cast<std::size_t>(m.particles), K = c.parameters.size(), T = c.targets.size();
  const std::size_t S = c.scenarios.size(), R = static_cast<std::size_t>(m.replicates);
  const auto seed = static_cast<std::uint64_t>(m.seed);
  const analysis::Sampler sampler(c.parameters, seed, g, g ? &res.generations.back() : nullptr, m.quantile);
  const sim::Schema& schema = c.model->schema();
  pop.parameters = K;
  pop.targets = T;
  pop.tolerance = sampler.tolerance();
  pop.kernel_sd = sampler.kernel_sd();
  pop.x.assign(N * K, NaN);
  pop.stats.assign(N * T, NaN);
  pop.distance.assign(N, NaN);
  std::vector<bool> done(N, false);
  std::vector<std::size_t> next(N, 0);
  std::size_t batch = 1, pending = N;
  std::vector<std::size_t> never(T, 0);  // proposals whose statistic was undefined, per target
  for (std::size_t round = 0; pending > 0; ++round) {
    struct Attempt {
      std::size_t slot, attempt;
      std::vector<double> x;
    };
    std::vector<Attempt> attempts;
    for (std::size_t i = 0; i < N; ++i) {
      if (done[i]) continue;
      if (next[i] >= static_cast<std::size_t>(m.max_attempts)) {
        res.stop = "generation " + std::to_string(g) + " stopped: particle " + std::to_string(i) +
                   " had no proposal within "
                   "the tolerance in max_attempts = " +
                   std::to_string(m.max_attempts) + " proposals";
        return false;
      }
      const std::size_t b = std::min(batch, static_cast<std::size_t>(m.max_attempts) - next[i]);
      for (std::size_t a = next[i]; a < next[i] + b; ++a) attempts.push_back({i, a, sampler.propose(i, a)});
      next[i] += b;
    }
    const std::size_t needed = attempts.size() * S * R;
    if (m.max_runs > 0 && res.runs + needed > static_cast<std::size_t>(m.max_runs)) {
      res.stop = "generation " + std::to_string(g) +
                 " not completed: it would pass max_runs = " + std::to_string(m.max_runs) + " (" +
                 std::to_string(res.runs) + " runs so far)";
      return false;
    }
    sim::Plan plan;
    plan.kind = "calibrate";
    plan.case_dim = "proposal";
    plan.replicates = R;
    // Everything that decides the round's runs: the file, its scenarios as resolved now (a
    // scenario edited since the interruption is not resumed), the round and its proposals.
    std::string fp = "calibrate\n" + c.text + "\n" + std::to_string(g) + "/" + std::to_string(round) + "\n";
    for (const auto& sc : c.scenarios) fp += sim::resolved_toml(sc, c.model->parameters());
    // Each case's scenario is bound by the first of its runs to start, on a worker thread.
    std::vector<std::unique_ptr<const sim::Instance>> instances(attempts.size() * S);
    std::vector<std::string> errors(instances.size());
    std::vector<std::once_flag> bound(instances.size());
    for (std::size_t a = 0; a < attempts.size(); ++a) {
      for (double v : attempts[a].x) fp += bits(v);
      for (std::size_t s = 0; s < S; ++s) {
        plan.cases.push_back(std::to_string(a) + "/" + std::to_string(s));
        plan.months = std::max(plan.months, static_cast<int>(sim::run_months(c.scenarios[s], *c.model)));
      }
    }
    auto instance = [&](std::size_t ci) {
      std::call_once(bound[ci], [&] {
        const std::size_t a = ci / S, s = ci % S;
        // A proposal that breaks a relation between parameters fails alone: it is rejected.
        try {
          instances[ci] =
              c.model->instantiate(with_values(c.scenarios[s], c, attempts[a].x), c.scenario_files[s].parent_path());
        } catch (const sim::InputError& e) {
          errors[ci] = e.what();
        }
      });
      return instances[ci].get();
    };
    plan.fingerprint = fingerprint(fp);
    const fs::path round_out = work / ("g" + std::to_string(g) + "-r" + std::to_string(round));
    sim::ExecOptions eo;
    eo.threads = o.threads;
    eo.resume = fs::exists(sim::spool_path(round_out));  // only a --resume keeps the folder
    eo.what = "berdaya calibrate " + c.name + ", generation " + std::to_string(g);
    eo.progress = o.progress;
    const sim::Outcome out = sim::execute(
        plan,
        [&](std::size_t ci, std::size_t rep) {
          const sim::Instance* inst = instance(ci);
          if (!inst) throw std::runtime_error(errors[ci]);
          return proj.apply(inst->run(seed, rep));
        },
        round_out, eo);
    // Rank 0 (the only process without MPI) reads the round's runs; under MPI it hands the
    // statistics to every rank, which then accept alike and propose the same next round.
    std::optional<sim::Spool> spool;
    std::string shared;
    if (out.writer) {
      if (out.interrupted)
        shared = "I";
      else
        spool.emplace(sim::Spool::resume(sim::spool_path(round_out), plan.fingerprint));
    }
    std::size_t read = 0;
    std::vector<double> from_root;
    if (out.interrupted) {
      sim::mpi::broadcast(shared);
      throw sim::Interrupted();
    }
    if (!out.writer) {
      sim::mpi::broadcast(shared);
      if (shared == "I") throw sim::Interrupted();
      from_root.resize(shared.size() / sizeof(double));
      std::memcpy(from_root.data(), shared.data(), from_root.size() * sizeof(double));
    }
    res.runs += needed;
    pop.runs += needed;
    // Proposals in slot then attempt order: the first within the tolerance is the particle.
    std::vector<std::vector<sim::RunRecord>> runs(S);
    std::vector<double> stats(T);
    for (std::size_t a = 0; a < attempts.size(); ++a) {
      const Attempt& at = attempts[a];
      if (done[at.slot]) continue;  // an earlier attempt of this round was accepted
      if (out.writer) {
        for (std::size_t s = 0; s < S; ++s) {
          runs[s].clear();
          for (std::size_t r = 0; r < R; ++r) runs[s].push_back(spool->read((a * S + s) * R + r));
        }
        for (std::size_t t = 0; t < T; ++t) stats[t] = analysis::target_statistic(c.targets[t], schema, proj, runs);
        shared.append(reinterpret_cast<const char*>(stats.data()), T * sizeof(double));
      } else {
        std::copy(from_root.begin() + static_cast<std::ptrdiff_t>(read),
                  from_root.begin() + static_cast<std::ptrdiff_t>(read + T), stats.begin());
        read += T;
      }
      for (std::size_t t = 0; t < T; ++t)
        if (!std::isfinite(stats[t])) ++never[t];
      const double d = analysis::distance(c.targets, stats);
      ++pop.simulated;
      const bool ok = std::isfinite(d) && d <= pop.tolerance;
      if (!ok) continue;
      ++pop.within;
      done[at.slot] = true;
      --pending;
      std::copy(at.x.begin(), at.x.end(), pop.x.begin() + static_cast<std::ptrdiff_t>(at.slot * K));
      std::copy(stats.begin(), stats.end(), pop.stats.begin() + static_cast<std::ptrdiff_t>(at.slot * T));
      pop.distance[at.slot] = d;
    }
    if (out.writer) sim::mpi::broadcast(shared);
    if (g == 0 && pop.within == 0) {
      std::string which;
      for (std::size_t t = 0; t < T; ++t)
        if (never[t] == pop.simulated) which += (which.empty() ? "" : ", ") + c.targets[t].name;
      std::string first;
      for (const auto& e : errors)
        if (!e.empty()) first = e;
      throw sim::InputError(
          c.file + ": no proposal from the prior gave a defined value of " +
          (which.empty() ? std::string("every target") : "target(s) " + which) +
          (first.empty() ? std::string(". ") : " (a proposal's scenario failed: " + sim::shorten(first, 300) + "). ") +
          "Check that the targets' columns, months and scenarios can produce them (a survival "
          "horizon needs at least 10 rows that reach it).");
    }
    // The next round gives each waiting particle about as many attempts as one acceptance
    // takes at the rate seen so far.
    const double rate = pop.acceptance();
    batch = rate > 0 ? static_cast<std::size_t>(std::clamp(std::ceil(1 / rate), 1.0, 256.0))
                     : std::min<std::size_t>(4 * batch, 256);
  }
  return true;
}

void write_strings(sim::h5::Group& g, const std::string& name, const std::vector<std::string>& v,
                   const sim::h5::Dataset& scale, const std::string& desc) {
  auto d = g.write(name, v, {v.size()});
  d.set_attr("description", desc);
  d.attach_scale(scale, 0);
}

sim::h5::Dataset put(sim::h5::Group& g, const std::string& name, const std::vector<double>& v,
                     const std::vector<hsize_t>& dims, const std::vector<const sim::h5::Dataset*>& scales,
                     const std::string& units, const std::string& desc) {
  auto d = g.write(name, v, dims);
  if (!units.empty()) d.set_attr("units", units);
  d.set_attr("description", desc);
  for (unsigned a = 0; a < scales.size(); ++a) d.attach_scale(*scales[a], a);
  return d;
}

sim::h5::Dataset index_scale(sim::h5::Group& g, const std::string& name, std::size_t n, const std::string& desc) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  auto d = g.write(name, v, {n});
  d.make_scale(name);
  d.set_attr("units", std::string("1"));
  d.set_attr("description", desc);
  return d;
}

std::string statistic_definition(const sim::Target& t) {
  switch (t.kind) {
    case sim::StatisticKind::Series:
      return t.series + " at month " + std::to_string(t.month) + ", mean over replicates";
    case sim::StatisticKind::Yearly: return t.series + " in year " + std::to_string(t.year) + ", mean over replicates";
    case sim::StatisticKind::Survival:
      return "share with " + t.start + " >= 0 still without " + t.end + " " + std::to_string(t.month) +
             " months after it (Kaplan-Meier, replicates pooled)";
    case sim::StatisticKind::Hazard:
      return "hazard in year " + std::to_string(t.year) + " after " + t.start + ", ending at " + t.end +
             " (Kaplan-Meier, replicates pooled)";
    case sim::StatisticKind::Share: return "share of rows with " + t.column + " = " + t.label + " among those not 0";
    case sim::StatisticKind::Ratio:
      return "sum of " + t.numerator + " over sum of " + t.denominator + ", months " + std::to_string(t.from) + " to " +
             std::to_string(t.to);
  }
  return "";
}

std::string definition(const sim::Target& t, const sim::Calibration& c) {
  const std::string one = statistic_definition(t);
  if (t.versus == sim::Target::NO_VERSUS) return one;
  return (t.contrast == sim::Target::Contrast::Ratio ? "ratio of " : "difference of ") + one + ": " +
         c.scenarios[t.scenario].name + (t.contrast == sim::Target::Contrast::Ratio ? " over " : " minus ") +
         c.scenarios[t.versus].name + " (same replicates)";
}

void write_file(const fs::path& path, const sim::Calibration& c, const Result& res, const RunOptions& o) {
  namespace h5 = sim::h5;
  const auto& gens = res.generations;
  const std::size_t G = gens.size(), N = gens.front().size(), K = c.parameters.size(), T = c.targets.size();
  h5::File f = h5::File::create(path);
  h5::Group& root = f.root();
  root.set_attr("format", std::string(sim::FORMAT_NAME));
  root.set_attr("format_version", std::string(sim::FORMAT_VERSION));
  root.set_attr("kind", std::string("calibration"));
  root.set_attr("model", c.model->name);
  root.set_attr("engine_version", std::string(BERDAYA_VERSION));
  root.set_attr("git_commit", std::string(BERDAYA_GIT_COMMIT));
  root.set_attr("created", sim::utc_now());
  root.set_attr("command_line", o.command_line);
  root.set_attr("seed", c.method.seed);
  root.set_attr("experiment", c.name);
  root.set_attr("description", c.description);
  root.set_attr("experiment_toml", c.text);
  root.set_attr("scenario", c.scenarios.front().name);
  root.set_attr("scenario_toml", sim::resolved_toml(c.scenarios.front(), c.model->parameters()));
  root.set_attr("scenario_files", c.scenarios.front().files);
  root.set_attr("method", std::string("ABC-SMC"));
  root.set_attr("particles", c.method.particles);
  root.set_attr("replicates", c.method.replicates);
  root.set_attr("quantile", c.method.quantile);
  root.set_attr("generations", static_cast<long long>(G));
  root.set_attr("runs", static_cast<long long>(res.runs));
  root.set_attr("stop", res.stop);
  root.set_attr("hdf5_version", h5::library_version());

  h5::Group cal = root.create_group("calibration");
  cal.set_attr("description",
               std::string("ABC-SMC populations, [generation x particle x ...] (docs/output-format.md)"));
  const auto gs = index_scale(cal, "generation", G, "generation index, 0 = drawn from the prior");
  const auto ps = index_scale(cal, "particle", N, "particle index");
  std::vector<std::string> names, priors, units, tnames, tstats, tscen, tevid, tdef, tside, tversus;
  std::vector<double> low, high, mean, sd, alpha, beta, obs, osd;
  for (const auto& p : c.parameters) {
    names.push_back(p.name);
    priors.push_back(sim::prior_name(p.prior.kind));
    units.push_back(p.unit);
    low.push_back(p.prior.low);
    high.push_back(p.prior.high);
    const bool normal = p.prior.kind == sim::PriorKind::Normal, b = p.prior.kind == sim::PriorKind::Beta;
    mean.push_back(normal ? p.prior.mean : NaN);
    sd.push_back(normal ? p.prior.sd : NaN);
    alpha.push_back(b ? p.prior.alpha : NaN);
    beta.push_back(b ? p.prior.beta : NaN);
  }
  auto pn = cal.write("parameter", names, {K});
  pn.make_scale("parameter");
  pn.set_attr("description", std::string("dotted name of each free parameter"));
  for (const auto& t : c.targets) {
    tnames.push_back(t.name);
    tstats.push_back(sim::statistic_name(t.kind));
    tscen.push_back(c.scenarios[t.scenario].name);
    tevid.push_back(t.evidence);
    tdef.push_back(definition(t, c));
    tversus.push_back(t.versus == sim::Target::NO_VERSUS ? std::string() : c.scenarios[t.versus].name);
    tside.push_back(t.side == sim::Target::Side::AtMost    ? "at_most"
                    : t.side == sim::Target::Side::AtLeast ? "at_least"
                                                           : "both");
    obs.push_back(t.observed);
    osd.push_back(t.sd);
  }
  auto tn = cal.write("target", tnames, {T});
  tn.make_scale("target");
  tn.set_attr("description", std::string("name of each target"));

  write_strings(cal, "prior", priors, pn, "prior family: uniform, loguniform, normal or beta");
  write_strings(cal, "unit", units, pn, "unit of the parameter");
  put(cal, "prior_low", low, {K}, {&pn}, "", "lower end of the prior's support");
  put(cal, "prior_high", high, {K}, {&pn}, "", "upper end of the prior's support");
  put(cal, "prior_mean", mean, {K}, {&pn}, "", "normal prior: mean before truncation (NaN for others)");
  put(cal, "prior_sd", sd, {K}, {&pn}, "", "normal prior: sd before truncation (NaN for others)");
  put(cal, "prior_alpha", alpha, {K}, {&pn}, "", "beta prior: alpha (NaN for others)");
  put(cal, "prior_beta", beta, {K}, {&pn}, "", "beta prior: beta (NaN for others)");
  write_strings(cal, "statistic", tstats, tn, "statistic kind: series, yearly, survival, hazard, share or ratio");
  write_strings(cal, "definition", tdef, tn, "what the statistic is, in words");
  write_strings(cal, "target_scenario", tscen, tn, "name of the scenario the target is simulated in");
  write_strings(cal, "target_versus", tversus, tn,
                "a contrast: the scenario the statistic is compared with (empty for a plain statistic)");
  write_strings(cal, "evidence", tevid, tn, "the observation as the calibration file gave it");
  write_strings(cal, "side", tside, tn,
                "both: observed is a value; at_most, at_least: a bound, and only a simulation beyond it counts");
  put(cal, "observed", obs, {T}, {&tn}, "", "observed value of each target");
  put(cal, "observed_sd", osd, {T}, {&tn}, "", "its standard error, the scale of the distance");

  std::vector<double> particles, weights, distances, stats, tol, acc, ess, sim_n, runs, ksd;
  for (const auto& p : gens) {
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t k = 0; k < K; ++k) particles.push_back(analysis::to_value(c.parameters[k], p.x[i * K + k]));
    weights.insert(weights.end(), p.weight.begin(), p.weight.end());
    distances.insert(distances.end(), p.distance.begin(), p.distance.end());
    stats.insert(stats.end(), p.stats.begin(), p.stats.end());
    tol.push_back(p.tolerance);
    acc.push_back(p.acceptance());
    ess.push_back(p.ess());
    sim_n.push_back(static_cast<double>(p.simulated));
    runs.push_back(static_cast<double>(p.runs));
    for (std::size_t k = 0; k < K; ++k) ksd.push_back(p.kernel_sd.empty() ? NaN : p.kernel_sd[k]);
  }
  put(cal, "particles", particles, {G, N, K}, {&gs, &ps, &pn}, "",
      "parameter values of each particle (an integer parameter runs rounded)");
  put(cal, "weights", weights, {G, N}, {&gs, &ps}, "1", "normalised importance weight of each particle");
  put(cal, "distances", distances, {G, N}, {&gs, &ps}, "1",
      "distance of the particle's simulation: sum over targets of ((simulated - observed) / sd)^2");
  put(cal, "statistics", stats, {G, N, T}, {&gs, &ps, &tn}, "", "the particle's simulated statistic of each target");
  put(cal, "tolerance", tol, {G}, {&gs}, "1", "tolerance of the generation (inf in generation 0)");
  put(cal, "acceptance_rate", acc, {G}, {&gs}, "1", "share of the simulated proposals within the tolerance");
  put(cal, "ess", ess, {G}, {&gs}, "particles", "effective sample size, 1 / sum of squared weights");
  put(cal, "proposals", sim_n, {G}, {&gs}, "1", "proposals simulated");
  put(cal, "runs", runs, {G}, {&gs}, "1", "model runs of the generation");
  put(cal, "kernel_sd", ksd, {G, K}, {&gs, &pn}, "",
      "perturbation kernel sd per parameter (log scale for log-uniform priors; NaN in generation 0)");

  // The final population: marginals and the posterior predictive check of every target.
  const auto& last = gens.back();
  std::vector<double> q05, q50, q95, p05, p95;
  for (std::size_t k = 0; k < K; ++k) {
    std::vector<double> v(N);
    for (std::size_t i = 0; i < N; ++i) v[i] = analysis::to_value(c.parameters[k], last.x[i * K + k]);
    q05.push_back(analysis::weighted_quantile(v, last.weight, 0.05));
    q50.push_back(analysis::weighted_quantile(v, last.weight, 0.5));
    q95.push_back(analysis::weighted_quantile(v, last.weight, 0.95));
    p05.push_back(analysis::prior_quantile(c.parameters[k], 0.05));
    p95.push_back(analysis::prior_quantile(c.parameters[k], 0.95));
  }
  h5::Group post = root.create_group("posterior");
  post.set_attr("description", std::string("The last generation summarised: marginals and predictive checks"));
  auto pn2 = post.write("parameter", names, {K});
  pn2.make_scale("parameter");
  auto tn2 = post.write("target", tnames, {T});
  tn2.make_scale("target");
  put(post, "median", q50, {K}, {&pn2}, "", "weighted posterior median");
  put(post, "q05", q05, {K}, {&pn2}, "", "weighted posterior 5% quantile");
  put(post, "q95", q95, {K}, {&pn2}, "", "weighted posterior 95% quantile");
  put(post, "prior_q05", p05, {K}, {&pn2}, "", "prior 5% quantile");
  put(post, "prior_q95", p95, {K}, {&pn2}, "", "prior 95% quantile");
  std::vector<double> s05, s50, s95;
  for (std::size_t t = 0; t < T; ++t) {
    std::vector<double> v(N);
    for (std::size_t i = 0; i < N; ++i) v[i] = last.stats[i * T + t];
    s05.push_back(analysis::weighted_quantile(v, last.weight, 0.05));
    s50.push_back(analysis::weighted_quantile(v, last.weight, 0.5));
    s95.push_back(analysis::weighted_quantile(v, last.weight, 0.95));
  }
  put(post, "observed", obs, {T}, {&tn2}, "", "observed value of each target");
  put(post, "predictive_median", s50, {T}, {&tn2}, "", "weighted median of the accepted simulations' statistic");
  put(post, "predictive_q05", s05, {T}, {&tn2}, "", "their weighted 5% quantile");
  put(post, "predictive_q95", s95, {T}, {&tn2}, "", "their weighted 95% quantile");
  f.close();
}

void write_atomically(const fs::path& path, const sim::Calibration& c, const Result& res, const RunOptions& o) {
  write_sealed(path, work_dir(path, ".calibration"), [&](const fs::path& tmp) { write_file(tmp, c, res, o); });
}

}  // namespace

bool is_calibration_file(const fs::path& file) { return analysis::is_calibration_file(file); }

std::string calibration_summary(const fs::path& file, sim::SummaryFormat format) {
  const analysis::CalibrationResult r = analysis::read_calibration(file);
  const auto &names = r.parameters, &targets = r.targets;
  const std::size_t K = names.size(), T = targets.size(), G = r.generations();
  const auto &med = r.median, &q05 = r.q05, &q95 = r.q95, &p05 = r.prior_q05, &p95 = r.prior_q95;
  const auto &obs = r.observed, &s05 = r.predictive_q05, &s50 = r.predictive_median, &s95 = r.predictive_q95;
  const auto &evidence = r.evidence, &side = r.side;
  const auto& osd = r.observed_sd;
  const auto &tol = r.tolerance, &acc = r.acceptance_rate, &ess = r.ess;
  const long long runs = r.runs;
  const std::string &name = r.name, &model = r.model, &stop = r.stop;
  auto covered = [&](std::size_t t) { return r.covered(t); };
  std::ostringstream out;
  if (format == sim::SummaryFormat::Markdown) return "";
  if (format == sim::SummaryFormat::Json) {
    out << "{\"kind\": \"calibration\", \"model\": " << json_str(model) << ", \"name\": " << json_str(name)
        << ", \"generations\": " << G << ", \"runs\": " << runs << ", \"stop\": " << json_str(stop)
        << ", \"tolerance\": " << json_num(tol.back()) << ", \"acceptance_rate\": " << json_num(acc.back())
        << ", \"ess\": " << json_num(ess.back()) << ", \"parameters\": [";
    for (std::size_t k = 0; k < K; ++k)
      out << (k ? ", " : "") << "{\"name\": " << json_str(names[k]) << ", \"median\": " << json_num(med[k])
          << ", \"q05\": " << json_num(q05[k]) << ", \"q95\": " << json_num(q95[k])
          << ", \"prior_q05\": " << json_num(p05[k]) << ", \"prior_q95\": " << json_num(p95[k])
          << ", \"width_ratio\": " << json_num((q95[k] - q05[k]) / (p95[k] - p05[k])) << "}";
    out << "], \"targets\": [";
    for (std::size_t t = 0; t < T; ++t)
      out << (t ? ", " : "") << "{\"name\": " << json_str(targets[t]) << ", \"observed\": " << json_num(obs[t])
          << ", \"sd\": " << json_num(osd[t]) << ", \"side\": " << json_str(side[t])
          << ", \"evidence\": " << json_str(evidence[t]) << ", \"predictive_median\": " << json_num(s50[t])
          << ", \"predictive_q05\": " << json_num(s05[t]) << ", \"predictive_q95\": " << json_num(s95[t])
          << ", \"covered\": " << (covered(t) ? "true" : "false") << "}";
    out << "]}\n";
    return out.str();
  }
  out << "Calibration '" << name << "' of model " << model << ": ABC-SMC, " << G << " generation" << (G > 1 ? "s" : "")
      << ", " << runs << " runs\n";
  out << "  last generation: tolerance " << num(tol.back()) << ", acceptance " << num(100 * acc.back())
      << "%, effective sample size " << num(ess.back()) << "\n";
  if (!stop.empty()) out << "  stopped: " << stop << "\n";
  std::size_t w = 9;
  for (const auto& n : names) w = std::max(w, n.size());
  auto pad = [](std::string s, std::size_t n) {
    if (s.size() < n) s.append(n - s.size(), ' ');
    return s;
  };
  out << "\nPosterior marginals (weighted; 90% interval; width against the prior's 90% interval)\n  "
      << pad("parameter", w) << "  median      90% interval             prior 90% interval       width\n";
  for (std::size_t k = 0; k < K; ++k)
    out << "  " << pad(names[k], w) << "  " << pad(num(med[k]), 10) << "  "
        << pad("[" + num(q05[k]) + ", " + num(q95[k]) + "]", 23) << "  "
        << pad("[" + num(p05[k]) + ", " + num(p95[k]) + "]", 23) << "  "
        << num(100 * (q95[k] - q05[k]) / (p95[k] - p05[k])) << "%\n";
  std::size_t tw = 6;
  for (const auto& n : targets) tw = std::max(tw, n.size());
  out << "\nPosterior predictive check (the accepted simulations' statistic, weighted)\n  " << pad("target", tw)
      << "  observed    evidence        predictive median and 90% interval\n";
  for (std::size_t t = 0; t < T; ++t)
    out << "  " << pad(targets[t], tw) << "  " << pad(num(obs[t]), 10) << "  " << pad(evidence[t], 14) << "  "
        << pad(num(s50[t]), 10) << " [" << num(s05[t]) << ", " << num(s95[t]) << "]"
        << (covered(t) ? "" : "  (observed outside)") << "\n";
  return out.str();
}

int run_calibration(const RunOptions& o) {
  const sim::Calibration c = sim::load_calibration(o.input);
  const analysis::Projection proj = analysis::projection(c);
  // Each scenario as written must bind, and its data files be there, before any work.
  std::vector<fs::path> inputs{o.input};
  for (std::size_t s = 0; s < c.scenarios.size(); ++s) {
    const auto inst = c.model->instantiate(c.scenarios[s], c.scenario_files[s].parent_path());
    static_cast<void>(inst->labels());
    for (const auto& file : c.scenarios[s].files) inputs.push_back(file);
    for (const auto& file : inst->data_files()) inputs.push_back(file);
  }
  if (o.check) {
    std::cout << o.input << ": ok (" << c.model->name << " calibration '" << c.name << "', " << c.parameters.size()
              << " free parameters, " << c.targets.size() << " targets, " << c.scenarios.size() << " scenario"
              << (c.scenarios.size() > 1 ? "s" : "") << ")\n";
    return 0;
  }
  const fs::path out = o.output.empty() ? fs::path(c.name + "-posterior.h5") : fs::path(o.output);
  sim::check_output_path(out, "posterior.h5", inputs, o.force || o.resume);
  sim::remove_stale_temporaries(out);
  const fs::path work = work_dir(out, ".calibration");
  const bool writer = sim::mpi::rank() == 0;  // under MPI the other ranks only compute
  if (writer) {
    if (fs::exists(work) && !o.resume)
      throw sim::InputError(work.string() + ": an interrupted calibration writing " + out.string() +
                            " left its finished runs here. Continue it with --resume, or delete the folder to start "
                            "afresh.");
    if (o.resume && !fs::exists(work))
      std::fprintf(stderr, "berdaya: no %s to resume: starting afresh\n", work.c_str());
    fs::create_directories(work);
  }

  const sim::SignalGuard guard;
  Result res;
  const auto start = std::chrono::steady_clock::now();
  try {
    for (std::size_t g = 0; g < static_cast<std::size_t>(c.method.generations); ++g) {
      // A signal between rounds stops before the next one (under MPI rank 0 tells the others
      // at the end of its next round).
      if (sim::mpi::size() == 1) sim::throw_if_interrupted();
      analysis::Population pop;
      if (!run_generation(c, proj, o, work, g, res, pop)) break;
      analysis::Sampler sampler(c.parameters, static_cast<std::uint64_t>(c.method.seed), g,
                                g ? &res.generations.back() : nullptr, c.method.quantile);
      pop.weight = sampler.weights(pop.x);
      res.generations.push_back(std::move(pop));
      const auto& p = res.generations.back();
      if (!o.json && writer)
        std::fprintf(stderr, "generation %zu: tolerance %s, acceptance %.1f%%, ESS %.0f, %zu runs\n", g,
                     num(p.tolerance).c_str(), 100 * p.acceptance(), p.ess(), p.runs);
      if (g > 0 && p.tolerance <= c.method.min_tolerance) {
        res.stop = "tolerance " + num(p.tolerance) + " reached min_tolerance";
        break;
      }
      if (g > 0 && p.acceptance() < c.method.min_acceptance) {
        res.stop = "acceptance rate " + num(p.acceptance()) + " below min_acceptance";
        break;
      }
    }
  } catch (const sim::Interrupted&) {
    if (writer) report_interrupted(work);
    return EXIT_INTERRUPTED;
  }
  if (!writer) return 0;
  if (sim::stop_requested()) {  // a signal during the last round: nothing is written
    report_interrupted(work);
    return EXIT_INTERRUPTED;
  }
  if (res.generations.empty())
    throw sim::InputError(c.file + ": no generation was completed (" + res.stop +
                          "). Raise max_runs or max_attempts in [method], or use fewer particles.");
  write_atomically(out, c, res, o);
  std::error_code ec;
  fs::remove_all(work, ec);
  if (!o.json) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%zu runs in %.1f s\n", res.runs, secs);
  }
  std::cout << calibration_summary(out, o.json ? sim::SummaryFormat::Json : sim::SummaryFormat::Text);
  return 0;
}

CLI::App* add_calibrate_command(CLI::App& app, RunOptions& o, const std::string& cmdline) {
  auto* cmd = app.add_subcommand(
      "calibrate", "Fit free parameters to observed targets by ABC-SMC: a posterior, with predictive checks");
  cmd->add_option("calibration", o.input, "Calibration file (TOML; docs/calibration.md)")->required();
  cmd->add_option("-o,--output", o.output, "Result file (default: <name>-posterior.h5)");
  cmd->add_option("--threads", o.threads, "Threads (default: all cores); results do not depend on it");
  cmd->add_flag("--json", o.json, "Print the summary as one JSON object");
  cmd->add_flag("--resume", o.resume,
                "Continue an interrupted calibration from its spools (OUTPUT.calibration/), redoing only missing runs");
  cmd->add_flag("--force", o.force, "Replace the result file if it exists");
  cmd->add_flag("--check", o.check, "Check the calibration file and bind its scenarios, then stop without running");
  cmd->footer("Example: berdaya calibrate scenarios/calibration/kota-batu.toml -o posterior.h5 --threads 2");
  o.command_line = cmdline;
  return cmd;
}

}  // namespace cli
