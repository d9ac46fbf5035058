// berdaya optimize: the best mixes of levers under a budget (docs/optimization.md). The
// search is pagmo2's (NSGA-II for several objectives, GACO for one); every generation's
// candidates are evaluated as one plan for the experiment runner, so runs go on threads
// (or MPI ranks), stream to a spool and survive an interruption. Every candidate runs at
// the same (posterior draw, replicate) seeds: comparisons between candidates are paired.
// The algorithm is seeded and its candidates depend only on the fitness of earlier ones,
// so --resume replays it against the spooled batches and redoes only missing runs, and
// the file is the same for any thread count.
#include "cli/optimize.h"
#include "cli/evolve.h"
#include "cli/file_output.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>

#include <unistd.h>

#include "analysis/calibration.h"
#include "analysis/report_text.h"
#include "analysis/svg.h"
#include "berdaya_build_info.h"
#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/h5.h"
#include "sim/mpi.h"
#include "sim/optimization_file.h"
#include "sim/output.h"
#include "sim/posterior.h"
#include "sim/random.h"
#include "sim/signals.h"
#include "sim/spool.h"
#include "sim/writer.h"

namespace cli {

namespace fs = std::filesystem;

namespace {

constexpr int EXIT_INTERRUPTED = 130;
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
// Fitness of a candidate over budget: every objective at OVER * (1 + relative excess),
// beyond any feasible value, so every feasible candidate dominates it and of two over
// budget the cheaper dominates (feasibility first). A candidate whose runs failed or
// whose objectives are undefined is worse still.
constexpr double OVER = 1e20, UNDEFINED = 1e28, LARGEST_FEASIBLE = 1e18;

double quantile_of(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return NaN;
  return analysis::weighted_quantile(v, std::vector<double>(v.size(), 1.0 / static_cast<double>(v.size())), q);
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NaN : s / static_cast<double>(v.size());
}

struct Candidate {
  std::vector<double> x;  // per variable, in the file's order (a choice: its index)
  std::size_t generation = 0;
  std::string start;  // the start scenario it is, if any
  double cost = NaN, cost_q05 = NaN, cost_q95 = NaN;
  std::vector<double> value, mean, q05, q95;  // per objective
  std::vector<double> per_draw;               // [objective x draw]
  bool failed = false;
  std::string error;
  bool feasible() const {
    if (failed) return false;
    for (double v : value)
      if (!std::isfinite(v)) return false;
    return std::isfinite(cost);
  }
};

// Evaluates candidates in batches through the experiment runner and keeps every one.
class Evaluator {
 public:
  Evaluator(const sim::Optimization& opt, const analysis::Projection& proj, const sim::PosteriorDraws* post,
            fs::path work, const RunOptions& o)
      : opt_(opt), proj_(proj), post_(post), work_(std::move(work)), o_(o) {
    for (std::size_t k = 0; k < opt.variables.size(); ++k)
      if (!opt.variables[k].integer()) order_.push_back(k);
    for (std::size_t k = 0; k < opt.variables.size(); ++k)
      if (opt.variables[k].integer()) order_.push_back(k);
    D_ = post ? post->draws() : 1;
    R_ = static_cast<std::size_t>(opt.search.replicates);
    cost_target_.name = "cost";
    cost_target_.kind = sim::StatisticKind::Series;
    cost_target_.series = opt.budget.series;
    cost_target_.month = sim::run_months(opt.scenario, *opt.model);
    years_ = static_cast<double>(cost_target_.month) / 12.0;
  }
  const std::vector<std::size_t>& order() const { return order_; }
  std::size_t draws() const { return D_; }
  std::size_t runs() const { return runs_; }
  std::size_t batches() const { return batches_; }
  const std::vector<Candidate>& candidates() const { return cands_; }
  const sim::Target& cost_target() const { return cost_target_; }

  // Fitness (all minimized) of `n` decision vectors laid end to end in pagmo's order.
  std::vector<double> batch(const std::vector<double>& dvs, const std::vector<std::string>& starts = {}) {
    const std::size_t V = order_.size(), O = opt_.objectives.size();
    const std::size_t n = dvs.size() / V;
    std::vector<std::size_t> which(n);
    const std::size_t first = cands_.size();
    for (std::size_t i = 0; i < n; ++i) {
      Candidate c;
      c.x.assign(V, 0);
      for (std::size_t p = 0; p < V; ++p) {
        const auto& var = opt_.variables[order_[p]];
        double v = std::clamp(dvs[i * V + p], var.lower(), var.upper());
        if (var.integer()) v = std::round(v);
        c.x[order_[p]] = v;
      }
      std::string key;
      for (double v : c.x) key += bits(v);
      const auto it = index_.find(key);
      if (it != index_.end()) {
        which[i] = it->second;
        if (i < starts.size() && cands_[it->second].start.empty()) cands_[it->second].start = starts[i];
        continue;
      }
      if (i < starts.size()) c.start = starts[i];
      c.generation = batches_;
      index_.emplace(key, cands_.size());
      which[i] = cands_.size();
      cands_.push_back(std::move(c));
    }
    if (cands_.size() > first) evaluate(first);
    ++batches_;
    std::vector<double> f(n * O);
    for (std::size_t i = 0; i < n; ++i) {
      const auto fit = fitness(cands_[which[i]]);
      std::copy(fit.begin(), fit.end(), f.begin() + static_cast<std::ptrdiff_t>(i * O));
    }
    return f;
  }

  bool within_budget(const Candidate& c) const { return c.feasible() && c.cost <= opt_.budget.amount; }

  std::vector<double> fitness(const Candidate& c) const {
    const std::size_t O = opt_.objectives.size();
    if (!c.feasible()) return std::vector<double>(O, UNDEFINED);
    if (c.cost > opt_.budget.amount)
      return std::vector<double>(O, OVER * (1 + (c.cost - opt_.budget.amount) / opt_.budget.amount));
    std::vector<double> f(O);
    for (std::size_t k = 0; k < O; ++k) {
      f[k] = opt_.objectives[k].maximize ? -c.value[k] : c.value[k];
      if (std::fabs(f[k]) >= LARGEST_FEASIBLE)
        throw sim::InputError(opt_.file + ": objective '" + opt_.objectives[k].statistic.name + "' reaches " +
                              sim::format_number(c.value[k]) +
                              ", beyond the 1e18 the search ranks feasible values within. Choose a statistic of "
                              "smaller scale (a mean per group or household, a share).");
    }
    return f;
  }

 private:
  sim::Resolved scenario_of(const Candidate& c, std::size_t d) const {
    const auto& table = opt_.model->parameters();
    sim::Resolved r = post_ ? sim::at_draw(opt_.scenario, table, *post_, d) : opt_.scenario;
    for (std::size_t k = 0; k < opt_.variables.size(); ++k)
      sim::set_from_command_line(r, table, opt_.variables[k].name, opt_.variables[k].value(c.x[k]),
                                 "the optimization's candidate");
    return r;
  }

