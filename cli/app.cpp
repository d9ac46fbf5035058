// berdaya: the command line. It composes the engine (sim/), the program models (through
// sim/model.h) and the analysis (analysis/) and holds no logic of its own.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>

#include "analysis/generic.h"
#include "analysis/report.h"
#include "analysis/results.h"
#include "analysis/summary.h"
#include "berdaya_build_info.h"
#include "cli/calibrate.h"
#include "cli/commands.h"
#include "cli/export.h"
#include "cli/optimize.h"
#include "sim/config.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "sim/model.h"
#include "sim/mpi.h"
#include "sim/posterior.h"

namespace fs = std::filesystem;

namespace cli {

namespace {

// Every command's --help ends with the exit codes (docs/experiments.md, "Exit codes").
constexpr const char* EXIT_CODES =
    "Exit codes: 0 done; 1 internal error (a bug: please report it); 2 bad input (the message names the place "
    "and the fix; nothing was written); 3 done, but some runs failed (see /runs/message); 4 an output could not "
    "be written (disk full, file size limit; finished runs are kept: continue with --resume); 130 interrupted "
    "(finished runs are kept: continue with --resume).";

constexpr const char* UNCHECKED_HELP =
    "Read a result file even if its seal says it changed since it was written (an edit made on purpose); a damaged "
    "file may then not be detected";

constexpr const char* SENSITIVITY_FOOTER =
    "Runs the scenario (the reference point) and, for every parameter of 'berdaya params' alone, the scenario with\n"
    "it moved to x (1 - f) and x (1 + f) (clamped to its range, integers rounded, a 0 moved by f of its range),\n"
    "each other option of a choice, a boolean flipped. run.* and text parameters, sides that round or clamp back\n"
    "to the reference value, and changes that make the scenario invalid are left out and listed with the reason.\n"
    "Every point shares the reference's households and shocks (common random numbers). For KUBE it prints, largest\n"
    "first, the paired change of groups active 36 months after funding (Kaplan-Meier, pooled) and of recipients'\n"
    "lasting income gain per recipient-month, each with a 95% bootstrap interval of simulation (Monte Carlo)\n"
    "precision.\n"
    "Example: berdaya sensitivity scenarios/kota-batu.toml -o sens.h5 --replicates 20 --threads 2";

std::string command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.find_first_of(" \t\"'") != std::string::npos) a = "'" + a + "'";
    out += (i ? " " : "") + a;
  }
  return out;
}

// The folder of the shipped data (scenarios/, data/), found at run time: BERDAYA_DATA_DIR
// when set; the source tree for a binary of its build tree; else the installed copy at
// the same place relative to the executable as at install time (bin/../share/berdaya).
fs::path data_dir() {
  const std::string fix =
      "Reinstall berdaya (cmake --install, or its Debian package), or set BERDAYA_DATA_DIR to the folder that holds "
      "scenarios/ (share/berdaya of an installation).";
  fs::path dir;
  std::string why;
  if (const char* env = std::getenv("BERDAYA_DATA_DIR"); env && *env) {
    dir = env;
    why = "from BERDAYA_DATA_DIR";
  } else {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
      throw sim::InputError("the shipped scenarios of this berdaya cannot be found: /proc/self/exe cannot be read (" +
                            ec.message() + "), so the executable's folder is unknown. " + fix);
    if (is_inside(exe, BERDAYA_BUILD_DIR)) {
      dir = BERDAYA_SOURCE_DIR;
      why = "the source tree of the build that holds " + exe.string();
    } else {
      dir = (exe.parent_path() / BERDAYA_DATA_FROM_BIN).lexically_normal();
      why = "installed with the executable " + exe.string();
    }
  }
  if (!fs::is_directory(dir / "scenarios"))
    throw sim::InputError(
        "the shipped scenarios of this berdaya are not in " + (dir / "scenarios").string() + " (" + why + "). " +
        (why == "from BERDAYA_DATA_DIR"
             ? "Set BERDAYA_DATA_DIR to the folder that holds scenarios/ (share/berdaya of an installation), or unset "
               "it to use the copy installed with berdaya."
             : fix));
  return dir;
}

