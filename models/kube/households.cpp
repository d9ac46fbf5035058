#include "models/kube/mechanisms.h"

#include <algorithm>

#include <boost/random/normal_distribution.hpp>

namespace kube {

// The hot loop over every household of the pool. Each household draws the same three
// numbers every month whatever its state, from its own stream, so two scenarios at
// the same replicate see the same exogenous incomes and shocks. The counterfactual
// income (without program money) is exact here: base income and its shocks are
// exogenous, and the program only adds cash.
HouseholdTotals run_households(World& w) {
  const Params& p = w.p;
  Households& hh = w.hh;
  const auto key = w.streams.key(STREAM_HOUSEHOLD_SHOCKS, w.month);
  const float noise_sd = static_cast<float>(p.household_income_noise_sd);
  const float line = static_cast<float>(p.population_poverty_line);
  const double cost_lo = p.household_shock_cost_min, cost_span = p.household_shock_cost_max - p.household_shock_cost_min;
  const auto need_months = static_cast<std::uint8_t>(p.household_need_months);
  const float save_rate = static_cast<float>(p.household_savings_rate);
  const float save_cap = static_cast<float>(p.household_savings_cap);
  boost::random::normal_distribution<float> normal(0.0f, 1.0f);
  HouseholdTotals t;
  const std::size_t n = hh.count();
  for (std::size_t h = 0; h < n; ++h) {
    sim::Stream s = key.stream(h);
    const float z = normal(s);
    const double u_shock = s.uniform();
    const double u_cost = s.uniform();
    const float base = hh.base_income[h];
    const float income = base * std::max(0.0f, 1.0f + noise_sd * z);
    float savings = hh.savings[h];
    if (u_shock < p.household_shock_prob) {
      double cost = base * (cost_lo + cost_span * u_cost);
      const double from_savings = std::min<double>(cost, savings);
      savings -= static_cast<float>(from_savings);
      cost -= from_savings;
      const std::int32_t gid = hh.group[h];
      if (cost > 0 && gid >= 0) {
        Group& g = w.groups[static_cast<std::size_t>(gid)];
        if (g.stage == Stage::Active) {
          const double loan = std::min(cost, p.household_iks_loan_cap * g.iks);
          g.iks -= loan;
          g.iks_out += loan;
          cost -= loan;
          const double stake = g.members > 0 ? std::max(0.0, g.capital) / g.members : 0.0;
          const double withdrawal = std::min(cost, p.household_withdrawal_cap * stake);
          g.capital -= withdrawal;
          g.withdrawals += withdrawal;
          cost -= withdrawal;
        }
      }
      // Whatever is left is met by cutting consumption; the household is in cash need.
      if (cost > 0) hh.need_months[h] = need_months;
    } else if (hh.need_months[h] > 0) {
      --hh.need_months[h];
    }
    const float cash = hh.program_cash[h];
    const float total = income + cash;
    // A shared-out grant is one-off cash: it tops up savings (what exceeds the cap is
    // spent) and is not income, so it lifts no one above the line.
    const float transfer = hh.transfer_cash[h];
    savings = std::min(savings + save_rate * total + transfer, std::max(savings, save_cap * base));
    hh.savings[h] = savings;
    hh.program_cash[h] = 0.0f;
    hh.transfer_cash[h] = 0.0f;

    const float hline = line * static_cast<float>(hh.size[h]);
    const bool poor = total < hline, poor_cf = income < hline;
    const float gap = poor ? 1.0f - total / hline : 0.0f;
    const float gap_cf = poor_cf ? 1.0f - income / hline : 0.0f;
    t.income_pool += total;
    t.income_pool_cf += income;
    t.poor_pool += poor;
    t.poor_pool_cf += poor_cf;
    t.gap_pool += gap;
    t.gap_pool_cf += gap_cf;
    if (hh.flags[h] & H_RECIPIENT) {
      t.n_members += 1;
      t.income_members += total;
      t.income_members_cf += income;
      t.transfer_members += transfer;
      t.poor_members += poor;
      t.poor_members_cf += poor_cf;
      t.gap_members += gap;
      t.lifted += poor_cf && !poor;
    }
  }
  t.n_pool = static_cast<double>(n);
  return t;
}

}  // namespace kube