  std::uint64_t run_seed(std::size_t d) const {
    return sim::draw_run_seed(static_cast<std::uint64_t>(opt_.search.seed), d);
  }

  // Runs candidates first.. as one plan: case (a, d) is candidate first + a at draw d.
  void evaluate(std::size_t first) {
    if (sim::mpi::size() == 1) sim::throw_if_interrupted();
    const std::size_t A = cands_.size() - first, D = D_, R = R_, O = opt_.objectives.size();
    const auto& table = opt_.model->parameters();
    sim::Plan plan;
    plan.kind = "optimize";
    plan.case_dim = "candidate";
    plan.replicates = R;
    plan.months = static_cast<int>(sim::run_months(opt_.scenario, *opt_.model));
    std::string fp = "optimize\n" + opt_.text + "\n" + std::to_string(batches_) + "\n" +
                     sim::resolved_toml(opt_.scenario, table) + (post_ ? post_->fingerprint : std::string()) + "\n";
    for (std::size_t a = 0; a < A; ++a) {
      for (double v : cands_[first + a].x) fp += bits(v);
      for (std::size_t d = 0; d < D; ++d) plan.cases.push_back(std::to_string(first + a) + "@" + std::to_string(d));
    }
    plan.fingerprint = fingerprint(fp);
    std::vector<std::unique_ptr<const sim::Instance>> instances(A * D);
    std::vector<std::string> errors(A * D);
    std::vector<std::once_flag> bound(A * D);
    auto instance = [&](std::size_t ci) {
      std::call_once(bound[ci], [&] {
        // A candidate that breaks a relation between parameters fails alone: it is infeasible.
        try {
          instances[ci] =
              opt_.model->instantiate(scenario_of(cands_[first + ci / D], ci % D), opt_.scenario_file.parent_path());
        } catch (const sim::InputError& e) {
          errors[ci] = e.what();
        }
      });
      return instances[ci].get();
    };
    const fs::path out = work_ / ("b" + std::to_string(batches_));
    sim::ExecOptions eo;
    eo.threads = o_.threads;
    eo.resume = fs::exists(sim::spool_path(out));  // only a --resume keeps the folder
    eo.what = "berdaya optimize " + opt_.name + ", generation " + std::to_string(batches_);
    eo.progress = o_.progress;
    const sim::Outcome res = sim::execute(
        plan,
        [&](std::size_t ci, std::size_t rep) {
          const sim::Instance* inst = instance(ci);
          if (!inst) throw std::runtime_error(errors[ci]);
          return proj_.apply(inst->run(run_seed(ci % D), rep));
        },
        out, eo);
    std::string shared;
    if (res.interrupted) {
      if (res.writer) shared = "I";
      sim::mpi::broadcast(shared);
      throw sim::Interrupted();
    }
    runs_ += plan.tasks();
    const std::size_t per = 4 + O * (4 + D);
    std::vector<double> packed;
    if (res.writer) {
      const sim::Spool spool = sim::Spool::resume(sim::spool_path(out), plan.fingerprint);
      const sim::Schema& schema = opt_.model->schema();
      std::vector<sim::RunRecord> runs, one(1);
      for (std::size_t a = 0; a < A; ++a) {
        Candidate& c = cands_[first + a];
        std::vector<double> costs;
        std::vector<std::vector<double>> draw_values(O), single(O);
        std::string error;
        for (std::size_t d = 0; d < D; ++d) {
          runs.clear();
          for (std::size_t r = 0; r < R; ++r) {
            runs.push_back(spool.read(((a * D) + d) * R + r));
            if (!runs.back().error.empty() && error.empty()) error = runs.back().error;
            one[0] = runs.back();
            costs.push_back(analysis::statistic(cost_target_, schema, proj_, one) /
                            (opt_.budget.per_year ? years_ : 1.0));
            for (std::size_t k = 0; k < O; ++k)
              single[k].push_back(analysis::statistic(opt_.objectives[k].statistic, schema, proj_, one));
          }
          for (std::size_t k = 0; k < O; ++k)
            draw_values[k].push_back(analysis::statistic(opt_.objectives[k].statistic, schema, proj_, runs));
        }
        packed.push_back(error.empty() ? 0 : 1);
        packed.push_back(mean_of(costs));
        packed.push_back(quantile_of(costs, 0.05));
        packed.push_back(quantile_of(costs, 0.95));
        for (std::size_t k = 0; k < O; ++k) {
          const auto& v = draw_values[k];
          const bool any_nan = std::any_of(v.begin(), v.end(), [](double x) { return !std::isfinite(x); });
          const double m = any_nan ? NaN : mean_of(v);
          const double q = opt_.objectives[k].maximize ? opt_.robustness.quantile : 1 - opt_.robustness.quantile;
          packed.push_back(any_nan ? NaN : opt_.robustness.quantile_rule ? quantile_of(v, q) : m);
          packed.push_back(m);
          // The interval: over draws with a posterior, else over single replicates.
          const auto& spread = D > 1 ? v : single[k];
          packed.push_back(quantile_of(spread, 0.05));
          packed.push_back(quantile_of(spread, 0.95));
          packed.insert(packed.end(), v.begin(), v.end());
        }
        c.error = error;
      }
      shared.assign(reinterpret_cast<const char*>(packed.data()), packed.size() * sizeof(double));
    }
    sim::mpi::broadcast(shared);
    if (shared == "I") throw sim::Interrupted();
    packed.resize(shared.size() / sizeof(double));
    std::memcpy(packed.data(), shared.data(), packed.size() * sizeof(double));
    for (std::size_t a = 0; a < A; ++a) {
      Candidate& c = cands_[first + a];
      const double* p = packed.data() + a * per;
      c.failed = p[0] != 0;
      c.cost = p[1];
      c.cost_q05 = p[2];
      c.cost_q95 = p[3];
      p += 4;
      for (std::size_t k = 0; k < O; ++k, p += 4 + D) {
        c.value.push_back(p[0]);
        c.mean.push_back(p[1]);
        c.q05.push_back(p[2]);
        c.q95.push_back(p[3]);
        c.per_draw.insert(c.per_draw.end(), p + 4, p + 4 + D);
      }
    }
  }

