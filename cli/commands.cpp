#include "cli/commands.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>

#include "analysis/brief.h"
#include "analysis/generic.h"
#include "analysis/posterior.h"
#include "analysis/results.h"
#include "berdaya_build_info.h"
#include "cli/calibrate.h"
#include "cli/file_output.h"
#include "cli/optimize.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/experiment_file.h"
#include "sim/model.h"
#include "sim/mpi.h"
#include "sim/output.h"
#include "sim/posterior.h"
#include "sim/random.h"
#include "sim/signals.h"
#include "sim/sweep.h"
#include "sim/writer.h"

namespace cli {

namespace fs = std::filesystem;

namespace {

constexpr int EXIT_SOME_FAILED = 3;
constexpr int EXIT_INTERRUPTED = 130;

sim::Provenance provenance(const RunOptions& o, const sim::Model& m, long long seed) {
  sim::Provenance p;
  p.model = m.name;
  p.engine_version = BERDAYA_VERSION;
  p.git_commit = BERDAYA_GIT_COMMIT;
  p.created = sim::utc_now();
  p.command_line = o.command_line;
  p.seed = seed;
  return p;
}

// What the three commands share: run every task, then assemble the file, or say how to
// continue when interrupted. Returns the exit code, or nothing when the file was written.
std::optional<int> execute(const sim::Model& model, const sim::Plan& plan, const sim::Task& task, const fs::path& out,
                           const RunOptions& o, const sim::Provenance& prov, const sim::Labels& labels,
                           const sim::CaseTable& cases, const sim::DesignTable* design, const std::string& what,
                           const sim::PosteriorTable* posterior = nullptr) {
  // One guard over running and writing: Ctrl-C in either phase keeps every finished run.
  const sim::SignalGuard guard;
  sim::ExecOptions eo;
  eo.threads = o.threads;
  eo.resume = o.resume;
  eo.what = what;
  eo.progress = o.progress;
  const sim::Outcome r = sim::execute(plan, task, out, eo);
  if (!r.writer) return 0;
  if (r.interrupted) {
    std::fprintf(stderr,
                 "\nberdaya: interrupted: %zu of %zu runs are kept in %s.\n  Continue with the same command and "
                 "--resume; only the missing runs are redone.\n",
                 r.resumed + r.ran, r.total, sim::spool_path(out).c_str());
    return EXIT_INTERRUPTED;
  }
  try {
    sim::write_results(out, prov, plan, model.schema(), labels, cases, design, posterior);
  } catch (const sim::Interrupted&) {
    std::fprintf(stderr,
                 "\nberdaya: interrupted while writing %s: nothing was written there, and all %zu runs are kept in "
                 "%s.\n  Write the file with the same command and --resume (no run is redone).\n",
                 out.c_str(), r.total, sim::spool_path(out).c_str());
    return EXIT_INTERRUPTED;
  }
  // The writer's freed heap goes back to the system before the summary reads the file, so
  // that the peak is the larger of the two phases, not their sum less what the summary
  // happens to reuse.
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
  if (!o.json) {
    std::fprintf(stderr, "%zu runs in %.1f s", r.ran, r.seconds);
    if (r.resumed) std::fprintf(stderr, " (%zu more kept from the interrupted run)", r.resumed);
    if (r.failed) std::fprintf(stderr, "; %zu FAILED: their messages are in /runs/message", r.failed);
    std::fprintf(stderr, "\n");
  }
  return std::nullopt;
}

// Prints the summary the file's model gives (text, or JSON with --json) and writes the text
// to --summary-file; exit 3 when some runs failed.
int finish(const fs::path& out, const RunOptions& o) {
  const std::string shown = summarize(out, o.json ? sim::SummaryFormat::Json : sim::SummaryFormat::Text);
  std::cout << shown;
  if (!o.summary_file.empty())
    sim::write_text_atomically(o.summary_file, o.json ? summarize(out, sim::SummaryFormat::Text) : shown);
  return analysis::failed_runs(out) ? EXIT_SOME_FAILED : 0;
}

// --replicates, --seed and --months over an experiment file's own.
void override_run_settings(sim::RunSettings& run, const RunOptions& o) {
  if (o.replicates > 0) run.replicates = o.replicates;
  if (o.seed >= 0) run.seed = o.seed;
  if (o.months > 0) run.months = o.months;
}

// The result file (-o, or NAME.h5 here) and the summary file, under the output rules:
// never an input, never a non-regular file, an existing file only with --force (or the
// result with --resume, which continues it).
fs::path output_path(const RunOptions& o, const std::string& name, std::vector<fs::path> inputs) {
  const fs::path out = o.output.empty() ? fs::path(name + ".h5") : fs::path(o.output);
  inputs.push_back(o.input);
  sim::check_output_path(out, "results.h5", inputs, o.force || o.resume);
  if (!o.summary_file.empty()) {
    inputs.push_back(out);
    sim::check_output_path(o.summary_file, "summary.txt", inputs, o.force || o.resume);
    if (fs::path(o.summary_file).lexically_normal() == out.lexically_normal())
      throw sim::InputError(o.summary_file + ": --summary-file names the result file itself. Give another name.");
  }
  sim::remove_stale_temporaries(out);
  return out;
}

// The files a scenario was read from: its extends chain and the data files it names.
std::vector<fs::path> inputs_of(const sim::Resolved& r, const sim::Instance& instance) {
  std::vector<fs::path> v(r.files.begin(), r.files.end());
  for (const auto& f : instance.data_files()) v.push_back(f);
  return v;
}

// --replicates, --seed and --months over a scenario's own run.* settings.
void override_scenario(sim::Resolved& r, const std::vector<sim::ParamSpec>& table, const RunOptions& o) {
  if (o.replicates > 0) sim::set_from_command_line(r, table, "run.replicates", o.replicates, "--replicates");
  if (o.seed >= 0) sim::set_from_command_line(r, table, "run.seed", o.seed, "--seed");
  if (o.months > 0) sim::set_from_command_line(r, table, "run.months", o.months, "--months");
}

}  // namespace

bool is_inside(const fs::path& p, const fs::path& dir) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(p, ec), b = fs::weakly_canonical(dir, ec);
  const auto [end, _] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  return !b.empty() && end == b.end();
}

