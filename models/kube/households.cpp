#include "models/kube/mechanisms.h"

#include <algorithm>

#include "sim/parallel.h"
#include "sim/samplers.h"

namespace kube {

// The hot loop over every household of the pool. Each household draws the same numbers
// every month whatever its state, from its own stream, so two scenarios at the same
// replicate see the same exogenous incomes and shocks: a normal deviate, the shock, and,
// only when shocked, its cost (the stream's next number, so drawing it only then changes
// nothing else). The counterfactual
// income (without program money) is exact here: base income and its shocks are
// exogenous, and the program only adds cash.
HouseholdTotals run_households(World& w) {
  const Params& p = w.p;
  Households& hh = w.hh;
  const auto key = w.streams.key(STREAM_HOUSEHOLD_SHOCKS, w.month);
  const float noise_sd = static_cast<float>(p.household_income_noise_sd);
  const float line = static_cast<float>(p.population_poverty_line);
  const double cost_lo = p.household_shock_cost_min,
               cost_span = p.household_shock_cost_max - p.household_shock_cost_min;
  const auto need_months = static_cast<std::uint8_t>(p.household_need_months);
  const float save_rate = static_cast<float>(p.household_savings_rate);
  const float save_cap = static_cast<float>(p.household_savings_cap);
  const sim::Chance shocked(p.household_shock_prob);
  // Blocks of whole villages (a group's members and their shocks stay in one block), each
  // summed on its own and the sums added in block order: the same bits on any number of
  // threads (sim/parallel.h).
  std::vector<HouseholdTotals> part(block_count(w));
  sim::parallel_blocks(part.size(), [&](std::size_t b) {
    // Plain pointers and local sums: the byte-wide stores (need_months) may alias anything
    // reached through a reference, which would reload every array's address each household.
    const float* __restrict base_income = hh.base_income.data();
    float* __restrict savings_of = hh.savings.data();
    float* __restrict program_cash = hh.program_cash.data();
    float* __restrict transfer_cash = hh.transfer_cash.data();
    std::uint8_t* __restrict need = hh.need_months.data();
    const std::uint8_t* __restrict size = hh.size.data();
    const std::uint8_t* __restrict flags = hh.flags.data();
    const std::int32_t* __restrict group = hh.group.data();
    Group* const groups = w.groups.data();
    HouseholdTotals t;
    const std::uint32_t end = block_end(w, b);
    for (std::uint32_t h = block_begin(w, b); h < end; ++h) {
      sim::Stream s = key.stream(h);
      const auto z = static_cast<float>(sim::normal(s));
      const float base = base_income[h];
      const float income = base * std::max(0.0f, 1.0f + noise_sd * z);
      float savings = savings_of[h];
      if (shocked(s)) {
        double cost = base * (cost_lo + cost_span * s.uniform());
        const double from_savings = std::min<double>(cost, savings);
        savings -= static_cast<float>(from_savings);
        cost -= from_savings;
        const std::int32_t gid = group[h];
        if (cost > 0 && gid >= 0) {
          Group& g = groups[gid];
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
        if (cost > 0) need[h] = need_months;
      } else if (need[h] > 0) {
        --need[h];
      }
      const float cash = program_cash[h];
      const float total = income + cash;
      // A shared-out grant is one-off cash: it tops up savings (what exceeds the cap is
      // spent) and is not income, so it lifts no one above the line.
      const float transfer = transfer_cash[h];
      savings = std::min(savings + save_rate * total + transfer, std::max(savings, save_cap * base));
      savings_of[h] = savings;
      program_cash[h] = 0.0f;
      transfer_cash[h] = 0.0f;

      const float hline = line * static_cast<float>(size[h]);
      const bool poor = total < hline, poor_cf = income < hline;
      const float gap = poor ? 1.0f - total / hline : 0.0f;
      const float gap_cf = poor_cf ? 1.0f - income / hline : 0.0f;
      t.income_pool += total;
      t.income_pool_cf += income;
      t.poor_pool += poor;
      t.poor_pool_cf += poor_cf;
      t.gap_pool += gap;
      t.gap_pool_cf += gap_cf;
      if (flags[h] & H_RECIPIENT) {
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
    part[b] = t;
  });
  HouseholdTotals t;
  for (const auto& x : part) t += x;
  t.n_pool = static_cast<double>(hh.count());
  return t;
}

}  // namespace kube
