// berdaya: the command line. It composes the engine (sim/), the KUBE model (models/)
// and the analysis (analysis/) and holds no logic of its own.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "analysis/summary.h"
#include "berdaya_build_info.h"
#include "models/model.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "sim/runner.h"
#include "sim/writer.h"
#include "trainer/server.h"

namespace fs = std::filesystem;

namespace {

std::string command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.find_first_of(" \t\"'") != std::string::npos) a = "'" + a + "'";
    out += (i ? " " : "") + a;
  }
  return out;
}

struct RunOptions {
  std::string scenario, output, summary_file;
  long long replicates = 0, seed = -1, months = 0;
  unsigned threads = 0;
  bool json = false;
};

void check_writable(const fs::path& out) {
  if (fs::is_directory(out))
    throw sim::InputError(out.string() + ": is a folder. Give a file name, e.g. -o " + (out / "results.h5").string() + ".");
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir))
    throw sim::InputError(out.string() + ": the folder '" + dir.string() +
                          "' does not exist. Create it or choose another output path with -o.");
}

int cmd_run(const RunOptions& o, const std::string& cmdline) {
  const auto& table = kube::param_table();
  sim::Resolved r = sim::load_scenario(o.scenario, table);
  if (o.replicates > 0) sim::set_from_command_line(r, table, "run.replicates", o.replicates, "--replicates");
  if (o.seed >= 0) sim::set_from_command_line(r, table, "run.seed", o.seed, "--seed");
  if (o.months > 0) sim::set_from_command_line(r, table, "run.months", o.months, "--months");
  const kube::Params p = kube::make_params(r, fs::path(o.scenario).parent_path());
  const sim::Labels labels = kube::labels(p);  // reads the village file: fails before any work
  const fs::path out = o.output.empty() ? fs::path(r.name + ".h5") : fs::path(o.output);
  check_writable(out);
  if (!o.summary_file.empty()) check_writable(o.summary_file);

  const auto n = static_cast<std::size_t>(p.run_replicates);
  std::vector<sim::RunRecord> runs(n);
  const auto seed = static_cast<std::uint64_t>(p.run_seed);
  const auto start = std::chrono::steady_clock::now();
  sim::run_tasks(
      n, o.threads, [&](std::size_t i) { runs[i] = kube::run(p, seed, i); },
      [&](std::size_t i, const std::string& msg) {
        runs[i] = sim::RunRecord{};
        runs[i].resize(kube::schema(), static_cast<int>(p.run_months));
        std::fill(runs[i].series.begin(), runs[i].series.end(), std::numeric_limits<double>::quiet_NaN());
        std::fill(runs[i].yearly.begin(), runs[i].yearly.end(), std::numeric_limits<double>::quiet_NaN());
        runs[i].error = msg;
      },
      "berdaya run " + r.name);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  sim::Provenance prov;
  prov.engine_version = BERDAYA_VERSION;
  prov.git_commit = BERDAYA_GIT_COMMIT;
  prov.created = sim::utc_now();
  prov.command_line = cmdline;
  prov.seed = p.run_seed;
  prov.scenario = r.name;
  prov.scenario_toml = sim::resolved_toml(r, table);
  prov.scenario_files = r.files;
  sim::write_results(out, prov, kube::schema(), runs, labels);

  const analysis::Summary s = analysis::summarize(out);
  const std::string text = analysis::to_text(s);
  if (o.json) {
    std::cout << analysis::to_json(s) << "\n";
  } else {
    std::cout << text;
    std::fprintf(stderr, "\n%zu runs in %.1f s\n", n, secs);
  }
  if (!o.summary_file.empty()) {
    const fs::path tmp = o.summary_file + ".tmp";
    {
      std::ofstream f(tmp);
      f << text;
    }
    fs::rename(tmp, o.summary_file);
  }
  std::size_t failed = 0;
  for (const auto& run : runs) failed += !run.error.empty();
  return failed ? 1 : 0;
}

