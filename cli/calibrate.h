// berdaya calibrate (docs/calibration.md) and the summary of its files.
#pragma once
#include <filesystem>
#include <string>

#include "cli/commands.h"

namespace CLI {
class App;
}

namespace cli {

int run_calibration(const RunOptions& o);

// Whether a result file is a calibration's (root kind "calibration").
bool is_calibration_file(const std::filesystem::path& file);
// Marginals and predictive checks of a calibration file; "" for Markdown.
std::string calibration_summary(const std::filesystem::path& file, sim::SummaryFormat format);

// The subcommand and its options.
CLI::App* add_calibrate_command(CLI::App& app, RunOptions& o, const std::string& cmdline);

}  // namespace cli