fs::path default_serve_scenario() {
  const fs::path p = data_dir() / "scenarios" / "kota-batu.toml";
  if (!fs::is_regular_file(p))
    throw sim::InputError("no scenario given, and the default " + p.string() +
                          " is not there. Name one: berdaya serve path/to/scenario.toml");
  return p;
}

// The model that wrote a result file.
const sim::Model& model_of_file(const std::string& file) {
  const std::string name = analysis::ResultFile(file).attr("model");
  return name.empty() ? sim::default_model() : sim::find_model(name, file + ": the file's model");
}

// Everything the command line can set, and the subcommands that were given.
struct Options {
  RunOptions run, compare, sweep, sensitivity, calibrate, optimize;
  bool unchecked = false;
  std::string validate_file, inspect_file, summary_file, report_file, report_out, report_lang = "id", params_model;
  bool inspect_scenario = false, summary_json = false, summary_markdown = false, report_force = false, markdown = false;
  sim::Model::ServeOptions serve{{}, "127.0.0.1", 8080, false, -1, 16};
  ExportOptions export_;
  sim::Model::InitOptions init;
  std::string init_model;
  std::string serve_scenario, completion_shell;
};

struct Commands {
  CLI::App *run = nullptr, *compare = nullptr, *sweep = nullptr, *sensitivity = nullptr, *validate = nullptr,
           *inspect = nullptr, *summary = nullptr, *report = nullptr, *params = nullptr, *models = nullptr,
           *serve = nullptr, *calibrate = nullptr, *optimize = nullptr, *completion = nullptr, *export_ = nullptr,
           *init = nullptr, *man = nullptr;
};

// run, compare, sweep and sensitivity: they run experiments and share their options.
void add_experiment_commands(CLI::App& app, Options& o, Commands& c, const std::string& cmdline) {
  c.run = app.add_subcommand("run", "Run a scenario: replicates in parallel, results to HDF5, summary on stdout");
  c.run->add_option("scenario", o.run.input, "Scenario file (TOML)")->required();
  c.compare = app.add_subcommand(
      "compare", "Compare scenarios with common random numbers: every scenario x replicate, a table of effects");
  c.compare
      ->add_option("experiment", o.compare.input,
                   "Comparison file (TOML), e.g. scenarios/experiments/kota-batu-levers.toml")
      ->required();
  c.compare->add_option("--posterior", o.compare.posterior,
                        "Calibration file (berdaya calibrate): run every scenario at draws of its posterior (overrides "
                        "the file's posterior)");
  c.compare
      ->add_option("--draws", o.compare.draws,
                   "Posterior draws, each run with every replicate (default: the file's draws, else 20)")
      ->check(CLI::Range(1LL, sim::MAX_DRAWS));
  c.sweep = app.add_subcommand("sweep", "Sweep parameters over a design (grid, lhs, saltelli, morris)");
  c.sweep->add_option("sweep", o.sweep.input, "Sweep file (TOML)")->required();
  c.sensitivity = app.add_subcommand(
      "sensitivity", "Screen every parameter one at a time: how far each moves the model's headline outcomes");
  c.sensitivity->footer(SENSITIVITY_FOOTER);
  c.sensitivity->add_option("scenario", o.sensitivity.input, "Scenario file (TOML): the reference point")->required();
  c.sensitivity->add_option("--fraction", o.sensitivity.fraction,
                            "Share by which each real or integer parameter moves down and up, in (0, 1] (default "
                            "0.25); a parameter at 0 moves by this share of its valid range");
  c.sensitivity->add_flag("--markdown", o.sensitivity.markdown, "Print the summary as a Markdown table (for docs/)");
  for (auto [cmd, ro] : {std::pair{c.run, &o.run}, std::pair{c.compare, &o.compare}, std::pair{c.sweep, &o.sweep},
                         std::pair{c.sensitivity, &o.sensitivity}}) {
    const bool screen = cmd == c.sensitivity;
    cmd->add_option(
        "-o,--output", ro->output,
        screen ? "Result file (default: <scenario name>-sensitivity.h5)" : "Result file (default: <name>.h5)");
    cmd->add_option(
           "--replicates", ro->replicates,
           screen ? "Replicates per point (default: the scenario's run.replicates)" : "Replicates (overrides the file)")
        ->check(CLI::Range(1LL, 100000LL));
    cmd->add_option("--seed", ro->seed, "Master seed (overrides the file)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--threads", ro->threads, "Threads (default: all cores); results do not depend on it");
    cmd->add_option("--months", ro->months, "Months (overrides the file)")->check(CLI::Range(1LL, 600LL));
    cmd->add_flag("--json", ro->json, "Print the summary as one JSON object");
    cmd->add_option("--summary-file", ro->summary_file, "Also write the text summary to this file");
    cmd->add_flag("--resume", ro->resume,
                  "Continue an interrupted run from its spool (OUTPUT.spool), redoing only the missing runs");
    cmd->add_flag("--force", ro->force, "Replace the result and summary files if they exist");
    ro->command_line = cmdline;
  }
}

