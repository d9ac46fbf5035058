// A second test model, fast and with answers known in closed form, for calibration tests
// (tests/toy/test_calibrate.py): groups funded in 12 monthly cohorts fail each month with
// probability `ventures.early_hazard` in their first year and `ventures.late_hazard`
// after it, from cause "market" with probability `ventures.market_share` (else
// "quarrel"). An active group makes `ventures.profit` x U(0.5, 1.5) a month, of which
// `ventures.savings_rate` is saved. So survival at 12 months is (1 - early)^12, the
// hazard of a later year 1 - (1 - late)^12, the market share of failures market_share,
// profit per active group-month profit, and savings identify the savings rate; a
// calibration without a savings target learns nothing of it. Each group costs
// `ventures.grant` when funded (series `cost`, cumulative): the optimization tests' budget.
#pragma once
#include "sim/model.h"

namespace ventures {

sim::Model program();
void register_program();

}  // namespace ventures
