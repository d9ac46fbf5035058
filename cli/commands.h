// The commands that run experiments: they compose the engine (plans, runner, writer),
// the KUBE model and the analysis, and hold no logic of their own.
#pragma once
#include <string>

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
};


int run_scenario(const RunOptions& o);    // berdaya run
int run_comparison(const RunOptions& o);  // berdaya compare
int run_sweep(const RunOptions& o);       // berdaya sweep
int run_sensitivity(const RunOptions& o); // berdaya sensitivity

}  // namespace cli