// validate, inspect, summary and report: they read a scenario or a result file.
void add_file_commands(CLI::App& app, Options& o, Commands& c) {
  c.validate = app.add_subcommand("validate", "Check a scenario file without running it");
  c.validate->add_option("scenario", o.validate_file, "Scenario file (TOML)")->required();

  c.inspect = app.add_subcommand("inspect", "Describe a result file in plain words");
  c.inspect->add_option("file", o.inspect_file, "Result file (HDF5)")->required();
  c.inspect->add_flag("--scenario", o.inspect_scenario, "Print the resolved scenario stored in the file");
  c.inspect->add_flag("--unchecked", o.unchecked, UNCHECKED_HELP);

  c.summary = app.add_subcommand("summary", "Print the summary of a result file without rerunning");
  c.summary->add_option("file", o.summary_file, "Result file (HDF5)")->required();
  c.summary->add_flag("--json", o.summary_json, "Print the summary as one JSON object");
  c.summary->add_flag("--unchecked", o.unchecked, UNCHECKED_HELP);
  c.summary->add_flag("--markdown", o.summary_markdown, "Files of 'berdaya sensitivity': print the table as Markdown");

  c.report = app.add_subcommand("report", "Write a self-contained HTML report of a result file, with charts");
  c.report->add_option("file", o.report_file, "Result file (HDF5)")->required();
  c.report->add_option("-o,--output", o.report_out, "Report file (default: FILE with .html)");
  c.report->add_option("--lang", o.report_lang, "Language: id (Indonesian, the default) or en")
      ->check(CLI::IsMember({"id", "en"}));
  c.report->add_flag("--force", o.report_force, "Replace the report file if it exists");
  c.report->add_flag("--unchecked", o.unchecked, UNCHECKED_HELP);

  c.init = app.add_subcommand("init", "Write a ready set of scenario files for an area from its village CSV");
  c.init->add_option("dir", o.init.dir, "Folder to write (created if missing)")->required();
  c.init
      ->add_option("--villages", o.init.villages,
                   "CSV of the villages: kecamatan,village[,kind][,households] (comma or semicolon)")
      ->required();
  c.init->add_option("--name", o.init.name, "Name of the area's baseline (default: the folder's name)");
  c.init->add_option("--groups-per-cohort", o.init.groups_per_cohort, "Groups formed each year")
      ->check(CLI::Range(0LL, 1000000LL));
  c.init->add_option("--cohorts", o.init.cohorts, "Yearly cohorts")->check(CLI::Range(0LL, 100LL));
  c.init
      ->add_option("--poverty-line", o.init.poverty_line, "Poverty line, Rp per person a month (default: the model's)")
      ->check(CLI::Range(1.0, 1e8));
  c.init->add_option("--budget", o.init.budget, "Budget in Rp a year: also writes an optimization file within it")
      ->check(CLI::Range(1.0, 1e15));
  c.init->add_option("--model", o.init_model, "The model (default: " + sim::default_model().name + ")");
  c.init->add_flag("--force", o.init.force, "Replace the files if they exist");

  c.export_ = app.add_subcommand(
      "export", "Write a result file's tables for a spreadsheet: .xlsx (a sheet a table) or .csv (one table)");
  c.export_->add_option("file", o.export_.file, "Result file (HDF5)")->required();
  c.export_->add_option("-o,--output", o.export_.output, "OUT.xlsx or OUT.csv")->required();
  c.export_->add_option("--table", o.export_.table, "For .csv: the table to write (default: the summary's first)");
  c.export_->add_flag("--force", o.export_.force, "Replace the output file if it exists");
}

