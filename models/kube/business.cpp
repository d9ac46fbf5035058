#include "models/kube/mechanisms.h"

#include <algorithm>
#include <cmath>

#include <boost/random/normal_distribution.hpp>

namespace kube {

namespace {
double shock_sd(const Params& p, BusinessType t) {
  switch (t) {
    case BusinessType::Livestock: return p.business_shock_sd_livestock;
    case BusinessType::Food: return p.business_shock_sd_food;
    case BusinessType::Trade: return p.business_shock_sd_trade;
    case BusinessType::Services: return p.business_shock_sd_services;
    case BusinessType::Crafts: return p.business_shock_sd_crafts;
  }
  return 0;
}
}  // namespace

// Monthly profit = return x capital x productivity x market access x (1 + shock)
//                  - depreciation x capital.
// Productivity rises with the contributors' skill and share (diminishing returns) and
// with bookkeeping. Positive profit goes to IKS, reinvestment and payouts; a loss eats
// capital. Disease (livestock) and village disasters destroy capital outright.
void run_businesses(World& w) {
  const Params& p = w.p;
  const auto key = w.streams.key(STREAM_BUSINESS_SHOCKS, w.month);
  const auto vkey = w.streams.key(STREAM_VILLAGE_SHOCKS, w.month);
  // Group by group, each on its own (its state, its members' cash): blocks of villages on
  // the run's threads.
  for_groups_by_block(
      w, [](const Group& g) { return g.stage == Stage::Active; },
      [&](Group& g, std::size_t) {
        // Contributors and their skill.
        double skill = 0;
        int contrib = 0, members = 0;
        for_each_member(w, g, [&](std::uint32_t h) {
          ++members;
          if (w.hh.motivation[h] >= p.business_motivation_threshold) {
            ++contrib;
            skill += w.hh.skill[h];
          }
        });
        g.members = static_cast<std::uint8_t>(members);
        g.contributors = static_cast<std::uint8_t>(contrib);
        // Village shocks hit every group of the village alike: one stream per village-month.
        sim::Stream vs = vkey.stream(g.village);
        const bool village_shock = vs.uniform() < p.business_village_shock_prob;
        const bool disaster = vs.uniform() < p.business_disaster_prob;
        const double disaster_loss = p.business_loss_min + (p.business_loss_max - p.business_loss_min) * vs.uniform();

        sim::Stream s = key.stream(g.id);
        boost::random::normal_distribution<double> z(0.0, 1.0);
        const double shock = shock_sd(p, g.type) * z(s);
        const bool disease = g.type == BusinessType::Livestock && s.uniform() < p.business_disease_prob;
        const double disease_loss = p.business_loss_min + (p.business_loss_max - p.business_loss_min) * s.uniform();

        double productivity = 0;
        if (contrib > 0 && members > 0) {
          const double mean_skill = skill / contrib;
          productivity = (p.business_productivity_floor + (1 - p.business_productivity_floor) * mean_skill) *
                         std::pow(static_cast<double>(contrib) / members, p.business_contribution_exponent) *
                         (1 - p.business_bookkeeping_weight * (1 - g.bookkeeping));
        }
        const double market = g.market_access * (1.0 + shock - (village_shock ? p.business_village_shock_size : 0.0));
        const double profit =
            p.business_monthly_return * g.capital * productivity * market - p.business_depreciation * g.capital;
        g.profit += profit;
        if (profit > 0) {
          const double iks = p.business_iks_share * profit;
          const double payout = profit * (1 - p.business_iks_share - p.business_reinvest_share);
          g.capital += profit - iks - payout;
          g.iks += iks;
          g.iks_in += iks;
          g.payouts += payout;
          const bool all = p.payout_rule == PayoutRule::All;
          const int sharers = all ? members : contrib;
          g.payout_per_member = sharers > 0 ? payout / sharers : 0.0;
          for_each_member(w, g, [&](std::uint32_t h) {
            if (all || w.hh.motivation[h] >= p.business_motivation_threshold)
              w.hh.program_cash[h] += static_cast<float>(g.payout_per_member);
          });
        } else {
          g.capital += profit;
          g.payout_per_member = 0;
        }
        // Destruction of capital: the larger of the two events this month.
        const double loss = std::max(disease ? disease_loss : 0.0, disaster ? disaster_loss : 0.0);
        if (loss > 0) {
          const double lost = g.capital * loss;
          g.capital -= lost;
          g.losses += lost;
          if (loss >= p.business_catastrophe_share) g.catastrophe = true;
        }
      },
      [&](const Group& g) {
        for (auto i = g.member_begin; i < g.member_end; ++i) {
          __builtin_prefetch(&w.hh.skill[w.members[i]]);
          __builtin_prefetch(&w.hh.program_cash[w.members[i]]);
        }
      });
}

}  // namespace kube
