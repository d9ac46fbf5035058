#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/samplers.h"
#include "world.h"

TEST_CASE("zero shock probability gives zero household shocks") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 36\n[household]\nshock_prob = 0\n");
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (auto n : w.hh.need_months) REQUIRE(n == 0);
    for (const auto& g : w.groups) {
      REQUIRE(g.withdrawals == 0.0);
      REQUIRE(g.iks_out == 0.0);
    }
  });
}

TEST_CASE("the program only adds income: totals against their counterfactual, every month") {
  const auto p = test::small("run.months = 36\n");
  double lifted = 0;
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals& t) {
    REQUIRE(t.n_pool == static_cast<double>(w.hh.count()));
    REQUIRE(t.n_members <= t.n_pool);
    REQUIRE(t.income_pool >= t.income_pool_cf);
    REQUIRE(t.income_members >= t.income_members_cf);
    REQUIRE(t.poor_pool <= t.poor_pool_cf);
    REQUIRE(t.poor_members <= t.poor_members_cf);
    REQUIRE(t.poor_pool <= t.n_pool);
    REQUIRE(t.gap_pool <= t.gap_pool_cf + 1e-6 * t.n_pool);
    REQUIRE(t.gap_pool >= 0.0);
    REQUIRE(t.lifted <= t.poor_members_cf);
    REQUIRE(t.transfer_members >= 0.0);
    // The month's cash is spent or saved: none carries over, except the shares of a
    // grant split in a crisis at the end of this month, which next month receives.
    std::vector<bool> split_now(w.hh.count(), false);
    for (const auto& g : w.groups)
      if (g.cause == kube::Cause::GrantSplit && g.failed == w.month)
        for (auto i = g.member_begin; i < g.member_end; ++i) split_now[w.members[i]] = true;
    for (std::size_t h = 0; h < w.hh.count(); ++h) {
      REQUIRE(w.hh.program_cash[h] == 0.0f);
      if (!split_now[h]) REQUIRE(w.hh.transfer_cash[h] == 0.0f);
      REQUIRE(w.hh.savings[h] >= 0.0f);
      REQUIRE(w.hh.need_months[h] <= p.household_need_months);
    }
    lifted += t.lifted;
  });
  CHECK(lifted > 0);
}

TEST_CASE("a one-off transfer is saved, never counted as income") {
  const auto p = test::small();
  auto a = test::stepped(p, 6), b = test::stepped(p, 6);
  for (std::size_t h = 0; h < b.hh.count(); h += 7) b.hh.transfer_cash[h] = 1e6f;
  const auto ta = kube::run_households(a), tb = kube::run_households(b);
  CHECK(ta.income_pool == tb.income_pool);
  CHECK(ta.poor_pool == tb.poor_pool);
  CHECK(ta.gap_pool == tb.gap_pool);
  CHECK(tb.transfer_members >= ta.transfer_members);
  int more = 0;
  for (std::size_t h = 0; h < b.hh.count(); h += 7) more += b.hh.savings[h] > a.hh.savings[h];
  CHECK(more > 0);
  for (std::size_t h = 0; h < b.hh.count(); ++h) CHECK(b.hh.savings[h] >= a.hh.savings[h]);
}

TEST_CASE("program cash is income: it raises the pool's income by the amount paid") {
  const auto p = test::small();
  auto a = test::stepped(p, 6), b = test::stepped(p, 6);
  double paid = 0;
  for (std::size_t h = 0; h < b.hh.count(); h += 5) b.hh.program_cash[h] = 50000.0f, paid += 50000;
  const auto ta = kube::run_households(a), tb = kube::run_households(b);
  CHECK(tb.income_pool - ta.income_pool == doctest::Approx(paid).epsilon(1e-4));
  CHECK(tb.income_pool_cf == ta.income_pool_cf);
  CHECK(tb.poor_pool <= ta.poor_pool);
}