// params, models and serve: what a model offers.
void add_model_commands(CLI::App& app, Options& o, Commands& c) {
  c.params = app.add_subcommand("params", "List a model's parameters (defaults, ranges, sources)");
  c.params->add_flag("--markdown", o.markdown, "Print docs/parameters.md");
  c.params->add_option("--model", o.params_model,
                       "The model (default: " + sim::default_model().name + "; see 'berdaya models')");
  c.models =
      app.add_subcommand("models", "List the program models this berdaya runs (the scenario key model = \"...\")");

  c.serve = app.add_subcommand("serve", "Trainer mode: a page on this machine to step a scenario month by month");
  c.serve->add_option("scenario", o.serve_scenario,
                      "Scenario file (TOML; default: the Kota Batu baseline of the source tree)");
  c.serve->add_option("--port", o.serve.port, "Port (default 8080; 0: any free port)")->check(CLI::Range(0, 65535));
  c.serve->add_option("--bind", o.serve.bind, "Address to listen on (default 127.0.0.1, this machine only)");
  c.serve->add_flag("--allow-remote", o.serve.allow_remote, "Allow a --bind address other machines can reach");
  c.serve
      ->add_option("--sessions", o.serve.sessions,
                   "Browser sessions at once, each its own simulation (default 16; a session idle 30 minutes "
                   "makes room for a new one)")
      ->check(CLI::Range(1, 1000));
  c.serve->add_option("--seed", o.serve.seed, "Master seed (default: the scenario's run.seed)")
      ->check(CLI::NonNegativeNumber);
  c.completion = app.add_subcommand("completion", "Print a shell completion script: source <(berdaya completion bash)");
  c.completion->add_option("shell", o.completion_shell, "Shell (bash)")->required()->check(CLI::IsMember({"bash"}));
  // Hidden (no group): the build writes the manual page with it (share/man/man1/berdaya.1).
  c.man = app.add_subcommand("man", "Print the manual page (roff), made from the commands themselves");
  c.man->group("");
}

// The commands a user sees: every subcommand but the hidden ones.
std::vector<const CLI::App*> visible_commands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const auto* sub : app.get_subcommands({}))
    if (!sub->get_group().empty()) out.push_back(sub);
  return out;
}

// bash completion from the command tree itself, so it never falls behind the commands:
// the command first, then that command's flags, and file names for everything else.
int completion(const CLI::App& app) {
  std::string commands, cases;
  for (const auto* sub : visible_commands(app)) {
    commands += (commands.empty() ? "" : " ") + sub->get_name();
    std::string flags = "--help";
    for (const auto* opt : sub->get_options())
      for (const auto& n : opt->get_lnames())
        if (n != "help") flags += " --" + n;
    cases += "    " + sub->get_name() + ") flags=\"" + flags + "\" ;;\n";
  }
  std::cout << "# bash completion for berdaya (berdaya completion bash)\n"
               "_berdaya() {\n"
               "  local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} flags\n"
               "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
               "    COMPREPLY=($(compgen -W \""
            << commands
            << " --help --version\" -- \"$cur\"))\n"
               "    return\n"
               "  fi\n"
               "  case \"$cmd\" in\n"
            << cases
            << "    *) flags=\"\" ;;\n"
               "  esac\n"
               "  if [[ \"$cur\" == -* ]]; then\n"
               "    COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n"
               "  else\n"
               "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
               "  fi\n"
               "}\n"
               "complete -o filenames -F _berdaya berdaya\n";
  return 0;
}

