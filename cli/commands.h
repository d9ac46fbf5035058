// The commands that run experiments: they compose the engine (plans, runner, writer),
// the program model (through sim/model.h) and the analysis, and hold no logic of their own.
#pragma once
#include <filesystem>
#include <string>

#include "sim/model.h"
#include "sim/runner.h"

namespace cli {

struct RunOptions {
  std::string input, output, summary_file;
  long long replicates = 0, seed = -1, months = 0;
  unsigned threads = 0;
  bool json = false, resume = false, force = false;
  std::string command_line;
  // berdaya sensitivity only.
  double fraction = 0.25;
  bool markdown = false;
  // Set by the Python module: progress goes to the notebook instead of the terminal.
  sim::ProgressCallback progress = {};
  // berdaya compare only: run every scenario at posterior draws of this calibration file
  // (over the comparison file's `posterior`), `draws` of them (0: the file's, else 20).
  std::string posterior;
  long long draws = 0;
  // berdaya calibrate only: check the file and its scenarios, run nothing.
  bool check = false;
};

int run_scenario(const RunOptions& o);     // berdaya run
int run_comparison(const RunOptions& o);   // berdaya compare
int run_sweep(const RunOptions& o);        // berdaya sweep
int run_sensitivity(const RunOptions& o);  // berdaya sensitivity

// The summary of a result file as its model gives it (the generic one for a model with
// none); InputError for a file of a model this berdaya does not have.
std::string summarize(const std::filesystem::path& file, sim::SummaryFormat format);

// Whether a path lies inside a folder (both made absolute and normalized): a program of
// the build tree finds its data and its search module there.
bool is_inside(const std::filesystem::path& p, const std::filesystem::path& dir);

// The whole command line: parses argv, runs the command, returns the exit code. The
// models must be registered first (sim::register_model).
int main(int argc, char** argv);

}  // namespace cli
