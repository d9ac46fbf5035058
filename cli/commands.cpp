#include "cli/commands.h"

#include <cstdio>
#include <iostream>
#include <optional>

#include "analysis/comparison.h"
#include "analysis/oat.h"
#include "analysis/summary.h"
#include "berdaya_build_info.h"
#include "models/kube/model.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/experiment_file.h"
#include "sim/mpi.h"
#include "sim/output.h"
#include "sim/random.h"
#include "sim/signals.h"
#include "sim/sweep.h"
#include "sim/writer.h"

namespace cli {

namespace fs = std::filesystem;

namespace {

constexpr int EXIT_SOME_FAILED = 3;
constexpr int EXIT_INTERRUPTED = 130;

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Identifies everything that decides the results, so a spool is resumed only by the
// experiment that wrote it.
std::string fingerprint(const std::string& text) {
  std::uint64_t h = 0x6265726461796121ULL;
  for (unsigned char c : text) h = sim::combine(h, c);
  return std::string(BERDAYA_VERSION) + "/" + BERDAYA_GIT_COMMIT + "/" + std::to_string(text.size()) + "/" + hex(h);
}

sim::Provenance provenance(const RunOptions& o, long long seed) {
  sim::Provenance p;
  p.engine_version = BERDAYA_VERSION;
  p.git_commit = BERDAYA_GIT_COMMIT;
  p.created = sim::utc_now();
  p.command_line = o.command_line;
  p.seed = seed;
  return p;
}

// What the three commands share: run every task, then assemble the file, or say how to
// continue when interrupted. Returns the exit code, or nothing when the file was written.
std::optional<int> execute(const sim::Plan& plan, const sim::Task& task, const fs::path& out, const RunOptions& o,
                           const sim::Provenance& prov, const sim::Labels& labels, const sim::CaseTable& cases,
                           const sim::DesignTable* design, const std::string& what) {
  // One guard over running and writing: Ctrl-C in either phase keeps every finished run.
  const sim::SignalGuard guard;
  sim::ExecOptions eo;
  eo.threads = o.threads;
  eo.resume = o.resume;
  eo.what = what;
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
    sim::write_results(out, prov, plan, kube::schema(), labels, cases, design);
  } catch (const sim::Interrupted&) {
    std::fprintf(stderr,
                 "\nberdaya: interrupted while writing %s: nothing was written there, and all %zu runs are kept in "
                 "%s.\n  Write the file with the same command and --resume (no run is redone).\n",
                 out.c_str(), r.total, sim::spool_path(out).c_str());
    return EXIT_INTERRUPTED;
  }
  if (!o.json) {
    std::fprintf(stderr, "%zu runs in %.1f s", r.ran, r.seconds);
    if (r.resumed) std::fprintf(stderr, " (%zu more kept from the interrupted run)", r.resumed);
    if (r.failed) std::fprintf(stderr, "; %zu FAILED: their messages are in /runs/message", r.failed);
    std::fprintf(stderr, "\n");
  }
  return std::nullopt;
}

int finish(const std::string& text, const std::string& json, const RunOptions& o, const fs::path& out) {
  std::cout << (o.json ? json + "\n" : text);
  if (!o.summary_file.empty()) sim::write_text_atomically(o.summary_file, text);
  const auto failed = analysis::failed_runs(out);
  return failed ? EXIT_SOME_FAILED : 0;
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

// The files a scenario was read from: its extends chain and its village file.
std::vector<fs::path> inputs_of(const sim::Resolved& r, const kube::Params& p) {
  std::vector<fs::path> v(r.files.begin(), r.files.end());
  if (!p.population_village_file.empty()) v.push_back(p.base_dir / p.population_village_file);
  return v;
}

}  // namespace

int run_scenario(const RunOptions& o) {
  const auto& table = kube::param_table();
  sim::Resolved r = sim::load_scenario(o.input, table);
  if (o.replicates > 0) sim::set_from_command_line(r, table, "run.replicates", o.replicates, "--replicates");
  if (o.seed >= 0) sim::set_from_command_line(r, table, "run.seed", o.seed, "--seed");
  if (o.months > 0) sim::set_from_command_line(r, table, "run.months", o.months, "--months");
  const kube::Params p = kube::make_params(r, fs::path(o.input).parent_path());
  const sim::Labels labels = kube::labels(p);  // reads the village file: fails before any work
  const fs::path out = output_path(o, r.name, inputs_of(r, p));
  const std::string toml = sim::resolved_toml(r, table);

  sim::Plan plan;
  plan.kind = "run";
  plan.case_dim = "scenario";
  plan.cases = {r.name};
  plan.replicates = static_cast<std::size_t>(p.run_replicates);
  plan.months = static_cast<int>(p.run_months);
  plan.fingerprint = fingerprint("run\n" + toml);
  sim::Provenance prov = provenance(o, p.run_seed);
  prov.experiment = prov.scenario = r.name;
  prov.scenario_toml = toml;
  prov.scenario_files = r.files;
  const sim::CaseTable cases{{r.description}, {toml}};
  const auto seed = static_cast<std::uint64_t>(p.run_seed);
  const auto code = execute(
      plan, [&](std::size_t, std::size_t rep) { return kube::run(p, seed, rep); }, out, o, prov, labels, cases, nullptr,
      "berdaya run " + r.name);
  if (code) return *code;
  const auto s = analysis::summarize(out);
  return finish(analysis::to_text(s), analysis::to_json(s), o, out);
}

int run_comparison(const RunOptions& o) {
  const auto& table = kube::param_table();
  sim::Comparison c = sim::load_comparison(o.input, table);
  override_run_settings(c.run, o);
  std::vector<kube::Params> params;
  sim::CaseTable cases;
  sim::Plan plan;
  plan.kind = "compare";
  plan.case_dim = "scenario";
  std::string all = "compare\n";
  for (std::size_t i = 0; i < c.scenarios.size(); ++i) {
    auto& r = c.scenarios[i];
    sim::apply_run_settings(r, c.run, table, "the command line or " + c.file);
    params.push_back(kube::make_params(r, c.scenario_files[i].parent_path()));
    const std::string toml = sim::resolved_toml(r, table);
    plan.cases.push_back(r.name);
    cases.description.push_back(r.description);
    cases.toml.push_back(toml);
    all += toml;
    if (params.back().run_months != params.front().run_months)
      throw sim::InputError(c.file + ": scenarios '" + plan.cases.front() + "' and '" + r.name +
                            "' run for different months. Set months = N in the comparison file.");
  }
  const sim::Labels labels = kube::labels(params[c.baseline]);
  std::vector<fs::path> inputs;
  for (std::size_t i = 0; i < c.scenarios.size(); ++i)
    for (const auto& f : inputs_of(c.scenarios[i], params[i])) inputs.push_back(f);
  const fs::path out = output_path(o, c.name, inputs);
  plan.replicates = static_cast<std::size_t>(c.run.replicates);
  plan.months = static_cast<int>(params.front().run_months);
  plan.fingerprint = fingerprint(all);
  sim::Provenance prov = provenance(o, c.run.seed);
  prov.experiment = c.name;
  prov.experiment_toml = c.text;
  prov.scenario = c.scenarios[c.baseline].name;
  prov.scenario_toml = cases.toml[c.baseline];
  prov.scenario_files = c.scenarios[c.baseline].files;
  prov.baseline = plan.cases[c.baseline];
  prov.counterfactual = plan.cases[c.counterfactual];
  const auto seed = static_cast<std::uint64_t>(c.run.seed);
  // The same seed and replicate for every scenario: common random numbers.
  const auto code = execute(
      plan, [&](std::size_t ci, std::size_t rep) { return kube::run(params[ci], seed, rep); }, out, o, prov, labels,
      cases, nullptr, "berdaya compare " + c.name);
  if (code) return *code;
  const auto t = analysis::compare(out);
  return finish(analysis::to_text(t), analysis::to_json(t), o, out);
}

int run_sweep(const RunOptions& o) {
  const auto& table = kube::param_table();
  sim::Sweep s = sim::load_sweep(o.input, table);
  override_run_settings(s.run, o);
  sim::apply_run_settings(s.base, s.run, table, "the command line or " + s.file);
  const fs::path dir = s.base_file.parent_path();
  const kube::Params base = kube::make_params(s.base, dir);
  const sim::Labels labels = kube::labels(base);
  const sim::DesignTable design = sim::expand(s, table);
  const fs::path out = output_path(o, s.name, inputs_of(s.base, base));

  sim::Plan plan;
  plan.kind = "sweep";
  plan.case_dim = "point";
  const std::size_t P = design.block.size();  // one entry per point
  // A point whose values break a relation between parameters fails alone, with its message.
  std::vector<std::optional<kube::Params>> params(P);
  std::vector<std::string> errors(P);
  std::string all = "sweep\n" + sim::resolved_toml(s.base, table);
  for (std::size_t i = 0; i < P; ++i) {
    plan.cases.push_back(std::to_string(i));
    try {
      params[i] = kube::make_params(sim::point_scenario(s, design, i, table), dir);
    } catch (const sim::InputError& e) {
      errors[i] = e.what();
    }
  }
  for (double v : design.unit) all += std::to_string(v) + ",";
  for (const auto& f : design.factors) all += f + ",";
  for (double v : design.values) all += std::to_string(v) + ",";
  plan.replicates = static_cast<std::size_t>(s.run.replicates);
  plan.months = static_cast<int>(base.run_months);
  plan.fingerprint = fingerprint(all);
  sim::Provenance prov = provenance(o, s.run.seed);
  prov.experiment = s.name;
  prov.experiment_toml = s.text;
  prov.scenario = s.base.name;
  prov.scenario_toml = sim::resolved_toml(s.base, table);
  prov.scenario_files = s.base.files;
  const auto seed = static_cast<std::uint64_t>(s.run.seed);
  const auto code = execute(
      plan,
      [&](std::size_t pi, std::size_t rep) {
        if (!params[pi]) throw std::runtime_error(errors[pi]);
        return kube::run(*params[pi], seed, rep);
      },
      out, o, prov, labels, sim::CaseTable{}, &design, "berdaya sweep " + s.name);
  if (code) return *code;
  const auto t = analysis::sweep_summary(out);
  return finish(analysis::to_text(t), analysis::to_json(t), o, out);
}

int run_sensitivity(const RunOptions& o) {
  const auto& table = kube::param_table();
  if (o.json && o.markdown)
    throw sim::InputError("--json and --markdown both given: choose one way to print the summary.");
  if (!(o.fraction > 0 && o.fraction <= 1))
    throw sim::InputError("--fraction " + sim::format_number(o.fraction) +
                          " is outside (0, 1]: it is the share by which each parameter moves either way. Give e.g. "
                          "--fraction 0.25 (the default) to move every parameter by 25% down and up.");
  sim::Resolved r = sim::load_scenario(o.input, table);
  // Replicates per point: --replicates, else the scenario's own run.replicates.
  if (o.replicates > 0) sim::set_from_command_line(r, table, "run.replicates", o.replicates, "--replicates");
  if (o.seed >= 0) sim::set_from_command_line(r, table, "run.seed", o.seed, "--seed");
  if (o.months > 0) sim::set_from_command_line(r, table, "run.months", o.months, "--months");
  const fs::path dir = fs::path(o.input).parent_path();
  const kube::Params base = kube::make_params(r, dir);
  const sim::Labels labels = kube::labels(base);  // reads the village file: fails before any work
  const std::string name = r.name + "-sensitivity";
  const fs::path out = output_path(o, name, inputs_of(r, base));

  // A change that breaks a relation between parameters is left out with its reason.
  const sim::OatScreen screen =
      sim::oat_screen(r, table, o.fraction, [&](const sim::Resolved& p) { static_cast<void>(kube::make_params(p, dir)); });
  std::vector<kube::Params> params;
  for (const auto& p : screen.points) params.push_back(kube::make_params(p, dir));
  const std::string toml = sim::resolved_toml(r, table);

  sim::Plan plan;
  plan.kind = "sweep";
  plan.case_dim = "point";
  for (std::size_t i = 0; i < screen.points.size(); ++i) plan.cases.push_back(std::to_string(i));
  plan.replicates = static_cast<std::size_t>(base.run_replicates);
  plan.months = static_cast<int>(base.run_months);
  std::string all = "oat\n" + sim::format_number(o.fraction) + "\n" + toml;
  for (std::size_t i = 0; i < screen.points.size(); ++i) all += screen.description[i] + "\n";
  plan.fingerprint = fingerprint(all);

  // What a sweep file for this screen would say, kept as the experiment's text.
  auto quoted = [](const std::string& v) {
    std::string q = "\"";
    for (char c : v) q += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return q + "\"";
  };
  std::string text = "# berdaya sensitivity: one parameter at a time around the scenario\nname = " + quoted(name) +
                     "\nscenario = " + quoted(o.input) + "\ndesign = \"oat\"\nfraction = " +
                     sim::format_number(o.fraction) + "\nreplicates = " + std::to_string(base.run_replicates) +
                     "\nseed = " + std::to_string(base.run_seed) + "\nmonths = " + std::to_string(base.run_months) +
                     "\n";
  sim::Provenance prov = provenance(o, base.run_seed);
  prov.experiment = name;
  prov.experiment_toml = text;
  prov.scenario = r.name;
  prov.scenario_toml = toml;
  prov.scenario_files = r.files;
  if (sim::mpi::rank() == 0 && !o.json)
    std::fprintf(stderr, "berdaya sensitivity: %zu points (%zu parameters) x %zu replicates = %zu runs\n",
                 plan.cases.size(), screen.design.factors.size(), plan.replicates, plan.tasks());
  const auto seed = static_cast<std::uint64_t>(base.run_seed);
  // Every point at replicate r runs with the reference's seed and replicate: the same
  // households and shocks (common random numbers), so changes pair by replicate.
  const auto code = execute(
      plan, [&](std::size_t pi, std::size_t rep) { return kube::run(params[pi], seed, rep); }, out, o, prov, labels,
      sim::CaseTable{screen.description, {}}, &screen.design, "berdaya sensitivity " + r.name);
  if (code) return *code;
  const auto s = analysis::oat_summary(out);
  const std::string summary = analysis::to_text(s);
  std::cout << (o.json ? analysis::to_json(s) + "\n" : o.markdown ? analysis::to_markdown(s) : summary);
  if (!o.summary_file.empty()) sim::write_text_atomically(o.summary_file, summary);
  return s.failed_runs ? EXIT_SOME_FAILED : 0;
}

}  // namespace cli
