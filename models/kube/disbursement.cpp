#include "models/kube/mechanisms.h"

#include <cmath>

namespace kube {

// Log-odds of sharing the grant out: higher with members in cash need and with the
// stake each would take home relative to their means, lower with a better understanding
// of the grant as the group's capital and under a recent visit. Nothing to share, no split.
double split_probability(const World& w, const Group& g) {
  const Params& p = w.p;
  double und = 0, need = 0, income = 0;
  int n = 0;
  for_each_member(w, g, [&](std::uint32_t h) {
    und += w.hh.understanding[h];
    need += w.hh.need_months[h] > 0 ? 1.0 : 0.0;
    income += w.hh.base_income[h];
    ++n;
  });
  if (n == 0 || g.capital <= 0 || income <= 0) return 0.0;
  // The stake: what each member would take home, in months of the members' mean income.
  // The more it is worth to a household, the stronger the pull to share it out.
  const double stake = g.capital / n / (income / n);
  const double deter =
      (g.deter_until >= w.month && g.mentor >= 0) ? w.mentors[static_cast<std::size_t>(g.mentor)].quality : 0.0;
  const double logit = p.split_base + p.split_need_weight * need / n - p.split_understanding_weight * und / n -
                       p.split_monitoring_weight * deter +
                       p.split_stake_weight * std::log(stake / p.split_stake_reference);
  return 1.0 / (1.0 + std::exp(-logit));
}

// Each member takes an equal share of the capital: the grant handed back as one-off cash,
// kept apart from the income the program creates.
void split_group(World& w, Group& g, FailureTally& failures) {
  const double share = g.members > 0 ? g.capital / g.members : 0.0;
  for_each_member(w, g, [&](std::uint32_t h) { w.hh.transfer_cash[h] += static_cast<float>(share); });
  g.split_paid += share * g.members;
  g.capital -= share * g.members;
  end_group(w, g, Cause::GrantSplit, failures);
}

void disburse(World& w) {
  const Params& p = w.p;
  for (auto& g : w.groups) {
    if (g.stage != Stage::Preparing || g.disburse_at != w.month) continue;
    train(w, g);
    const double grant = p.program_grant_per_member * g.members;
    w.cost[C_GRANTS] += grant;
    g.grant_in = grant;
    g.leakage = grant * p.program_leakage;
    g.capital = grant - g.leakage;
    g.capital_prev = g.capital;
    g.funded = w.month;
    g.stage = Stage::Active;
    // What each member expects the group to pay, from what they understood of the
    // program when the money came.
    for_each_member(w, g, [&](std::uint32_t h) {
      const double und = w.hh.understanding[h];
      w.hh.expectation[h] =
          static_cast<float>(und * p.membership_expect_informed + (1 - und) * p.membership_expect_uninformed);
    });
    sim::Stream s = w.streams.get(STREAM_SPLIT_DISBURSEMENT, w.month, g.id);
    if (s.uniform() < split_probability(w, g)) split_group(w, g);
  }
}

}  // namespace kube