  const sim::Optimization& opt_;
  const analysis::Projection& proj_;
  const sim::PosteriorDraws* post_;
  fs::path work_;
  const RunOptions& o_;
  std::vector<std::size_t> order_;  // pagmo's coordinate p is variable order_[p]: reals, then integers
  std::size_t D_ = 1, R_ = 1, runs_ = 0, batches_ = 0;
  double years_ = 1;
  sim::Target cost_target_;
  std::vector<Candidate> cands_;
  std::map<std::string, std::size_t> index_;
};

// Non-dominated among the candidates within budget, in the objectives and the cost.
std::vector<bool> front_of(const sim::Optimization& opt, const Evaluator& ev) {
  const auto& cs = ev.candidates();
  const std::size_t C = cs.size(), O = opt.objectives.size();
  auto crit = [&](const Candidate& c, std::size_t k) {
    if (k == O) return c.cost;
    return opt.objectives[k].maximize ? -c.value[k] : c.value[k];
  };
  std::vector<bool> front(C, false);
  for (std::size_t i = 0; i < C; ++i) {
    if (!ev.within_budget(cs[i])) continue;
    bool dominated = false;
    for (std::size_t j = 0; j < C && !dominated; ++j) {
      if (j == i || !ev.within_budget(cs[j])) continue;
      bool no_worse = true, better = false;
      for (std::size_t k = 0; k <= O; ++k) {
        const double a = crit(cs[j], k), b = crit(cs[i], k);
        if (a > b) no_worse = false;
        if (a < b) better = true;
      }
      // Of candidates equal in everything the first evaluated stands for them.
      dominated = no_worse && (better || j < i);
    }
    front[i] = !dominated;
  }
  return front;
}

std::string definition(const sim::Target& t) {
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

sim::h5::Dataset put(sim::h5::Group& g, const std::string& name, const std::vector<double>& v,
                     const std::vector<hsize_t>& dims, const std::vector<const sim::h5::Dataset*>& scales,
                     const std::string& units, const std::string& desc) {
  auto d = g.write(name, v, dims);
  if (!units.empty()) d.set_attr("units", units);
  d.set_attr("description", desc);
  for (unsigned a = 0; a < scales.size(); ++a) d.attach_scale(*scales[a], a);
  return d;
}

sim::h5::Dataset names_scale(sim::h5::Group& g, const std::string& name, const std::vector<std::string>& v,
                             const std::string& desc) {
  auto d = g.write(name, v, {v.size()});
  d.make_scale(name);
  d.set_attr("description", desc);
  return d;
}

void write_file(const fs::path& path, const sim::Optimization& opt, const Evaluator& ev,
                const sim::PosteriorDraws* post, const RunOptions& o) {
  namespace h5 = sim::h5;
  const auto& cs = ev.candidates();
  const std::size_t C = cs.size(), V = opt.variables.size(), O = opt.objectives.size(), D = ev.draws();
  const auto& table = opt.model->parameters();
  h5::File f = h5::File::create(path);
  h5::Group& root = f.root();
  root.set_attr("format", std::string(sim::FORMAT_NAME));
  root.set_attr("format_version", std::string(sim::FORMAT_VERSION));
  root.set_attr("kind", std::string("optimization"));
  root.set_attr("model", opt.model->name);
  root.set_attr("engine_version", std::string(BERDAYA_VERSION));
  root.set_attr("git_commit", std::string(BERDAYA_GIT_COMMIT));
  root.set_attr("created", sim::utc_now());
  root.set_attr("command_line", o.command_line);
  root.set_attr("seed", opt.search.seed);
  root.set_attr("experiment", opt.name);
  root.set_attr("description", opt.description);
  root.set_attr("experiment_toml", opt.text);
  root.set_attr("scenario", opt.scenario.name);
  root.set_attr("scenario_toml", sim::resolved_toml(opt.scenario, table));
  root.set_attr("scenario_files", opt.scenario.files);
  root.set_attr("method", std::string(opt.method() == "nsga2" ? "NSGA-II" : "GACO"));
  root.set_attr("library", std::string("pagmo2"));
  root.set_attr("constraint_handling",
                std::string("feasibility first: a candidate over budget scores 1e20 x (1 + relative excess) on "
                            "every objective"));
  root.set_attr("population", opt.search.population);
  root.set_attr("generations", opt.search.generations);
  root.set_attr("replicates", opt.search.replicates);
  root.set_attr("draws", static_cast<long long>(D));
  root.set_attr("rule", std::string(opt.robustness.quantile_rule ? "quantile" : "mean"));
  root.set_attr("quantile", opt.robustness.quantile_rule ? opt.robustness.quantile : NaN);
  root.set_attr("budget", opt.budget.amount);
  root.set_attr("budget_basis", std::string(opt.budget.per_year ? "per_year" : "total"));
  root.set_attr("cost_series", opt.budget.series);
  root.set_attr("months", static_cast<long long>(ev.cost_target().month));
  root.set_attr("posterior", post ? post->file : std::string());
  root.set_attr("posterior_fingerprint", post ? post->fingerprint : std::string());
  root.set_attr("runs", static_cast<long long>(ev.runs()));
  root.set_attr("batches", static_cast<long long>(ev.batches()));
  root.set_attr("hdf5_version", h5::library_version());

  h5::Group g = root.create_group("optimization");
  g.set_attr("description", std::string("Every evaluated candidate, [candidate x ...] (docs/output-format.md)"));
  std::vector<std::int32_t> idx(C);
  for (std::size_t i = 0; i < C; ++i) idx[i] = static_cast<std::int32_t>(i);
  auto cand = g.write("candidate", idx, {C});
  cand.make_scale("candidate");
  cand.set_attr("description", std::string("candidate index, in the order evaluated"));
  std::vector<std::string> vn, vk, vu, vd, vb, vc;
  std::vector<double> lo, hi;
  for (const auto& v : opt.variables) {
    vn.push_back(v.name);
    vk.push_back(v.is_choice ? "choice" : sim::kind_name(v.kind));
    vu.push_back(v.unit);
    vd.push_back(v.description);
    vb.push_back(v.base);
    std::string ch;
    for (const auto& t : v.choice_text) ch += (ch.empty() ? "" : "|") + t;
    vc.push_back(ch);
    lo.push_back(v.is_choice ? NaN : v.low);
    hi.push_back(v.is_choice ? NaN : v.high);
  }
  const auto vs = names_scale(g, "variable", vn, "dotted name of each decision variable");
  for (const auto& [name, vals, desc] : std::vector<std::tuple<std::string, std::vector<std::string>, std::string>>{
           {"variable_kind", vk, "real, integer or choice"},
           {"variable_unit", vu, "unit of the parameter"},
           {"variable_description", vd, "what the parameter is"},
           {"variable_base", vb, "its value in the base scenario"},
           {"variable_choices", vc, "a choice variable's values, '|'-separated"}}) {
    auto d = g.write(name, vals, {V});
    d.set_attr("description", desc);
    d.attach_scale(vs, 0);
  }
  put(g, "low", lo, {V}, {&vs}, "", "lower bound (NaN for a choice)");
  put(g, "high", hi, {V}, {&vs}, "", "upper bound (NaN for a choice)");
  std::vector<std::string> on, odir, odef;
  for (const auto& ob : opt.objectives) {
    on.push_back(ob.statistic.name);
    odir.push_back(ob.maximize ? "maximize" : "minimize");
    odef.push_back(definition(ob.statistic));
  }
  const auto os = names_scale(g, "objective", on, "name of each objective");
  for (const auto& [name, vals, desc] : std::vector<std::tuple<std::string, std::vector<std::string>, std::string>>{
           {"direction", odir, "maximize or minimize"}, {"definition", odef, "the statistic of the runs"}}) {
    auto d = g.write(name, vals, {O});
    d.set_attr("description", desc);
    d.attach_scale(os, 0);
  }
  std::vector<double> x, cost, c05, c95, val, mean, q05, q95, per;
  std::vector<std::string> text, errors, starts;
  std::vector<std::int32_t> gen, feasible, front_i, failed;
  const auto front = front_of(opt, ev);
  for (std::size_t i = 0; i < C; ++i) {
    const auto& c = cs[i];
    for (std::size_t k = 0; k < V; ++k) {
      const auto& v = opt.variables[k];
      x.push_back(c.x[k]);
      text.push_back(v.text(c.x[k]));
    }
    gen.push_back(static_cast<std::int32_t>(c.generation));
    cost.push_back(c.cost);
    c05.push_back(c.cost_q05);
    c95.push_back(c.cost_q95);
    val.insert(val.end(), c.value.begin(), c.value.end());
    mean.insert(mean.end(), c.mean.begin(), c.mean.end());
    q05.insert(q05.end(), c.q05.begin(), c.q05.end());
    q95.insert(q95.end(), c.q95.begin(), c.q95.end());
    per.insert(per.end(), c.per_draw.begin(), c.per_draw.end());
    feasible.push_back(ev.within_budget(c) ? 1 : 0);
    failed.push_back(c.failed ? 1 : 0);
    front_i.push_back(front[i] ? 1 : 0);
    errors.push_back(c.error);
    starts.push_back(c.start);
  }
  put(g, "value", x, {C, V}, {&cand, &vs}, "",
      "each candidate's variables: the value (a choice: its index into variable_choices)");
  {
    auto d = g.write("value_text", text, {C, V});
    d.set_attr("description", std::string("the same as the parameter's value, as text"));
    d.attach_scale(cand, 0);
    d.attach_scale(vs, 1);
  }
  auto gd = g.write("generation", gen, {C});
  gd.set_attr("description", std::string("generation that first evaluated the candidate (0: the initial population)"));
  gd.attach_scale(cand, 0);
  const std::string basis = opt.budget.per_year ? "per year of the run" : "over the whole run";
  put(g, "cost", cost, {C}, {&cand}, "IDR", "mean cost " + basis + " (" + opt.budget.series + "), all runs");
  put(g, "cost_q05", c05, {C}, {&cand}, "IDR", "5% quantile of the cost over single runs");
  put(g, "cost_q95", c95, {C}, {&cand}, "IDR", "95% quantile of the cost over single runs");
  put(g, "objective_value", val, {C, O}, {&cand, &os}, "",
      "each objective under the robustness rule (the mean over draws, or the quantile on the side where it is worse)");
  put(g, "objective_mean", mean, {C, O}, {&cand, &os}, "", "mean over posterior draws");
  put(g, "objective_q05", q05, {C, O}, {&cand, &os}, "",
      "5% quantile over posterior draws (without a posterior: over single replicates)");
  put(g, "objective_q95", q95, {C, O}, {&cand, &os}, "", "95% quantile, likewise");
  {
    std::vector<std::int32_t> didx(D);
    for (std::size_t d = 0; d < D; ++d) didx[d] = static_cast<std::int32_t>(d);
    auto ds = g.write("draw", didx, {D});
    ds.make_scale("draw");
    ds.set_attr("description",
                std::string("posterior draw (one draw, the scenario's own values, without a posterior)"));
    put(g, "objective_draw", per, {C, O, D}, {&cand, &os, &ds}, "", "each objective at each draw, replicates pooled");
  }
  for (const auto& [name, vals, desc] : std::vector<std::tuple<std::string, std::vector<std::int32_t>*, std::string>>{
           {"feasible", &feasible, "1: runs succeeded, objectives defined and mean cost within the budget"},
           {"failed", &failed, "1: a run of the candidate failed (its message in error)"},
           {"front", &front_i, "1: non-dominated among the feasible candidates in the objectives and the cost"}}) {
    auto d = g.write(name, *vals, {C});
    d.set_attr("description", desc);
    d.attach_scale(cand, 0);
  }
  auto sd = g.write("start", starts, {C});
  sd.set_attr("description", std::string("the start scenario the candidate is (file's start list), or empty"));
  sd.attach_scale(cand, 0);
  auto ed = g.write("error", errors, {C});
  ed.set_attr("description", std::string("the first failed run's message, or empty"));
  ed.attach_scale(cand, 0);
  f.close();
}

void write_atomically(const fs::path& path, const sim::Optimization& opt, const Evaluator& ev,
                      const sim::PosteriorDraws* post, const RunOptions& o) {
  write_sealed(path, work_dir(path, ".optimization"), [&](const fs::path& tmp) { write_file(tmp, opt, ev, post, o); });
}

// Rupiah in words a planner reads: "Rp 1.95 billion", "Rp 450 million".
std::string rupiah(double v) {
  char buf[48];
  if (!std::isfinite(v)) return "Rp ?";
  if (std::fabs(v) >= 1e9)
    std::snprintf(buf, sizeof buf, "Rp %.3g billion", v / 1e9);
  else if (std::fabs(v) >= 1e6)
    std::snprintf(buf, sizeof buf, "Rp %.3g million", v / 1e6);
  else
    std::snprintf(buf, sizeof buf, "Rp %.0f", v);
  return buf;
}

// A variable's value as text, a real number to four significant digits.
std::string short_text(const std::string& t) {
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || v == std::floor(v)) return t;
  return num(v);
}

}  // namespace

bool is_optimization_file(const fs::path& file) {
  const auto f = sim::h5::File::open(file);
  return f.root().has_attr("kind") && f.root().attr_string("kind") == "optimization";
}

std::string optimization_summary(const fs::path& file, sim::SummaryFormat format) {
  if (format == sim::SummaryFormat::Markdown) return "";
  const auto f = sim::h5::File::open(file);
  const auto& root = f.root();
  const std::string where = file.string();
  if (!root.exists("optimization")) throw sim::InputError(where + ": /optimization is missing (damaged file?)");
  const auto g = root.open_group("optimization");
  const auto vars = g.open("variable").read_strings(), objs = g.open("objective").read_strings();
  const auto dir = g.open("direction").read_strings(), desc = g.open("variable_description").read_strings(),
             base = g.open("variable_base").read_strings(), text = g.open("value_text").read_strings();
  const auto cost = g.open("cost").read_f64(), val = g.open("objective_value").read_f64(),
             q05 = g.open("objective_q05").read_f64(), q95 = g.open("objective_q95").read_f64();
  const auto feas = g.open("feasible").read_i64(), front = g.open("front").read_i64(),
             gen = g.open("generation").read_i64();
  const auto start = g.open("start").read_strings();
  const std::size_t V = vars.size(), O = objs.size(), C = cost.size();
  if (text.size() != C * V || val.size() != C * O || front.size() != C || feas.size() != C || dir.size() != O ||
      start.size() != C)
    throw sim::InputError(where + ": the optimization's datasets disagree in size (damaged file?)");
  const double budget = root.attr_double("budget");
  const bool per_year = root.attr_string("budget_basis") == "per_year";
  const std::string name = root.attr_string("experiment"), model = root.attr_string("model"),
                    method = root.attr_string("method"), rule = root.attr_string("rule");
  const long long runs = root.attr_int("runs"), draws = root.attr_int("draws");
  std::vector<std::size_t> fr;
  for (std::size_t i = 0; i < C; ++i)
    if (front[i]) fr.push_back(i);
  std::sort(fr.begin(), fr.end(), [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
  std::size_t n_feasible = 0;
  for (auto v : feas) n_feasible += v ? 1 : 0;
  // Recommended: the best feasible mix for each objective (ties: the cheaper).
  std::vector<std::size_t> best(O, C);
  for (std::size_t k = 0; k < O; ++k)
    for (std::size_t i : fr) {
      const double s = dir[k] == "maximize" ? 1 : -1;
      if (best[k] == C || s * val[i * O + k] > s * val[best[k] * O + k]) best[k] = i;
    }
  // Each start scenario against the front: the best front value of each objective at the
  // same cost or less, and whether one front mix is at least as good in every objective.
  struct Against {
    std::size_t cand;
    std::vector<double> best;
    bool matched = false;
  };
  std::vector<Against> against;
  for (std::size_t i = 0; i < C; ++i) {
    if (start[i].empty()) continue;
    Against a{i, std::vector<double>(O, NaN), false};
    for (std::size_t j : fr) {
      if (cost[j] > cost[i]) continue;
      bool all = true;
      for (std::size_t k = 0; k < O; ++k) {
        const double s = dir[k] == "maximize" ? 1 : -1;
        if (!std::isfinite(a.best[k]) || s * val[j * O + k] > s * a.best[k]) a.best[k] = val[j * O + k];
        if (s * val[j * O + k] < s * val[i * O + k]) all = false;
      }
      a.matched = a.matched || all;
    }
    against.push_back(std::move(a));
  }
  std::ostringstream out;
  if (format == sim::SummaryFormat::Json) {
    out << "{\"kind\": \"optimization\", \"model\": " << json_str(model) << ", \"name\": " << json_str(name)
        << ", \"method\": " << json_str(method) << ", \"runs\": " << runs << ", \"candidates\": " << C
        << ", \"feasible\": " << n_feasible << ", \"budget\": " << json_num(budget)
        << ", \"budget_basis\": " << json_str(per_year ? "per_year" : "total") << ", \"rule\": " << json_str(rule)
        << ", \"draws\": " << draws << ", \"variables\": [";
    for (std::size_t k = 0; k < V; ++k)
      out << (k ? ", " : "") << "{\"name\": " << json_str(vars[k]) << ", \"base\": " << json_str(base[k]) << "}";
    out << "], \"objectives\": [";
    for (std::size_t k = 0; k < O; ++k)
      out << (k ? ", " : "") << "{\"name\": " << json_str(objs[k]) << ", \"direction\": " << json_str(dir[k])
          << ", \"best\": " << (best[k] < C ? std::to_string(best[k]) : "null") << "}";
    out << "], \"front\": [";
    for (std::size_t j = 0; j < fr.size(); ++j) {
      const std::size_t i = fr[j];
      out << (j ? ", " : "") << "{\"candidate\": " << i << ", \"generation\": " << gen[i]
          << ", \"cost\": " << json_num(cost[i]) << ", \"variables\": {";
      for (std::size_t k = 0; k < V; ++k)
        out << (k ? ", " : "") << json_str(vars[k]) << ": " << json_str(text[i * V + k]);
      out << "}, \"objectives\": {";
      for (std::size_t k = 0; k < O; ++k)
        out << (k ? ", " : "") << json_str(objs[k]) << ": {\"value\": " << json_num(val[i * O + k])
            << ", \"q05\": " << json_num(q05[i * O + k]) << ", \"q95\": " << json_num(q95[i * O + k]) << "}";
      out << "}}";
    }
    out << "], \"starts\": [";
    for (std::size_t j = 0; j < against.size(); ++j) {
      const auto& a = against[j];
      const std::size_t i = a.cand;
      out << (j ? ", " : "") << "{\"name\": " << json_str(start[i]) << ", \"candidate\": " << i
          << ", \"cost\": " << json_num(cost[i]) << ", \"feasible\": " << (feas[i] ? "true" : "false")
          << ", \"matched_by_front\": " << (a.matched ? "true" : "false") << ", \"objectives\": {";
      for (std::size_t k = 0; k < O; ++k)
        out << (k ? ", " : "") << json_str(objs[k]) << ": {\"value\": " << json_num(val[i * O + k])
            << ", \"front_best\": " << json_num(a.best[k]) << "}";
      out << "}}";
    }
    out << "]}\n";
    return out.str();
  }
  const std::string basis = per_year ? " a year" : " in total";
  out << "Optimization '" << name << "' of model " << model << ": " << method << " (pagmo2), " << C << " candidates, "
      << n_feasible << " within the budget of " << rupiah(budget) << basis << ", " << runs << " runs\n";
  out << "  objectives judged by " << (rule == "mean" ? "their mean" : "quantile " + num(root.attr_double("quantile")))
      << " over " << draws << (draws > 1 ? " posterior draws" : " world (the scenario's own values)") << "\n";
  // At most 12 front mixes in text, spread over the cost, with the best for each objective.
  constexpr std::size_t SHOWN = 12;
  std::vector<std::size_t> shown;
  for (std::size_t j = 0; j < fr.size(); ++j) {
    bool take = fr.size() <= SHOWN || std::find(best.begin(), best.end(), fr[j]) != best.end();
    for (std::size_t t = 0; t < SHOWN && !take; ++t) take = j == (t * (fr.size() - 1) + (SHOWN - 1) / 2) / (SHOWN - 1);
    if (take) shown.push_back(fr[j]);
  }
  out << "\nNon-dominated mixes within the budget (in the objectives and cost), cheapest first: " << fr.size();
  if (shown.size() < fr.size()) out << ", " << shown.size() << " shown (all in --json and the file)";
  out << "\n";
  for (std::size_t i : shown) {
    out << "  #" << i << "  cost " << rupiah(cost[i]) << basis << "\n";
    for (std::size_t k = 0; k < O; ++k)
      out << "      " << objs[k] << " = " << num(val[i * O + k]) << " [" << num(q05[i * O + k]) << ", "
          << num(q95[i * O + k]) << "]\n";
    std::string mix;
    for (std::size_t k = 0; k < V; ++k) mix += (k ? ", " : "") + vars[k] + " = " + short_text(text[i * V + k]);
    out << "      " << mix << (start[i].empty() ? "" : "  (start scenario '" + start[i] + "')") << "\n";
  }
  if (fr.empty()) out << "  (none: no candidate was within the budget)\n";
  out << "\nRecommended mixes\n";
  for (std::size_t k = 0; k < O; ++k) {
    if (best[k] >= C) continue;
    const std::size_t i = best[k];
    std::string changes, same;
    for (std::size_t v = 0; v < V; ++v) {
      const std::string what = desc[v].empty() ? vars[v] : desc[v];
      if (text[i * V + v] == base[v])
        same += (same.empty() ? "" : ", ") + what;
      else
        changes += (changes.empty() ? "" : "; ") + what + ": " + short_text(text[i * V + v]) + " instead of " +
                   short_text(base[v]);
    }
    out << "  Best for " << objs[k] << " (" << dir[k] << "): " << objs[k] << " " << num(val[i * O + k]) << " ["
        << num(q05[i * O + k]) << ", " << num(q95[i * O + k]) << "] at " << rupiah(cost[i]) << basis << ".\n";
    out << "    " << (changes.empty() ? "Keep the base scenario's levers" : changes) << ".";
    if (!same.empty()) out << " Keep as in the base scenario: " << same << ".";
    out << "\n";
  }
  if (!against.empty())
    out << "\nHand-made scenarios against the front (the best front mix at the same cost or less)\n";
  for (const auto& a : against) {
    const std::size_t i = a.cand;
    out << "  " << start[i] << ": cost " << rupiah(cost[i]) << basis << (feas[i] ? "" : ", over the budget") << "\n";
    for (std::size_t k = 0; k < O; ++k) {
      out << "      " << objs[k] << " " << num(val[i * O + k]) << "; front " << num(a.best[k]);
      if (std::isfinite(a.best[k]) && std::isfinite(val[i * O + k]))
        out << " (" << (a.best[k] - val[i * O + k] >= 0 ? "+" : "") << num(a.best[k] - val[i * O + k]) << ")";
      out << "\n";
    }
    out << "      "
        << (a.matched ? "a front mix as cheap is at least as good in every objective"
                      : "no single front mix as cheap is as good in every objective (the best values above come "
                        "from different mixes)")
        << "\n";
  }
  return out.str();
}

namespace {

namespace svg = analysis::svg;

// One scatter of cost (x) against an objective (y): every feasible candidate, the front
// joined in order of cost, the start scenarios marked and named.
std::string scatter(const std::vector<double>& cost, const std::vector<double>& y, const std::vector<bool>& feasible,
                    const std::vector<std::size_t>& front,
                    const std::vector<std::pair<std::size_t, std::string>>& starts, const std::string& ylabel,
                    const std::string& xlabel, double budget, bool maximize, analysis::Lang lang) {
  const double W = 720, H = 340, L = 80, R = 20, T = 20, B = 50;
  double x0 = budget, x1 = budget, y0 = NaN, y1 = NaN;
  auto widen = [&](std::size_t i) {
    if (!std::isfinite(cost[i]) || !std::isfinite(y[i])) return;
    x0 = std::min(x0, cost[i]);
    x1 = std::max(x1, cost[i]);
    y0 = std::isfinite(y0) ? std::min(y0, y[i]) : y[i];
    y1 = std::isfinite(y1) ? std::max(y1, y[i]) : y[i];
  };
  for (std::size_t i = 0; i < cost.size(); ++i)
    if (feasible[i]) widen(i);
  for (const auto& st : starts) widen(st.first);
  if (!std::isfinite(y0)) return "";
  const auto xt = svg::nice_ticks(x0, x1), yt = svg::nice_ticks(y0, y1);
  x0 = std::min(x0, xt.front());
  x1 = std::max(x1, xt.back());
  y0 = std::min(y0, yt.front());
  y1 = std::max(y1, yt.back());
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) y1 = y0 + 1;
  auto X = [&](double v) { return L + (v - x0) / (x1 - x0) * (W - L - R); };
  auto Y = [&](double v) { return T + (y1 - v) / (y1 - y0) * (H - T - B); };
  std::ostringstream o;
  char buf[256];
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << W << " " << H << "\" width=\"" << W
    << "\" role=\"img\" aria-label=\"" << svg::escape(ylabel) << "\">\n";
  const double step_x = xt.size() > 1 ? xt[1] - xt[0] : 1, step_y = yt.size() > 1 ? yt[1] - yt[0] : 1;
  for (double t : xt) {
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" "
                  "text-anchor=\"middle\" font-size=\"12\">",
                  X(t), T, X(t), H - B, X(t), H - B + 16);
    o << buf << svg::escape(analysis::rupiah_short(t, step_x, lang)) << "</text>\n";
  }
  for (double t : yt) {
    std::snprintf(buf, sizeof buf,
                  "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"%.1f\" "
                  "text-anchor=\"end\" font-size=\"12\">",
                  L, Y(t), W - R, Y(t), L - 6, Y(t) + 4);
    o << buf << svg::escape(analysis::number(t, svg::decimals_for(step_y), lang)) << "</text>\n";
  }
  std::snprintf(buf, sizeof buf,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b00\" stroke-dasharray=\"4 3\"/>",
                X(budget), T, X(budget), H - B);
  o << buf << "\n";
  std::snprintf(buf, sizeof buf, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\">",
                (L + W - R) / 2, H - 12);
  o << buf << svg::escape(xlabel) << "</text>\n";
  std::snprintf(buf, sizeof buf,
                "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">",
                (T + H - B) / 2);
  o << buf << svg::escape(ylabel) << "</text>\n";
  for (std::size_t i = 0; i < cost.size(); ++i) {
    if (!feasible[i] || !std::isfinite(y[i])) continue;
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#999\" fill-opacity=\"0.6\"/>",
                  X(cost[i]), Y(y[i]));
    o << buf << "\n";
  }
  std::vector<std::size_t> fr;
  for (std::size_t i : front)
    if (std::isfinite(y[i])) fr.push_back(i);
  std::sort(fr.begin(), fr.end(), [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
  // The best value at each cost or less: a step up (maximized) or down (minimized) along the front.
  o << "<polyline fill=\"none\" stroke=\"" << svg::colour(2) << "\" stroke-width=\"1.5\" points=\"";
  double run = NaN;
  for (std::size_t i : fr) {
    const double next = !std::isfinite(run) ? y[i] : maximize ? std::max(run, y[i]) : std::min(run, y[i]);
    if (std::isfinite(run)) {
      std::snprintf(buf, sizeof buf, "%.1f,%.1f ", X(cost[i]), Y(run));
      o << buf;
    }
    run = next;
    std::snprintf(buf, sizeof buf, "%.1f,%.1f ", X(cost[i]), Y(run));
    o << buf;
  }
  o << "\"/>\n";
  for (std::size_t i : fr) {
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", X(cost[i]), Y(y[i]),
                  svg::colour(2));
    o << buf << "\n";
  }
  for (const auto& [i, name] : starts) {
    if (!std::isfinite(y[i]) || !std::isfinite(cost[i])) continue;
    std::snprintf(buf, sizeof buf,
                  "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                  "font-size=\"11\">",
                  X(cost[i]) - 4, Y(y[i]) - 4, svg::colour(1), X(cost[i]) + 6, Y(y[i]) - 6);
    o << buf << svg::escape(name) << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace

void optimization_report(const fs::path& file, const fs::path& out, const std::string& lang_code, bool replace) {
  const analysis::Lang lang = analysis::language(lang_code);
  const bool id = lang == analysis::Lang::id;
  sim::check_output_path(out, "report.html", {file}, replace);
  const auto f = sim::h5::File::open(file);
  const auto& root = f.root();
  const auto g = root.open_group("optimization");
  const auto vars = g.open("variable").read_strings(), objs = g.open("objective").read_strings();
  const auto dir = g.open("direction").read_strings(), defs = g.open("definition").read_strings(),
             base = g.open("variable_base").read_strings(), text = g.open("value_text").read_strings(),
             start = g.open("start").read_strings(), desc = g.open("variable_description").read_strings();
  const auto cost = g.open("cost").read_f64(), val = g.open("objective_value").read_f64(),
             q05 = g.open("objective_q05").read_f64(), q95 = g.open("objective_q95").read_f64();
  const auto feas = g.open("feasible").read_i64(), front = g.open("front").read_i64();
  const std::size_t V = vars.size(), O = objs.size(), C = cost.size();
  if (text.size() != C * V || val.size() != C * O || front.size() != C || start.size() != C || dir.size() != O)
    throw sim::InputError(file.string() + ": the optimization's datasets disagree in size (damaged file?)");
  const double budget = root.attr_double("budget");
  const bool per_year = root.attr_string("budget_basis") == "per_year";
  const std::string name = root.attr_string("experiment");
  std::vector<bool> feasible(C);
  std::vector<std::size_t> fr;
  std::vector<std::pair<std::size_t, std::string>> starts;
  for (std::size_t i = 0; i < C; ++i) {
    feasible[i] = feas[i] != 0;
    if (front[i]) fr.push_back(i);
    if (!start[i].empty()) starts.emplace_back(i, start[i]);
  }
  auto rp = [&](double v) {
    return "Rp " + analysis::rupiah_short(v, NaN, lang) + (per_year ? (id ? " per tahun" : " a year") : "");
  };
  std::ostringstream h;
  h << "<!doctype html>\n<html lang=\"" << analysis::code(lang) << "\"><head><meta charset=\"utf-8\"><title>"
    << svg::escape(name) << "</title>\n<style>body{font-family:sans-serif;max-width:800px;margin:2em auto;"
    << "line-height:1.45}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
    << "font-size:13px}</style></head><body>\n";
  h << "<h1>" << svg::escape(name) << "</h1>\n<p>"
    << (id ? "Campuran tuas program terbaik dalam anggaran " : "The best mixes of levers within the budget of ")
    << svg::escape(rp(budget)) << " (" << svg::escape(root.attr_string("method")) << ", pagmo2; "
    << root.attr_int("runs") << (id ? " run model, " : " model runs, ") << C << (id ? " kandidat" : " candidates")
    << ").</p>\n";
  h << "<p>"
    << (id ? "Titik abu-abu: setiap kandidat dalam anggaran. Titik biru: front (tidak terdominasi dalam "
             "tujuan dan biaya); tangga biru: nilai terbaik tujuan ini pada biaya itu atau kurang. Kotak "
             "oranye: skenario buatan tangan. Garis merah putus-putus: anggaran."
           : "Grey dots: every candidate within the budget. Blue dots: the front (non-dominated in the "
             "objectives and cost); blue steps: the best value of this objective at that cost or less. "
             "Orange squares: the hand-made scenarios. Dashed red line: the budget.")
    << "</p>\n";
  for (std::size_t k = 0; k < O; ++k) {
    std::vector<double> y(C);
    for (std::size_t i = 0; i < C; ++i) y[i] = val[i * O + k];
    h << "<h2>" << svg::escape(objs[k]) << "</h2>\n<p>" << svg::escape(defs[k]) << " ("
      << (dir[k] == "maximize" ? (id ? "dimaksimalkan" : "maximized") : (id ? "diminimalkan" : "minimized"))
      << ")</p>\n"
      << scatter(cost, y, feasible, fr, starts, objs[k],
                 std::string(id ? "Biaya" : "Cost") + " (Rp" + (per_year ? (id ? " per tahun" : " a year") : "") + ")",
                 budget, dir[k] == "maximize", lang);
  }
  h << "<h2>" << (id ? "Campuran yang dianjurkan" : "Recommended mixes") << "</h2>\n";
  for (std::size_t k = 0; k < O; ++k) {
    std::size_t best = C;
    const double sgn = dir[k] == "maximize" ? 1 : -1;
    for (std::size_t i : fr)
      if (best == C || sgn * val[i * O + k] > sgn * val[best * O + k]) best = i;
    if (best == C) continue;
    std::string changes;
    for (std::size_t v = 0; v < V; ++v)
      if (text[best * V + v] != base[v])
        changes += "<li>" +
                   svg::escape(id                ? vars[v]
                               : desc[v].empty() ? vars[v]
                                                 : desc[v]) +
                   ": " + svg::escape(short_text(text[best * V + v])) + (id ? " (bukan " : " (instead of ") +
                   svg::escape(short_text(base[v])) + ")</li>";
    h << "<p><b>" << (id ? "Terbaik untuk " : "Best for ") << svg::escape(objs[k])
      << "</b>: " << svg::escape(analysis::number(val[best * O + k], 2, lang)) << " ["
      << svg::escape(analysis::number(q05[best * O + k], 2, lang)) << (id ? "; " : ", ")
      << svg::escape(analysis::number(q95[best * O + k], 2, lang)) << "] " << (id ? "dengan biaya " : "at a cost of ")
      << svg::escape(rp(cost[best])) << ". "
      << (changes.empty() ? (id ? "Sama dengan skenario dasar." : "The base scenario's levers.")
                          : (id ? "Ubah dari skenario dasar:" : "Changes from the base scenario:"))
      << "</p><ul>" << changes << "</ul>\n";
  }
  h << "<h2>" << (id ? "Front: angka" : "The front: numbers") << "</h2>\n<table><tr><th>#</th><th>"
    << (id ? "biaya" : "cost") << "</th>";
  for (const auto& ob : objs) h << "<th>" << svg::escape(ob) << "</th>";
  for (const auto& v : vars) h << "<th>" << svg::escape(v) << "</th>";
  h << "</tr>\n";
  std::sort(fr.begin(), fr.end(), [&](std::size_t a, std::size_t b) { return cost[a] < cost[b]; });
  for (std::size_t i : fr) {
    h << "<tr><td>" << i << "</td><td>" << svg::escape(analysis::rupiah_short(cost[i], NaN, lang)) << "</td>";
    for (std::size_t k = 0; k < O; ++k)
      h << "<td>" << svg::escape(analysis::number(val[i * O + k], 2, lang)) << "</td>";
    for (std::size_t v = 0; v < V; ++v) h << "<td>" << svg::escape(short_text(text[i * V + v])) << "</td>";
    h << "</tr>\n";
  }
  h << "</table>\n</body></html>\n";
  sim::write_text_atomically(out, h.str());
}

int run_optimization(const RunOptions& o) {
  const sim::Optimization opt = sim::load_optimization(o.input);
  const auto& table = opt.model->parameters();
  std::optional<sim::PosteriorDraws> post;
  if (!opt.robustness.posterior.empty()) {
    post =
        sim::draw_posterior(opt.robustness.posterior, static_cast<std::size_t>(opt.robustness.draws),
                            sim::draw_seed(static_cast<std::uint64_t>(opt.search.seed)), opt.robustness.posterior_at);
    sim::check_posterior(*post, opt.model->name, table, opt.robustness.posterior_at);
    for (const auto& v : opt.variables)
      if (std::find(post->parameters.begin(), post->parameters.end(), v.name) != post->parameters.end())
        throw sim::InputError(opt.file + ": " + v.name + " is a decision variable and a calibrated parameter of " +
                              post->file +
                              ": a lever is the office's choice, not something to learn about the world. Drop it "
                              "from the variables, or calibrate without it.");
  }
  // The projection: the objectives' columns and the cost series.
  sim::Calibration shape;
  shape.model = opt.model;
  for (const auto& ob : opt.objectives) shape.targets.push_back(ob.statistic);
  {
    sim::Target c;
    c.kind = sim::StatisticKind::Series;
    c.series = opt.budget.series;
    shape.targets.push_back(c);
  }
  const analysis::Projection proj = analysis::projection(shape);
  // The base scenario must bind and its data files be there, before any work.
  std::vector<fs::path> inputs{o.input};
  {
    const auto inst = opt.model->instantiate(opt.scenario, opt.scenario_file.parent_path());
    static_cast<void>(inst->labels());
    for (const auto& file : opt.scenario.files) inputs.push_back(file);
    for (const auto& file : inst->data_files()) inputs.push_back(file);
  }
  if (!opt.robustness.posterior.empty()) inputs.push_back(opt.robustness.posterior);
  const std::size_t D = post ? post->draws() : 1;
  const auto P = static_cast<std::size_t>(opt.search.population), G = static_cast<std::size_t>(opt.search.generations);
  const std::size_t at_most = P * (G + 1) * D * static_cast<std::size_t>(opt.search.replicates);
  if (o.check) {
    std::cout << o.input << ": ok (" << opt.model->name << " optimization '" << opt.name << "', "
              << opt.variables.size() << " decision variables, " << opt.objectives.size() << " objective"
              << (opt.objectives.size() > 1 ? "s" : "") << ", " << opt.method() << ", at most " << at_most
              << " runs)\n";
    return 0;
  }
  const fs::path out = o.output.empty() ? fs::path(opt.name + "-optimization.h5") : fs::path(o.output);
  sim::check_output_path(out, "optimization.h5", inputs, o.force || o.resume);
  sim::remove_stale_temporaries(out);
  const fs::path work = work_dir(out, ".optimization");
  const bool writer = sim::mpi::rank() == 0;
  if (writer) {
    if (fs::exists(work) && !o.resume)
      throw sim::InputError(work.string() + ": an interrupted optimization writing " + out.string() +
                            " left its finished runs here. Continue it with --resume, or delete the folder to start "
                            "afresh.");
    if (o.resume && !fs::exists(work))
      std::fprintf(stderr, "berdaya: no %s to resume: starting afresh\n", work.c_str());
    fs::create_directories(work);
  }
  if (writer && !o.json)
    std::fprintf(
        stderr,
        "berdaya optimize: %s, population %zu, %zu generations, %zu draw%s x %lld replicates: at most %zu runs\n",
        opt.method() == "nsga2" ? "NSGA-II" : "GACO", P, G, D, D > 1 ? "s" : "", opt.search.replicates, at_most);

  const sim::SignalGuard guard;
  Evaluator ev(opt, proj, post ? &*post : nullptr, work, o);
  const auto start = std::chrono::steady_clock::now();
  try {
    EvolveJob job;
    for (std::size_t k : ev.order()) {
      job.lower.push_back(opt.variables[k].lower());
      job.upper.push_back(opt.variables[k].upper());
      if (opt.variables[k].integer()) ++job.integers;
    }
    job.objectives = opt.objectives.size();
    job.method = opt.method();
    job.population = P;
    job.generations = G;
    job.seed = static_cast<unsigned>(opt.search.seed);
    for (const auto& st : opt.starts) {
      for (std::size_t k : ev.order()) job.start_x.push_back(st.x[k]);
      job.start_names.push_back(st.name);
    }
    job.batch = [&ev](const std::vector<double>& xs, const std::vector<std::string>& names) {
      return ev.batch(xs, names);
    };
    evolve(job);
  } catch (const sim::Interrupted&) {
    if (writer) report_interrupted(work);
    return EXIT_INTERRUPTED;
  }
  if (!writer) return 0;
  if (sim::stop_requested()) {
    report_interrupted(work);
    return EXIT_INTERRUPTED;
  }
  write_atomically(out, opt, ev, post ? &*post : nullptr, o);
  std::error_code ec;
  fs::remove_all(work, ec);
  if (!o.json) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "%zu candidates, %zu runs in %.1f s (%.0f runs/s)\n", ev.candidates().size(), ev.runs(), secs,
                 secs > 0 ? static_cast<double>(ev.runs()) / secs : 0.0);
  }
  std::cout << optimization_summary(out, o.json ? sim::SummaryFormat::Json : sim::SummaryFormat::Text);
  return 0;
}

CLI::App* add_optimize_command(CLI::App& app, RunOptions& o, const std::string& cmdline) {
  auto* cmd = app.add_subcommand("optimize",
                                 "Search the mixes of levers that do best within a budget (pagmo2 NSGA-II or GACO)");
  cmd->add_option("optimization", o.input, "Optimization file (TOML; docs/optimization.md)")->required();
  cmd->add_option("-o,--output", o.output, "Result file (default: <name>-optimization.h5)");
  cmd->add_option("--threads", o.threads, "Threads (default: all cores); results do not depend on it");
  cmd->add_flag("--json", o.json, "Print the summary as one JSON object");
  cmd->add_flag("--resume", o.resume,
                "Continue an interrupted optimization from its spools (OUTPUT.optimization/), redoing only missing "
                "runs");
  cmd->add_flag("--force", o.force, "Replace the result file if it exists");
  cmd->add_flag("--check", o.check, "Check the optimization file and bind its scenario, then stop without running");
  cmd->footer("Example: berdaya optimize scenarios/optimization/kota-batu-budget.toml -o budget.h5 --threads 2");
  o.command_line = cmdline;
  return cmd;
}

}  // namespace cli
