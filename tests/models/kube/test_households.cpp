#include <doctest/doctest.h>

#include <vector>

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