// Text for roff: backslashes and hyphens escaped, a line never starting with a control
// character.
std::string roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (const char ch : text) {
    if (line_start && (ch == '.' || ch == '\'')) out += "\\&";
    if (ch == '\\')
      out += "\\e";
    else if (ch == '-')
      out += "\\-";
    else
      out += ch;
    line_start = ch == '\n';
  }
  return out;
}

// A footer's own text, without the exit codes every command's help repeats.
std::string own_footer(const CLI::App& sub) {
  std::string f = sub.get_footer();
  if (const auto at = f.find(EXIT_CODES); at != std::string::npos) f.erase(at);
  while (!f.empty() && f.back() == '\n') f.pop_back();
  return f;
}

// An option as the page shows it: "-o, --output FILE" (bold names, italic value).
std::string option_label(const CLI::Option& opt) {
  std::string names;
  for (const auto& n : opt.get_snames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-" + roff(n) + "\\fR");
  for (const auto& n : opt.get_lnames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-\\-" + roff(n) + "\\fR");
  if (opt.get_type_size() != 0 && !opt.get_type_name().empty()) names += " \\fI" + roff(opt.get_type_name()) + "\\fR";
  return names;
}

// The manual page, from the command tree itself, so it never falls behind the commands.
int man_page(const CLI::App& app) {
  std::string name = app.get_description();
  if (name.rfind("berdaya: ", 0) == 0) name = name.substr(9);
  std::ostringstream m;
  m << ".TH BERDAYA 1 \"\" \"berdaya " << BERDAYA_VERSION << "\" \"User Commands\"\n"
    << ".SH NAME\nberdaya \\- " << roff(name) << "\n"
    << ".SH SYNOPSIS\n.B berdaya\n.I command\n.RI [ arguments ]\n.RI [ options ]\n.br\n"
    << ".B berdaya\n.RB [ \\-h | \\-\\-help | \\-V | \\-\\-version ]\n"
    << ".SH DESCRIPTION\n"
    << roff(
           "berdaya simulates every household of a district's poverty register month by month, and the joint "
           "business groups (KUBE) formed among them, with their mentors and the government offices around them. "
           "Planners compare scenarios by group survival, income and poverty effects, costs and the office's "
           "indicators; results are self-describing HDF5 files.")
    << "\n.PP\n"
    << roff(
           "Every command reads TOML files (scenarios, comparisons, sweeps, calibrations, searches) or the HDF5 "
           "files it wrote. 'berdaya COMMAND --help' prints a command's options.")
    << "\n.SH OPTIONS\n";
  for (const auto* opt : app.get_options())
    m << ".TP\n" << option_label(*opt) << "\n" << roff(opt->get_description()) << "\n";
  m << ".SH COMMANDS\n";
  for (const auto* sub : visible_commands(app)) {
    std::string synopsis = "berdaya " + sub->get_name();
    for (const auto* opt : sub->get_options())
      if (opt->get_positional() && !opt->nonpositional())
        synopsis += opt->get_required() ? " \\fI" + roff(opt->get_name(true)) + "\\fR"
                                        : " [\\fI" + roff(opt->get_name(true)) + "\\fR]";
    m << ".SS \"" << synopsis << " [options]\"\n" << roff(sub->get_description()) << "\n";
    for (const auto* opt : sub->get_options()) {
      if (opt == sub->get_help_ptr()) continue;
      const bool positional = opt->get_positional() && !opt->nonpositional();
      m << ".TP\n"
        << (positional ? "\\fI" + roff(opt->get_name(true)) + "\\fR" : option_label(*opt)) << "\n"
        << roff(opt->get_description()) << (opt->get_required() && !positional ? " (required)" : "") << "\n";
    }
    if (const std::string f = own_footer(*sub); !f.empty()) {
      std::string body = roff(f);
      for (std::size_t at = 0; (at = body.find("\n\n", at)) != std::string::npos;) body.replace(at, 2, "\n.PP\n");
      m << ".PP\n" << body << "\n";
    }
  }
  m << ".SH EXIT STATUS\n";
  std::string codes = EXIT_CODES;
  if (const auto colon = codes.find(": "); colon != std::string::npos) codes = codes.substr(colon + 2);
  // "CODE text; CODE text; ...", where a text may hold "; " too.
  std::vector<std::string> items;
  for (std::size_t start = 0;;) {
    const auto end = codes.find("; ", start);
    const std::string piece = codes.substr(start, end == std::string::npos ? end : end - start);
    if (!items.empty() && (piece.empty() || !std::isdigit(static_cast<unsigned char>(piece[0]))))
      items.back() += "; " + piece;
    else
      items.push_back(piece);
    if (end == std::string::npos) break;
    start = end + 2;
  }
  for (std::string item : items) {
    if (!item.empty() && item.back() == '.') item.pop_back();
    const auto space = item.find(' ');
    m << ".TP\n.B " << item.substr(0, space) << "\n" << roff(item.substr(space + 1)) << "\n";
  }
  m << ".SH ENVIRONMENT\n.TP\n.B BERDAYA_DATA_DIR\n"
    << roff(
           "The folder holding the shipped scenarios/ and data/ ('berdaya init' copies its lever scenarios from "
           "it; 'berdaya serve' without a scenario opens its Kota Batu baseline). Default: ../share/berdaya from the "
           "executable's folder, as installed.")
    << "\n.SH FILES\n"
    << roff("The paths of the Debian package; an installation elsewhere has them under its own prefix.")
    << "\n.TP\n.I /usr/share/berdaya/scenarios\n"
    << roff(
           "The shipped scenarios (Kota Batu and its levers, East Java, Indonesia), comparisons (experiments/), "
           "sweeps (sweeps/), the calibration with its posterior (calibration/) and budget searches "
           "(optimization/). Copy one to change it.")
    << "\n.TP\n.I /usr/share/doc/berdaya\n"
    << roff("The documentation: README.md, the model's description (ODD.md), the output format, the parameters.")
    << "\n.SH EXAMPLES\n.nf\n"
    << roff(
           "berdaya run /usr/share/berdaya/scenarios/kota-batu.toml --replicates 20 -o kota-batu.h5\n"
           "berdaya report kota-batu.h5 --lang en\n"
           "berdaya compare /usr/share/berdaya/scenarios/experiments/kota-batu-levers.toml -o levers.h5\n"
           "berdaya init my-city --villages villages.csv --name my-city\n"
           "source <(berdaya completion bash)")
    << "\n.fi\n";
  std::cout << m.str();
  return 0;
}

int validate(const std::string& file) {
  const sim::ModelScenario ms = sim::load_model_scenario(file);
  static_cast<void>(ms.model->instantiate(ms.resolved, fs::path(file).parent_path())->labels());
  const auto& r = ms.resolved;
  std::cout << file << ": ok (" << ms.model->name << " scenario '" << r.name << "', " << r.settings.size()
            << " settings over the defaults, " << r.files.size() << " file" << (r.files.size() > 1 ? "s" : "") << ")\n";
  return 0;
}

int inspect(const Options& o) {
  if (o.inspect_scenario) {
    const auto f = sim::h5::File::open(o.inspect_file);
    std::cout << f.root().attr_string("scenario_toml");
  } else if (is_calibration_file(o.inspect_file)) {
    std::cout << calibration_summary(o.inspect_file, sim::SummaryFormat::Text);
  } else if (is_optimization_file(o.inspect_file)) {
    std::cout << optimization_summary(o.inspect_file, sim::SummaryFormat::Text);
  } else {
    std::cout << analysis::describe_file(o.inspect_file);
  }
  return 0;
}

int summary(const Options& o) {
  if (o.summary_markdown) {
    if (o.summary_json) throw sim::InputError("--json and --markdown both given: choose one way to print the summary.");
    const std::string md = summarize(o.summary_file, sim::SummaryFormat::Markdown);
    if (md.empty())
      throw sim::InputError(o.summary_file +
                            ": --markdown prints the table of a 'berdaya sensitivity' file (of a model that has "
                            "one); this file is not one. Leave out --markdown, or use --json.");
    std::cout << md;
    return 0;
  }
  std::cout << summarize(o.summary_file, o.summary_json ? sim::SummaryFormat::Json : sim::SummaryFormat::Text);
  return 0;
}

int report(const Options& o) {
  const fs::path out =
      o.report_out.empty() ? fs::path(o.report_file).replace_extension(".html") : fs::path(o.report_out);
  if (is_calibration_file(o.report_file)) {
    analysis::write_calibration_report(o.report_file, out, analysis::language(o.report_lang), o.report_force);
    std::cout << out.string() << "\n";
    return 0;
  }
  if (is_optimization_file(o.report_file)) {
    optimization_report(o.report_file, out, o.report_lang, o.report_force);
    std::cout << out.string() << "\n";
    return 0;
  }
  const sim::Model& m = model_of_file(o.report_file);
  if (m.report)
    m.report(o.report_file, out, o.report_lang, o.report_force);
  else
    analysis::write_generic_report(o.report_file, out, o.report_force);
  std::cout << out.string() << "\n";
  return 0;
}

// A model without a table of its own for docs/ gets one from its parameter table.
std::string parameters_markdown(const sim::Model& m) {
  if (m.parameters_markdown) return m.parameters_markdown();
  std::string o = "# Parameters of model " + m.name + "\n\n" + m.title +
                  "\n\n| parameter | default | range | unit | "
                  "description | source |\n|---|---|---|---|---|---|\n";
  for (const auto& s : m.parameters()) {
    const bool numeric = s.kind == sim::Kind::Real || s.kind == sim::Kind::Integer;
    o += "| `" + s.name + "` | " + sim::format_value(s.default_value) + " | " +
         (numeric ? sim::format_number(s.min) + " to " + sim::format_number(s.max) : "") + " | " + s.unit + " | " +
         s.description + " | " + s.source + " |\n";
  }
  return o;
}

int params(const Options& o) {
  const sim::Model& m = o.params_model.empty() ? sim::default_model() : sim::find_model(o.params_model, "--model");
  if (o.markdown) {
    std::cout << parameters_markdown(m);
    return 0;
  }
  for (const auto& s : m.parameters())
    std::cout << s.name << " = " << sim::format_value(s.default_value) << "  (" << s.unit << ")  " << s.description
              << "  [" << s.source << "]\n";
  return 0;
}

int models() {
  for (const auto* m : sim::models())
    std::cout << m->name << (m == &sim::default_model() ? " (default)" : "") << ": " << m->title << "\n";
  return 0;
}

int serve(Options& o) {
  o.serve.scenario = o.serve_scenario.empty() ? default_serve_scenario() : fs::path(o.serve_scenario);
  const std::string name = sim::peek_model(o.serve.scenario);
  const sim::Model& m = name.empty() ? sim::default_model() : sim::find_model(name, o.serve.scenario.string());
  if (!m.serve)
    throw sim::InputError(o.serve.scenario.string() + ": model \"" + m.name +
                          "\" has no trainer page. 'berdaya run' runs it; 'berdaya report' shows its results.");
  return m.serve(o.serve);
}

int dispatch(const CLI::App& app, const Commands& c, Options& o) {
  if (*c.run) return run_scenario(o.run);
  if (*c.compare) return run_comparison(o.compare);
  if (*c.sweep) return run_sweep(o.sweep);
  if (*c.sensitivity) return run_sensitivity(o.sensitivity);
  if (*c.calibrate) return run_calibration(o.calibrate);
  if (*c.optimize) return run_optimization(o.optimize);
  if (*c.serve) return serve(o);
  if (*c.validate) return validate(o.validate_file);
  if (*c.inspect) return inspect(o);
  if (*c.summary) return summary(o);
  if (*c.report) return report(o);
  if (*c.export_) return export_file(o.export_);
  if (*c.init) {
    const sim::Model& m = o.init_model.empty() ? sim::default_model() : sim::find_model(o.init_model, "--model");
    if (!m.init)
      throw sim::InputError("model \"" + m.name + "\" has no 'berdaya init'. Write its scenario files by hand.");
    o.init.shipped = data_dir() / "scenarios";
    return m.init(o.init);
  }
  if (*c.params) return params(o);
  if (*c.models) return models();
  if (*c.completion) return completion(app);
  if (*c.man) return man_page(app);
  return 0;
}

// A mistyped command or flag, with the nearest valid one: "" when the words are not that
// (CLI11's own message says what else is wrong).
std::string mistyped(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  std::vector<std::string> commands;
  for (const auto* sub : visible_commands(app)) commands.push_back(sub->get_name());
  const CLI::App* sub = nullptr;
  for (int i = 1; i < argc && !sub; ++i) {
    const std::string a = argv[i];
    if (a.empty() || a[0] == '-') continue;
    for (const auto* s : app.get_subcommands({}))
      if (s->get_name() == a) sub = s;
    if (!sub) {
      const std::string near = sim::nearest(a, commands);
      std::string all;
      for (const auto& c : commands) all += (all.empty() ? "" : ", ") + c;
      return "'" + sim::shorten(a, 40) + "' is not a command." + (near.empty() ? "" : " Did you mean '" + near + "'?") +
             " Commands: " + all + " ('berdaya --help' says what each does).";
    }
  }
  // An unknown flag: CLI11 reports one of a command as an argument not expected; before
  // any command (berdaya --verison) it first misses the command.
  if (sub && !dynamic_cast<const CLI::ExtrasError*>(&e)) return "";
  const CLI::App& scope = sub ? *sub : app;
  std::vector<std::string> flags;
  for (const auto* opt : scope.get_options()) {
    for (const auto& n : opt->get_lnames()) flags.push_back("--" + n);
    for (const auto& n : opt->get_snames()) flags.push_back("-" + n);
  }
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() < 2 || a[0] != '-' || std::isdigit(static_cast<unsigned char>(a[1])) || a[1] == '.') continue;
    if (const auto eq = a.find('='); eq != std::string::npos) a = a.substr(0, eq);
    if (std::find(flags.begin(), flags.end(), a) != flags.end()) continue;
    const std::string near = sim::nearest(a, flags);
    const std::string who = sub ? "berdaya " + sub->get_name() : std::string("berdaya");
    return (sub ? who + ": " : std::string()) + "'" + sim::shorten(a, 40) + "' is not an option" +
           (sub ? " of this command." : " of berdaya.") + (near.empty() ? "" : " Did you mean '" + near + "'?") + " '" +
           who + " --help' lists its options.";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  // Past a file size limit (ulimit -f) a write fails with EFBIG and is reported, instead
  // of the process being killed with temporary files left behind.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{"berdaya: agent-based simulation of poverty-alleviation programs (KUBE joint business groups)"};
  app.require_subcommand(1);
  app.set_version_flag("-V,--version", std::string("berdaya ") + BERDAYA_VERSION + " (" + BERDAYA_GIT_COMMIT + ")");

  sim::mpi::Session mpi(argc, argv);
  Options o;
  Commands c;
  add_experiment_commands(app, o, c, command_line(argc, argv));
  c.calibrate = add_calibrate_command(app, o.calibrate, command_line(argc, argv));
  c.optimize = add_optimize_command(app, o.optimize, command_line(argc, argv));
  add_file_commands(app, o, c);
  add_model_commands(app, o, c);
  app.footer(EXIT_CODES);
  for (auto* sub : app.get_subcommands({}))
    sub->footer(sub->get_footer().empty() ? EXIT_CODES : sub->get_footer() + "\n\n" + EXIT_CODES);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (const std::string hint = mistyped(app, e, argc, argv); !hint.empty()) {
      std::cerr << "berdaya: error: " << hint << "\n";
      return sim::EXIT_BAD_INPUT;
    }
    const int code = app.exit(e);
    return code == 0 ? 0 : sim::EXIT_BAD_INPUT;
  }
  // Readers of result files check the seal each file carries, so a damaged file is
  // refused before the HDF5 library parses it.
  if (o.unchecked) sim::h5::set_verify_seals(false);
  // A command opens its files several times (a run's file for its summary, its brief and
  // its count of failed runs): each is hashed and validated once. The trainer's server is
  // left out, as it lives while files may change under it.
  std::optional<sim::h5::CheckOnce> check_once;
  if (!c.serve->parsed()) check_once.emplace();
  try {
    return dispatch(app, c, o);
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
}

}  // namespace cli
