// berdaya optimize (docs/optimization.md) and the summary of its files.
#pragma once
#include <filesystem>
#include <string>

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace cli {

int run_optimization(const RunOptions& o);

// Whether a result file is an optimization's (root kind "optimization").
bool is_optimization_file(const std::filesystem::path& file);
// The non-dominated mixes and a few recommended ones in plain words; "" for Markdown.
std::string optimization_summary(const std::filesystem::path& file, sim::SummaryFormat format);

// The HTML report: cost against each objective (every candidate, the front, the start
// scenarios) and the recommended mixes, in Indonesian ("id") or English ("en").
void optimization_report(const std::filesystem::path& file, const std::filesystem::path& out, const std::string& lang,
                         bool replace);

CLI::App* add_optimize_command(CLI::App& app, RunOptions& o, const std::string& cmdline);

}  // namespace cli