TEST_CASE("a shock a member cannot meet from savings draws on the group's IKS fund first, within the cap") {
  const auto p = test::small("household.shock_prob = 1\nhousehold.iks_loan_cap = 0.5\nsplit.base = -20\n");
  auto w = test::stepped(p, 5);
  for (std::size_t h = 0; h < w.hh.count(); ++h) w.hh.savings[h] = 0;
  for (auto& g : w.groups) g.iks = 1000;
  const auto before = w.groups;
  kube::run_households(w);
  int drawn = 0;
  for (std::size_t i = 0; i < w.groups.size(); ++i) {
    const auto &g = w.groups[i], &b = before[i];
    if (g.stage != kube::Stage::Active) {
      CHECK(g.iks_out == b.iks_out);
      continue;
    }
    // Every member is hit; each takes at most half of what the fund holds at the time.
    CHECK(g.iks >= 0.0);
    CHECK(g.iks_out - b.iks_out == doctest::Approx(b.iks - g.iks));
    CHECK(g.withdrawals >= b.withdrawals);
    CHECK(g.capital <= b.capital);
    drawn += g.iks_out > b.iks_out;
  }
  CHECK(drawn > 0);
  // Whoever was not covered is in cash need.
  int in_need = 0;
  for (auto n : w.hh.need_months) in_need += n == p.household_need_months;
  CHECK(in_need > 0);
}

