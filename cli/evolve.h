// The evolutionary search of berdaya optimize (pagmo2's NSGA-II or GACO). Loading pagmo
// costs a process about 15 ms and 15 MB, which every command paid at start while it was
// linked in; the search lives in a module of its own (libberdaya_evolve.so), loaded when a
// search starts.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace cli {

struct EvolveJob {
  std::vector<double> lower, upper;  // bounds of the decision vector, its integers last
  std::size_t objectives = 1, integers = 0;
  std::string method;  // "nsga2" or "gaco"
  std::size_t population = 0, generations = 0;
  unsigned seed = 0;
  // The start scenarios, a row of lower.size() values each, in the first generation.
  std::vector<double> start_x;
  std::vector<std::string> start_names;
  // The objectives (all minimized) of candidates laid end to end, a row of `objectives`
  // each; names label the start scenarios (the first batch only). May throw (an
  // interruption): the exception reaches the caller of evolve.
  std::function<std::vector<double>(const std::vector<double>&, const std::vector<std::string>&)> batch;
};

// Runs the search, loading the module on first use. InputError, naming the places looked
// in, when the module is not there.
void evolve(const EvolveJob& job);

}  // namespace cli

// The module's entry.
extern "C" void berdaya_evolve(const cli::EvolveJob& job);