std::string summarize(const fs::path& file, sim::SummaryFormat format) {
  // A calibration file holds populations, not runs: it has a summary of its own.
  if (is_calibration_file(file)) return calibration_summary(file, format);
  if (is_optimization_file(file)) return optimization_summary(file, format);
  // A comparison over posterior draws: the effects across plausible worlds.
  if (analysis::is_posterior_file(file)) {
    if (format == sim::SummaryFormat::Markdown) return "";
    const analysis::PosteriorSummary p = analysis::posterior_summary(file);
    std::string s = format == sim::SummaryFormat::Json ? analysis::to_json(p) + "\n" : analysis::to_text(p);
    // KUBE's comparisons open with the brief for the head of the office.
    return p.model.empty() || p.model == "kube" ? analysis::with_brief(file, format, std::move(s), nullptr, &p) : s;
  }
  const std::string name = analysis::ResultFile(file).attr("model");
  const sim::Model& m =
      name.empty() ? sim::default_model() : sim::find_model(name, file.string() + ": the file's model");
  return m.summarize ? m.summarize(file, format) : analysis::generic_summary(file, format);
}

int run_scenario(const RunOptions& o) {
  sim::ModelScenario ms = sim::load_model_scenario(o.input);
  const sim::Model& m = *ms.model;
  const auto& table = m.parameters();
  sim::Resolved& r = ms.resolved;
  override_scenario(r, table, o);
  const auto instance = m.instantiate(r, fs::path(o.input).parent_path());
  const sim::Labels labels = instance->labels();  // reads the model's data files: fails before any work
  const fs::path out = output_path(o, r.name, inputs_of(r, *instance));
  const std::string toml = sim::resolved_toml(r, table);

  sim::Plan plan;
  plan.kind = "run";
  plan.case_dim = "scenario";
  plan.cases = {r.name};
  plan.replicates = static_cast<std::size_t>(sim::run_replicates(r, m));
  plan.months = static_cast<int>(sim::run_months(r, m));
  plan.fingerprint = fingerprint("run\n" + toml);
  sim::Provenance prov = provenance(o, m, sim::run_seed(r, m));
  prov.experiment = prov.scenario = r.name;
  prov.scenario_toml = toml;
  prov.scenario_files = r.files;
  const sim::CaseTable cases{{r.description}, {toml}};
  const auto seed = static_cast<std::uint64_t>(sim::run_seed(r, m));
  const auto code = execute(
      m, plan, [&](std::size_t, std::size_t rep) { return instance->run(seed, rep); }, out, o, prov, labels, cases,
      nullptr, "berdaya run " + r.name);
  if (code) return *code;
  return finish(out, o);
}