// The build records where the source tree was; an installed binary may not find it.
fs::path default_serve_scenario() {
  const fs::path p = fs::path(BERDAYA_SOURCE_DIR) / "scenarios" / "kota-batu.toml";
  if (!fs::is_regular_file(p))
    throw sim::InputError("no scenario given, and the default " + p.string() +
                          " is not there (the source tree has moved). Name one: berdaya serve path/to/scenario.toml");
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"berdaya: agent-based simulation of poverty-alleviation programs (KUBE joint business groups)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("berdaya ") + BERDAYA_VERSION + " (" + BERDAYA_GIT_COMMIT + ")");

  RunOptions ro;
  auto* run = app.add_subcommand("run", "Run a scenario: replicates in parallel, results to HDF5, summary on stdout");
  run->add_option("scenario", ro.scenario, "Scenario file (TOML)")->required();
  run->add_option("-o,--output", ro.output, "Result file (default: <scenario name>.h5)");
  run->add_option("--replicates", ro.replicates, "Replicates (overrides run.replicates)")->check(CLI::Range(1LL, 100000LL));
  run->add_option("--seed", ro.seed, "Master seed (overrides run.seed)")->check(CLI::NonNegativeNumber);
  run->add_option("--threads", ro.threads, "Threads (default: all cores); results do not depend on it");
  run->add_option("--months", ro.months, "Months (overrides run.months)")->check(CLI::Range(1LL, 600LL));
  run->add_flag("--json", ro.json, "Print the summary as one JSON object");
  run->add_option("--summary-file", ro.summary_file, "Also write the text summary to this file");

  std::string validate_file;
  auto* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", validate_file, "Scenario file (TOML)")->required();

  std::string inspect_file;
  bool inspect_scenario = false;
  auto* inspect = app.add_subcommand("inspect", "Describe a result file in plain words");
  inspect->add_option("file", inspect_file, "Result file (HDF5)")->required();
  inspect->add_flag("--scenario", inspect_scenario, "Print the resolved scenario stored in the file");

  std::string summary_file;
  bool summary_json = false;
  auto* summary = app.add_subcommand("summary", "Print the summary of a result file without rerunning");
  summary->add_option("file", summary_file, "Result file (HDF5)")->required();
  summary->add_flag("--json", summary_json, "Print the summary as one JSON object");

  bool markdown = false;
  auto* params = app.add_subcommand("params", "List the model's parameters (defaults, ranges, sources)");
  params->add_flag("--markdown", markdown, "Print docs/parameters.md");

  trainer::ServeOptions so;
  std::string serve_scenario;
  long long serve_seed = -1;
  auto* serve = app.add_subcommand("serve", "Trainer mode: a page on this machine to step a scenario month by month");
  serve->add_option("scenario", serve_scenario, "Scenario file (TOML; default: the Kota Batu baseline of the source tree)");
  serve->add_option("--port", so.port, "Port (default 8080; 0: any free port)")->check(CLI::Range(0, 65535));
  serve->add_option("--bind", so.bind, "Address to listen on (default 127.0.0.1, this machine only)");
  serve->add_flag("--allow-remote", so.allow_remote, "Allow a --bind address other machines can reach");
  serve->add_option("--seed", serve_seed, "Master seed (default: the scenario's run.seed)")->check(CLI::NonNegativeNumber);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : sim::EXIT_BAD_INPUT;
  }
  try {
    if (*run) return cmd_run(ro, command_line(argc, argv));
    if (*serve) {
      so.scenario = serve_scenario.empty() ? default_serve_scenario() : fs::path(serve_scenario);
      if (serve_seed >= 0) so.seed = static_cast<std::uint64_t>(serve_seed);
      return trainer::serve(so);
    }
    if (*validate) {
      const auto& table = kube::param_table();
      const sim::Resolved r = sim::load_scenario(validate_file, table);
      const kube::Params p = kube::make_params(r, fs::path(validate_file).parent_path());
      static_cast<void>(kube::labels(p));
      std::cout << validate_file << ": ok (scenario '" << r.name << "', " << r.settings.size()
                << " settings over the defaults, " << r.files.size() << " file" << (r.files.size() > 1 ? "s" : "")
                << ")\n";
      return 0;
    }
    if (*inspect) {
      if (inspect_scenario) {
        const auto f = sim::h5::File::open(inspect_file);
        std::cout << f.root().attr_string("scenario_toml");
      } else {
        std::cout << analysis::describe_file(inspect_file);
      }
      return 0;
    }
    if (*summary) {
      const auto s = analysis::summarize(summary_file);
      std::cout << (summary_json ? analysis::to_json(s) + "\n" : analysis::to_text(s));
      return 0;
    }
    if (*params) {
      if (markdown) {
        std::cout << kube::parameters_markdown();
      } else {
        for (const auto& s : kube::param_table())
          std::cout << s.name << " = " << sim::format_value(s.default_value) << "  (" << s.unit << ")  "
                    << s.description << "  [" << s.source << "]\n";
      }
      return 0;
    }
  } catch (const sim::InputError& e) {
    std::cerr << "berdaya: error: " << e.what() << "\n";
    return sim::EXIT_BAD_INPUT;
  } catch (const std::exception& e) {
    std::cerr << "berdaya: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
