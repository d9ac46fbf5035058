// berdaya: the command line. It composes the engine (sim/), the KUBE model (models/)
// and the analysis (analysis/) and holds no logic of its own.
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "analysis/comparison.h"
#include "analysis/oat.h"
#include "analysis/report.h"
#include "analysis/summary.h"
#include "cli/commands.h"
#include "berdaya_build_info.h"
#include "models/kube/model.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "sim/mpi.h"
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
  // Past a file size limit (ulimit -f) a write fails with EFBIG and is reported, instead
  // of the process being killed with temporary files left behind.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"berdaya: agent-based simulation of poverty-alleviation programs (KUBE joint business groups)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("berdaya ") + BERDAYA_VERSION + " (" + BERDAYA_GIT_COMMIT + ")");

  sim::mpi::Session mpi(argc, argv);
  const std::string cmdline = command_line(argc, argv);

  cli::RunOptions ro, co, so, sens;
  auto* run = app.add_subcommand("run", "Run a scenario: replicates in parallel, results to HDF5, summary on stdout");
  run->add_option("scenario", ro.input, "Scenario file (TOML)")->required();
  auto* compare = app.add_subcommand(
      "compare", "Compare scenarios with common random numbers: every scenario x replicate, a table of effects");
  compare->add_option("experiment", co.input, "Comparison file (TOML), e.g. scenarios/experiments/kota-batu-levers.toml")
      ->required();
  auto* sweep = app.add_subcommand("sweep", "Sweep parameters over a design (grid, lhs, saltelli, morris)");
  sweep->add_option("sweep", so.input, "Sweep file (TOML)")->required();
  auto* sensitivity = app.add_subcommand(
      "sensitivity", "Screen every parameter one at a time: how far each moves group survival and lasting income");
  sensitivity->footer(
      "Runs the scenario (the reference point) and, for every parameter of 'berdaya params' alone, the scenario with\n"
      "it moved to x (1 - f) and x (1 + f) (clamped to its range, integers rounded, a 0 moved by f of its range),\n"
      "each other option of a choice, a boolean flipped. run.* and text parameters, sides that round or clamp back\n"
      "to the reference value, and changes that make the scenario invalid are left out and listed with the reason.\n"
      "Every point shares the reference's households and shocks (common random numbers). Prints, largest first, the\n"
      "paired change of groups active 36 months after funding (Kaplan-Meier, pooled) and of recipients' lasting\n"
      "income gain per recipient-month, each with a 95% bootstrap interval of simulation (Monte Carlo) precision.\n"
      "Example: berdaya sensitivity scenarios/kota-batu.toml -o sens.h5 --replicates 20 --threads 2");
  sensitivity->add_option("scenario", sens.input, "Scenario file (TOML): the reference point")->required();
  sensitivity->add_option("--fraction", sens.fraction,
                          "Share by which each real or integer parameter moves down and up, in (0, 1] (default "
                          "0.25); a parameter at 0 moves by this share of its valid range");
  sensitivity->add_flag("--markdown", sens.markdown, "Print the summary as a Markdown table (for docs/)");
  for (auto [cmd, o] : {std::pair{run, &ro}, std::pair{compare, &co}, std::pair{sweep, &so},
                        std::pair{sensitivity, &sens}}) {
    const bool screen = cmd == sensitivity;
    cmd->add_option("-o,--output", o->output,
                    screen ? "Result file (default: <scenario name>-sensitivity.h5)" : "Result file (default: <name>.h5)");
    cmd->add_option("--replicates", o->replicates,
                    screen ? "Replicates per point (default: the scenario's run.replicates)"
                           : "Replicates (overrides the file)")
        ->check(CLI::Range(1LL, 100000LL));
    cmd->add_option("--seed", o->seed, "Master seed (overrides the file)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--threads", o->threads, "Threads (default: all cores); results do not depend on it");
    cmd->add_option("--months", o->months, "Months (overrides the file)")->check(CLI::Range(1LL, 600LL));
    cmd->add_flag("--json", o->json, "Print the summary as one JSON object");
    cmd->add_option("--summary-file", o->summary_file, "Also write the text summary to this file");
    cmd->add_flag("--resume", o->resume,
                  "Continue an interrupted run from its spool (OUTPUT.spool), redoing only the missing runs");
    cmd->add_flag("--force", o->force, "Replace the result and summary files if they exist");
    o->command_line = cmdline;
  }

  // Readers of result files check the seal each file carries, so a damaged file is
  // refused before the HDF5 library parses it.
  bool unchecked = false;
  const char* unchecked_help = "Read a result file even if its seal says it changed since it was written (an edit "
                               "made on purpose); a damaged file may then not be detected";
  std::string validate_file;
  auto* validate = app.add_subcommand("validate", "Check a scenario file without running it");
  validate->add_option("scenario", validate_file, "Scenario file (TOML)")->required();

  std::string inspect_file;
  bool inspect_scenario = false;
  auto* inspect = app.add_subcommand("inspect", "Describe a result file in plain words");
  inspect->add_option("file", inspect_file, "Result file (HDF5)")->required();
  inspect->add_flag("--scenario", inspect_scenario, "Print the resolved scenario stored in the file");
  inspect->add_flag("--unchecked", unchecked, unchecked_help);

  std::string summary_file;
  bool summary_json = false, summary_markdown = false;
  auto* summary = app.add_subcommand("summary", "Print the summary of a result file without rerunning");
  summary->add_option("file", summary_file, "Result file (HDF5)")->required();
  summary->add_flag("--json", summary_json, "Print the summary as one JSON object");
  summary->add_flag("--unchecked", unchecked, unchecked_help);
  summary->add_flag("--markdown", summary_markdown, "Files of 'berdaya sensitivity': print the table as Markdown");

  std::string report_file, report_out, report_lang = "id";
  bool report_force = false;
  auto* report = app.add_subcommand("report", "Write a self-contained HTML report of a result file, with charts");
  report->add_option("file", report_file, "Result file (HDF5)")->required();
  report->add_option("-o,--output", report_out, "Report file (default: FILE with .html)");
  report->add_option("--lang", report_lang, "Language: id (Indonesian, the default) or en")
      ->check(CLI::IsMember({"id", "en"}));
  report->add_flag("--force", report_force, "Replace the report file if it exists");
  report->add_flag("--unchecked", unchecked, unchecked_help);

  bool markdown = false;
  auto* params = app.add_subcommand("params", "List the model's parameters (defaults, ranges, sources)");
  params->add_flag("--markdown", markdown, "Print docs/parameters.md");

  trainer::ServeOptions serve_opts;
  std::string serve_scenario;
  long long serve_seed = -1;
  auto* serve = app.add_subcommand("serve", "Trainer mode: a page on this machine to step a scenario month by month");
  serve->add_option("scenario", serve_scenario, "Scenario file (TOML; default: the Kota Batu baseline of the source tree)");
  serve->add_option("--port", serve_opts.port, "Port (default 8080; 0: any free port)")->check(CLI::Range(0, 65535));
  serve->add_option("--bind", serve_opts.bind, "Address to listen on (default 127.0.0.1, this machine only)");
  serve->add_flag("--allow-remote", serve_opts.allow_remote, "Allow a --bind address other machines can reach");
  serve->add_option("--seed", serve_seed, "Master seed (default: the scenario's run.seed)")->check(CLI::NonNegativeNumber);

  // Every command's --help ends with the exit codes (docs/experiments.md, "Exit codes").
  const std::string exit_codes =
      "Exit codes: 0 done; 1 internal error (a bug: please report it); 2 bad input (the message names the place "
      "and the fix; nothing was written); 3 done, but some runs failed (see /runs/message); 4 an output could not "
      "be written (disk full, file size limit; finished runs are kept: continue with --resume); 130 interrupted "
      "(finished runs are kept: continue with --resume).";
  app.footer(exit_codes);
  for (auto* sub : app.get_subcommands({}))
    sub->footer(sub->get_footer().empty() ? exit_codes : sub->get_footer() + "\n\n" + exit_codes);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : sim::EXIT_BAD_INPUT;
  }
  if (unchecked) sim::h5::set_verify_seals(false);
  try {
    if (*run) return cli::run_scenario(ro);
    if (*compare) return cli::run_comparison(co);
    if (*sweep) return cli::run_sweep(so);
    if (*sensitivity) return cli::run_sensitivity(sens);
    if (*serve) {
      serve_opts.scenario = serve_scenario.empty() ? default_serve_scenario() : fs::path(serve_scenario);
      if (serve_seed >= 0) serve_opts.seed = static_cast<std::uint64_t>(serve_seed);
      return trainer::serve(serve_opts);
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
      if (summary_markdown) {
        if (summary_json) throw sim::InputError("--json and --markdown both given: choose one way to print the summary.");
        if (!analysis::is_oat(summary_file))
          throw sim::InputError(summary_file + ": --markdown prints the table of a 'berdaya sensitivity' file; this "
                                "file is not one. Leave out --markdown, or use --json.");
        std::cout << analysis::to_markdown(analysis::oat_summary(summary_file));
        return 0;
      }
      std::cout << analysis::summary_text(summary_file, summary_json);
      return 0;
    }
    if (*report) {
      const fs::path out = report_out.empty() ? fs::path(report_file).replace_extension(".html") : fs::path(report_out);
      analysis::write_report(report_file, out, analysis::language(report_lang), report_force);
      std::cout << out.string() << "\n";
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
  } catch (const sim::OutputError& e) {
    std::cerr << "berdaya: error: " << e.what() << "\n";
    return sim::EXIT_OUTPUT_FAILED;
  } catch (const std::exception& e) {
    std::cerr << "berdaya: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