namespace {

// The comparison at posterior draws: every scenario at every draw is one case (scenario
// s at draw d is case s * D + d), run with replicates 0 ... R - 1 and the draw's seed
// (sim::draw_run_seed): the scenarios share random numbers at the same (draw, replicate),
// and each draw has runs of its own, so the spread over draws holds the Monte Carlo error
// of a draw's estimate as well as the parameters'.
int run_posterior_comparison(const RunOptions& o, sim::Comparison& c, const fs::path& file, const std::string& where,
                             std::size_t D) {
  const sim::Model& m = *c.model;
  const auto& table = m.parameters();
  const auto seed = static_cast<std::uint64_t>(c.run.seed);
  const sim::PosteriorDraws post = sim::draw_posterior(file, D, sim::draw_seed(seed), where);
  sim::check_posterior(post, m.name, table, where);
  const std::size_t S = c.scenarios.size();
  sim::Plan plan;
  plan.kind = "compare";
  plan.case_dim = "scenario";
  sim::CaseTable cases;
  std::vector<std::unique_ptr<const sim::Instance>> instances(S * D);
  std::vector<std::string> errors(S * D), names;
  std::string all = "compare-posterior\n" + post.fingerprint + "\n" + std::to_string(D) + "\n";
  for (double v : post.values) all += sim::format_number(v) + ",";
  std::vector<fs::path> inputs{file};
  std::unique_ptr<const sim::Instance> labels_from;
  for (std::size_t s = 0; s < S; ++s) {
    auto& r = c.scenarios[s];
    sim::apply_run_settings(r, c.run, table, "the command line or " + c.file);
    names.push_back(r.name);
    const auto base = m.instantiate(r, c.scenario_files[s].parent_path());  // the scenario's own values must hold
    for (const auto& f : inputs_of(r, *base)) inputs.push_back(f);
    if (s == c.baseline) labels_from = m.instantiate(r, c.scenario_files[s].parent_path());
    if (sim::run_months(r, m) != sim::run_months(c.scenarios.front(), m))
      throw sim::InputError(c.file + ": scenarios '" + c.scenarios.front().name + "' and '" + r.name +
                            "' run for different months. Set months = N in the comparison file.");
    for (std::size_t d = 0; d < D; ++d) {
      const std::size_t ci = s * D + d;
      sim::Resolved rd = sim::at_draw(r, table, post, d);
      sim::set_from_command_line(rd, table, "run.seed", static_cast<long long>(sim::draw_run_seed(seed, d)),
                                 "the posterior draw's seed");
      const std::string toml = sim::resolved_toml(rd, table);
      plan.cases.push_back(r.name + "@" + std::to_string(d));
      cases.description.push_back(r.description + (r.description.empty() ? "" : " ") + "(posterior draw " +
                                  std::to_string(d) + ")");
      cases.toml.push_back(toml);
      all += toml;
      // A draw whose values break a relation between parameters fails alone, with its message.
      try {
        instances[ci] = m.instantiate(rd, c.scenario_files[s].parent_path());
      } catch (const sim::InputError& e) {
        errors[ci] = e.what();
      }
    }
  }
  const sim::Labels labels = labels_from->labels();
  const fs::path out = output_path(o, c.name, inputs);
  const auto R = static_cast<std::size_t>(c.run.replicates);
  plan.replicates = R;
  plan.months = static_cast<int>(sim::run_months(c.scenarios.front(), m));
  plan.fingerprint = fingerprint(all);
  sim::Provenance prov = provenance(o, m, c.run.seed);
  prov.experiment = c.name;
  prov.experiment_toml = c.text;
  prov.scenario = c.scenarios[c.baseline].name;
  prov.scenario_toml = sim::resolved_toml(c.scenarios[c.baseline], table);
  prov.scenario_files = c.scenarios[c.baseline].files;
  // Readers that know no draws see draw 0's cases as the comparison.
  prov.baseline = plan.cases[c.baseline * D];
  if (c.counterfactual) prov.counterfactual = plan.cases[*c.counterfactual * D];
  sim::PosteriorTable pt;
  pt.draws = &post;
  pt.scenarios = names;
  pt.baseline = names[c.baseline];
  if (c.counterfactual) pt.counterfactual = names[*c.counterfactual];
  if (sim::mpi::rank() == 0 && !o.json) {
    std::fprintf(stderr, "berdaya compare: %zu scenarios x %zu posterior draws x %zu replicates = %zu runs\n", S, D, R,
                 plan.tasks());
    // The posterior holds for the world the calibration fitted; another baseline may differ
    // from it in parameters the calibration did not free.
    if (!post.scenario.empty() && post.scenario != names[c.baseline])
      std::fprintf(stderr, "note: %s was fitted to scenario '%s'; the baseline here is '%s'.\n", post.file.c_str(),
                   post.scenario.c_str(), names[c.baseline].c_str());
  }
  const auto code = execute(
      m, plan,
      [&](std::size_t ci, std::size_t rep) {
        if (!instances[ci]) throw std::runtime_error(errors[ci]);
        return instances[ci]->run(sim::draw_run_seed(seed, ci % D), rep);
      },
      out, o, prov, labels, cases, nullptr, "berdaya compare " + c.name, &pt);
  if (code) return *code;
  return finish(out, o);
}

}  // namespace

