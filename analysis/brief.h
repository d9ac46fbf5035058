// The brief for the head of the office ("Ringkasan untuk pimpinan"): what each option of a
// comparison buys per rupiah (groups still active three years after funding, lasting
// income, member households above the poverty line), its total cost and cost a year, and
// how sure each answer is. Over a posterior (berdaya compare --posterior) every figure is
// the median over the plausible worlds with its 90 % interval over them, and the chances
// come from the same worlds; otherwise the figures are the pooled estimates with their
// 95 % Monte Carlo intervals, which say nothing of the parameters' uncertainty.
#pragma once
#include <array>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "analysis/comparison.h"
#include "analysis/posterior.h"
#include "sim/model.h"

namespace analysis {

// What a rupiah buys, in the order the brief ranks by (the first ranks the options).
inline constexpr std::array<const char*, 3> BRIEF_BUYS = {"active_36_per_billion", "income_per_rupiah",
                                                          "lifted_per_billion"};

struct BriefFigure {
  double value = std::numeric_limits<double>::quiet_NaN();  // the estimate, or the median over plausible worlds
  double lo = std::numeric_limits<double>::quiet_NaN(), hi = std::numeric_limits<double>::quiet_NaN();
  // Over a posterior: the share of plausible worlds where the option beats the baseline,
  // and where it is the best of all options. NaN without a posterior (and p_better for the
  // baseline itself).
  double p_better = std::numeric_limits<double>::quiet_NaN(), p_best = std::numeric_limits<double>::quiet_NaN();
  int rank = 0;  // 1 = the most per rupiah among the options; 0 where there is no value
};

struct BriefOption {
  std::string scenario, description;
  bool baseline = false;              // the comparison's baseline
  BriefFigure cost_total;             // Rp over the run
  double cost_per_year = 0;           // cost_total.value over the run's years
  std::array<BriefFigure, 3> buys;    // BRIEF_BUYS order
  BriefFigure income_gain, transfer;  // Rp per recipient household a month
  BriefFigure active_36;              // share of funded groups active 36 months after funding
};

struct Brief {
  std::string experiment, baseline, counterfactual, file;
  double years = 0;
  long long runs_per_option = 0;  // replicates used (over a posterior: draws x replicates)
  bool posterior = false;         // figures over plausible worlds
  std::size_t draws = 0;
  std::string calibration_file;
  // The buy the options are ranked by: the first of BRIEF_BUYS any option has a value of
  // (groups active at 36 months are not estimable in a run too short to follow them).
  std::size_t ranked_by = 0;
  std::vector<BriefOption> options;     // ranked by buys[ranked_by], best first; options without a value last
  std::vector<std::string> not_ranked;  // scenarios without a cost (the no-program counterfactual)
  const BriefOption* find(const std::string& scenario) const;
  // The option ranked 1 for that buy; nullptr when no option has a value of it.
  const BriefOption* best(std::size_t buy) const;
};

// From a comparison table (and, over a posterior, its summary: the figures and chances
// then come from the plausible worlds).
Brief make_brief(const ComparisonTable& t, const PosteriorSummary* posterior);
// The brief of a comparison result file; InputError when it is not one.
Brief brief(const std::filesystem::path& file);

std::string to_text(const Brief& b);  // English, the first page of berdaya summary
std::string to_json(const Brief& b);

// `summary` of a comparison file in `format` with the brief first: before the text, or as
// the JSON object's "brief" member. Other files and formats come back as they are. `table`
// (of a comparison not over a posterior) and `posterior` are what the summary already
// computed, so the brief need not compute them again.
std::string with_brief(const std::filesystem::path& file, sim::SummaryFormat format, std::string summary,
                       const ComparisonTable* table = nullptr, const PosteriorSummary* posterior = nullptr);

}  // namespace analysis