namespace {

// The household month as a plain loop, one household after another, from the draws the
// model documents (the stream's first number: noise from its low 32 bits, the shock from
// its high 32; the second: the shock's cost; a normal outside the ziggurat's core goes on
// from the third) and its order of sums (lane = place in the block modulo 4, added in
// household order, the lanes in order).
kube::HouseholdTotals plain_month(kube::World& w) {
  const auto& p = w.p;
  auto& hh = w.hh;
  const auto key = w.streams.key(kube::STREAM_HOUSEHOLD_SHOCKS, w.month);
  const sim::Chance32 shock(p.household_shock_prob);
  kube::HouseholdTotals total;
  for (std::size_t b = 0; b < kube::block_count(w); ++b) {
    double lane[8][4] = {};
    kube::HouseholdTotals t;
    const auto begin = kube::block_begin(w, b);
    for (auto h = begin; h < kube::block_end(w, b); ++h) {
      sim::Stream s = key.stream(h);
      const std::uint64_t first = s(), second = s();
      const auto lo = static_cast<std::uint32_t>(first);
      const bool shocked = shock.of(static_cast<std::uint32_t>(first >> 32));
      const float z = sim::normal32_rest(lo, s);
      const float base = hh.base_income[h];
      float savings = hh.savings[h];
      if (shocked) {
        double cost = base * (p.household_shock_cost_min + (p.household_shock_cost_max - p.household_shock_cost_min) *
                                                               (static_cast<double>(second >> 11) * 0x1.0p-53));
        const double from_savings = std::min<double>(cost, savings);
        savings -= static_cast<float>(from_savings);
        cost -= from_savings;
        if (cost > 0 && hh.group[h] >= 0) {
          auto& g = w.groups[static_cast<std::size_t>(hh.group[h])];
          if (g.stage == kube::Stage::Active) {
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
        if (cost > 0) hh.need_months[h] = static_cast<std::uint8_t>(p.household_need_months);
      } else if (hh.need_months[h] > 0) {
        --hh.need_months[h];
      }
      const float income = base * std::max(0.0f, 1.0f + static_cast<float>(p.household_income_noise_sd) * z);
      const float cash_total = income + hh.program_cash[h];
      const float transfer = hh.transfer_cash[h];
      hh.savings[h] = std::min(savings + static_cast<float>(p.household_savings_rate) * cash_total + transfer,
                               std::max(savings, static_cast<float>(p.household_savings_cap) * base));
      hh.program_cash[h] = hh.transfer_cash[h] = 0.0f;
      const float line = static_cast<float>(p.population_poverty_line) * static_cast<float>(hh.size[h]);
      const bool poor = cash_total < line, poor_cf = income < line;
      const float gap = poor ? 1.0f - cash_total / line : 0.0f, gap_cf = poor_cf ? 1.0f - income / line : 0.0f;
      const bool member = hh.flags[h] & kube::H_RECIPIENT;
      const float values[8] = {cash_total,
                               income,
                               gap,
                               gap_cf,
                               member ? cash_total : 0.0f,
                               member ? income : 0.0f,
                               member ? transfer : 0.0f,
                               member ? gap : 0.0f};
      for (int k = 0; k < 8; ++k) lane[k][(h - begin) % 4] += values[k];
      t.poor_pool += poor;
      t.poor_pool_cf += poor_cf;
      t.n_members += member;
      t.poor_members += member && poor;
      t.poor_members_cf += member && poor_cf;
      t.lifted += member && poor_cf && !poor;
    }
    double* sums[8] = {&t.income_pool,    &t.income_pool_cf,    &t.gap_pool,         &t.gap_pool_cf,
                       &t.income_members, &t.income_members_cf, &t.transfer_members, &t.gap_members};
    for (int k = 0; k < 8; ++k)
      for (int j = 0; j < 4; ++j) *sums[k] += lane[k][j];
    total += t;
  }
  total.n_pool = static_cast<double>(hh.count());
  return total;
}

}  // namespace

TEST_CASE("the household month in vector lanes gives, bit for bit, what a plain loop of the same draws gives") {
  // 1,055 households: a chunk of 1,024, then three whole eights and seven single ones; shocks
  // often, savings empty, so that the IKS fund, withdrawals and need all come into play.
  const auto p = test::small(
      "population.villages = 5\npopulation.households_per_village = 211\nhousehold.shock_prob = 0.3\n"
      "program.groups_per_cohort = 10\n");
  auto a = test::stepped(p, 8);
  for (std::size_t h = 0; h < a.hh.count(); h += 3) a.hh.savings[h] = 0;
  for (std::size_t h = 0; h < a.hh.count(); h += 11) a.hh.program_cash[h] = 40000.0f;
  for (std::size_t h = 0; h < a.hh.count(); h += 13) a.hh.transfer_cash[h] = 250000.0f;
  REQUIRE(a.hh.count() == 1055);
  auto b = a;
  for (int month = 0; month < 4; ++month, ++a.month, ++b.month) {
    const auto ta = kube::run_households(a), tb = plain_month(b);
    CHECK(ta.income_pool == tb.income_pool);
    CHECK(ta.income_pool_cf == tb.income_pool_cf);
    CHECK(ta.gap_pool == tb.gap_pool);
    CHECK(ta.gap_pool_cf == tb.gap_pool_cf);
    CHECK(ta.income_members == tb.income_members);
    CHECK(ta.income_members_cf == tb.income_members_cf);
    CHECK(ta.transfer_members == tb.transfer_members);
    CHECK(ta.gap_members == tb.gap_members);
    CHECK(ta.poor_pool == tb.poor_pool);
    CHECK(ta.poor_pool_cf == tb.poor_pool_cf);
    CHECK(ta.n_members == tb.n_members);
    CHECK(ta.poor_members == tb.poor_members);
    CHECK(ta.poor_members_cf == tb.poor_members_cf);
    CHECK(ta.lifted == tb.lifted);
    CHECK(ta.n_members > 0);
    CHECK(a.hh.savings == b.hh.savings);
    CHECK(a.hh.need_months == b.hh.need_months);
    for (std::size_t g = 0; g < a.groups.size(); ++g) {
      CHECK(a.groups[g].iks == b.groups[g].iks);
      CHECK(a.groups[g].capital == b.groups[g].capital);
      CHECK(a.groups[g].withdrawals == b.groups[g].withdrawals);
    }
  }
}