int run_comparison(const RunOptions& o) {
  sim::Comparison c = sim::load_comparison(o.input);
  const sim::Model& m = *c.model;
  const auto& table = m.parameters();
  override_run_settings(c.run, o);
  if (!o.posterior.empty() || !c.posterior.empty()) {
    const bool flag = !o.posterior.empty();
    const long long D = o.draws > 0 ? o.draws : c.draws > 0 ? c.draws : sim::DEFAULT_DRAWS;
    return run_posterior_comparison(o, c, flag ? fs::path(o.posterior) : c.posterior,
                                    flag ? "--posterior" : c.posterior_at, static_cast<std::size_t>(D));
  }
  if (o.draws > 0)
    throw sim::InputError("--draws " + std::to_string(o.draws) +
                          " without a posterior: add --posterior FILE.h5 (a calibration file), or posterior = "
                          "\"FILE.h5\" in " +
                          c.file + ".");
  std::vector<std::unique_ptr<const sim::Instance>> instances;
  sim::CaseTable cases;
  sim::Plan plan;
  plan.kind = "compare";
  plan.case_dim = "scenario";
  std::string all = "compare\n";
  for (std::size_t i = 0; i < c.scenarios.size(); ++i) {
    auto& r = c.scenarios[i];
    sim::apply_run_settings(r, c.run, table, "the command line or " + c.file);
    instances.push_back(m.instantiate(r, c.scenario_files[i].parent_path()));
    const std::string toml = sim::resolved_toml(r, table);
    plan.cases.push_back(r.name);
    cases.description.push_back(r.description);
    cases.toml.push_back(toml);
    all += toml;
    if (sim::run_months(r, m) != sim::run_months(c.scenarios.front(), m))
      throw sim::InputError(c.file + ": scenarios '" + plan.cases.front() + "' and '" + r.name +
                            "' run for different months. Set months = N in the comparison file.");
  }
  const sim::Labels labels = instances[c.baseline]->labels();
  std::vector<fs::path> inputs;
  for (std::size_t i = 0; i < c.scenarios.size(); ++i)
    for (const auto& f : inputs_of(c.scenarios[i], *instances[i])) inputs.push_back(f);
  const fs::path out = output_path(o, c.name, inputs);
  plan.replicates = static_cast<std::size_t>(c.run.replicates);
  plan.months = static_cast<int>(sim::run_months(c.scenarios.front(), m));
  plan.fingerprint = fingerprint(all);
  sim::Provenance prov = provenance(o, m, c.run.seed);
  prov.experiment = c.name;
  prov.experiment_toml = c.text;
  prov.scenario = c.scenarios[c.baseline].name;
  prov.scenario_toml = cases.toml[c.baseline];
  prov.scenario_files = c.scenarios[c.baseline].files;
  prov.baseline = plan.cases[c.baseline];
  if (c.counterfactual) prov.counterfactual = plan.cases[*c.counterfactual];
  const auto seed = static_cast<std::uint64_t>(c.run.seed);
  // The same seed and replicate for every scenario: common random numbers.
  const auto code = execute(
      m, plan, [&](std::size_t ci, std::size_t rep) { return instances[ci]->run(seed, rep); }, out, o, prov, labels,
      cases, nullptr, "berdaya compare " + c.name);
  if (code) return *code;
  return finish(out, o);
}

int run_sweep(const RunOptions& o) {
  sim::Sweep s = sim::load_sweep(o.input);
  const sim::Model& m = *s.model;
  const auto& table = m.parameters();
  override_run_settings(s.run, o);
  sim::apply_run_settings(s.base, s.run, table, "the command line or " + s.file);
  const fs::path dir = s.base_file.parent_path();
  const auto base = m.instantiate(s.base, dir);
  const sim::Labels labels = base->labels();
  const sim::DesignTable design = sim::expand(s, table);
  const fs::path out = output_path(o, s.name, inputs_of(s.base, *base));

  sim::Plan plan;
  plan.kind = "sweep";
  plan.case_dim = "point";
  const std::size_t P = design.block.size();  // one entry per point
  // A point whose values break a relation between parameters fails alone, with its message.
  std::vector<std::unique_ptr<const sim::Instance>> points(P);
  std::vector<std::string> errors(P);
  std::string all = "sweep\n" + sim::resolved_toml(s.base, table);
  for (std::size_t i = 0; i < P; ++i) {
    plan.cases.push_back(std::to_string(i));
    try {
      points[i] = m.instantiate(sim::point_scenario(s, design, i, table), dir);
    } catch (const sim::InputError& e) {
      errors[i] = e.what();
    }
  }
  for (double v : design.unit) all += std::to_string(v) + ",";
  for (const auto& f : design.factors) all += f + ",";
  for (double v : design.values) all += std::to_string(v) + ",";
  plan.replicates = static_cast<std::size_t>(s.run.replicates);
  plan.months = static_cast<int>(sim::run_months(s.base, m));
  plan.fingerprint = fingerprint(all);
  sim::Provenance prov = provenance(o, m, s.run.seed);
  prov.experiment = s.name;
  prov.experiment_toml = s.text;
  prov.scenario = s.base.name;
  prov.scenario_toml = sim::resolved_toml(s.base, table);
  prov.scenario_files = s.base.files;
  const auto seed = static_cast<std::uint64_t>(s.run.seed);
  const auto code = execute(
      m, plan,
      [&](std::size_t pi, std::size_t rep) {
        if (!points[pi]) throw std::runtime_error(errors[pi]);
        return points[pi]->run(seed, rep);
      },
      out, o, prov, labels, sim::CaseTable{}, &design, "berdaya sweep " + s.name);
  if (code) return *code;
  return finish(out, o);
}

namespace {

std::string quoted(const std::string& v) {
  std::string q = "\"";
  for (char c : v) q += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return q + "\"";
}

// What a sweep file for this screen would say, kept as the experiment's text.
std::string screen_text(const std::string& name, const RunOptions& o, long long replicates, long long seed,
                        long long months) {
  return "# berdaya sensitivity: one parameter at a time around the scenario\nname = " + quoted(name) +
         "\nscenario = " + quoted(o.input) + "\ndesign = \"oat\"\nfraction = " + sim::format_number(o.fraction) +
         "\nreplicates = " + std::to_string(replicates) + "\nseed = " + std::to_string(seed) +
         "\nmonths = " + std::to_string(months) + "\n";
}

void check_sensitivity_options(const RunOptions& o) {
  if (o.json && o.markdown)
    throw sim::InputError("--json and --markdown both given: choose one way to print the summary.");
  if (!(o.fraction > 0 && o.fraction <= 1))
    throw sim::InputError("--fraction " + sim::format_number(o.fraction) +
                          " is outside (0, 1]: it is the share by which each parameter moves either way. Give e.g. "
                          "--fraction 0.25 (the default) to move every parameter by 25% down and up.");
}

}  // namespace

int run_sensitivity(const RunOptions& o) {
  check_sensitivity_options(o);
  sim::ModelScenario ms = sim::load_model_scenario(o.input);
  const sim::Model& m = *ms.model;
  if (o.markdown && !m.summarize)
    throw sim::InputError("--markdown: model \"" + m.name + "\" has no Markdown table. Leave out --markdown.");
  const auto& table = m.parameters();
  sim::Resolved& r = ms.resolved;
  // Replicates per point: --replicates, else the scenario's own run.replicates.
  override_scenario(r, table, o);
  const fs::path dir = fs::path(o.input).parent_path();
  const auto reference = m.instantiate(r, dir);
  const sim::Labels labels = reference->labels();  // reads the model's data files: fails before any work
  const std::string name = r.name + "-sensitivity";
  const fs::path out = output_path(o, name, inputs_of(r, *reference));

  // A change that breaks a relation between parameters is left out with its reason.
  const sim::OatScreen screen =
      sim::oat_screen(r, table, o.fraction, [&](const sim::Resolved& p) { static_cast<void>(m.instantiate(p, dir)); });
  std::vector<std::unique_ptr<const sim::Instance>> points;
  for (const auto& p : screen.points) points.push_back(m.instantiate(p, dir));
  const std::string toml = sim::resolved_toml(r, table);
  const long long replicates = sim::run_replicates(r, m), seed = sim::run_seed(r, m), months = sim::run_months(r, m);

  sim::Plan plan;
  plan.kind = "sweep";
  plan.case_dim = "point";
  for (std::size_t i = 0; i < screen.points.size(); ++i) plan.cases.push_back(std::to_string(i));
  plan.replicates = static_cast<std::size_t>(replicates);
  plan.months = static_cast<int>(months);
  std::string all = "oat\n" + sim::format_number(o.fraction) + "\n" + toml;
  for (std::size_t i = 0; i < screen.points.size(); ++i) all += screen.description[i] + "\n";
  plan.fingerprint = fingerprint(all);
  sim::Provenance prov = provenance(o, m, seed);
  prov.experiment = name;
  prov.experiment_toml = screen_text(name, o, replicates, seed, months);
  prov.scenario = r.name;
  prov.scenario_toml = toml;
  prov.scenario_files = r.files;
  if (sim::mpi::rank() == 0 && !o.json)
    std::fprintf(stderr, "berdaya sensitivity: %zu points (%zu parameters) x %zu replicates = %zu runs\n",
                 plan.cases.size(), screen.design.factors.size(), plan.replicates, plan.tasks());
  // Every point at replicate r runs with the reference's seed and replicate: the same
  // households and shocks (common random numbers), so changes pair by replicate.
  const auto code = execute(
      m, plan, [&](std::size_t pi, std::size_t rep) { return points[pi]->run(static_cast<std::uint64_t>(seed), rep); },
      out, o, prov, labels, sim::CaseTable{screen.description, {}}, &screen.design, "berdaya sensitivity " + r.name);
  if (code) return *code;
  const auto format = o.json       ? sim::SummaryFormat::Json
                      : o.markdown ? sim::SummaryFormat::Markdown
                                   : sim::SummaryFormat::Text;
  const std::string shown = summarize(out, format);
  std::cout << shown;
  if (!o.summary_file.empty())
    sim::write_text_atomically(o.summary_file,
                               format == sim::SummaryFormat::Text ? shown : summarize(out, sim::SummaryFormat::Text));
  return analysis::failed_runs(out) ? EXIT_SOME_FAILED : 0;
}

}  // namespace cli
