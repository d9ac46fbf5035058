#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "world.h"

TEST_CASE("no grant before verification and the preparation lag; the grant matches the members") {
  const auto p = test::small("run.months = 30\nprogram.leakage = 0.2\nprogram.disbursement_lag = 4\n");
  std::map<std::uint32_t, int> members_before;
  int funded = 0;
  double grants = 0;
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      REQUIRE(g.formed >= 0);
      REQUIRE(g.disburse_at == g.formed + 4);
      if (g.funded < 0) {
        REQUIRE(g.stage == kube::Stage::Preparing);
        REQUIRE(w.month < g.disburse_at);
        REQUIRE(g.grant_in == 0.0);
        members_before[g.id] = g.members;
        continue;
      }
      REQUIRE(g.funded == g.disburse_at);
      REQUIRE(g.grant_in == doctest::Approx(p.program_grant_per_member * members_before[g.id]));
      REQUIRE(g.leakage == doctest::Approx(0.2 * g.grant_in));
      if (g.funded == w.month) ++funded, grants += g.grant_in;
    }
    REQUIRE(w.cost[kube::C_GRANTS] == doctest::Approx(grants));
  });
  CHECK(funded == 12);
}

TEST_CASE("the split probability is a probability, and zero with nothing to share") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 5);
  int checked = 0;
  for (auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    const double q = kube::split_probability(w, g);
    CHECK(q >= 0.0);
    CHECK(q <= 1.0);
    const double capital = g.capital;
    g.capital = 0;
    CHECK(kube::split_probability(w, g) == 0.0);
    g.capital = capital;
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("understanding and a recent visit lower the split probability; cash need raises it") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 5);
  kube::Group* g = nullptr;
  for (auto& x : w.groups)
    if (x.stage == kube::Stage::Active && x.mentor >= 0) g = &x;
  REQUIRE(g != nullptr);
  auto set_members = [&](float understanding, std::uint8_t need) {
    kube::for_each_member(w, *g, [&](std::uint32_t h) {
      w.hh.understanding[h] = understanding;
      w.hh.need_months[h] = need;
    });
  };
  g->deter_until = -1;
  set_members(0.2f, 0);
  const double base = kube::split_probability(w, *g);
  set_members(0.9f, 0);
  CHECK(kube::split_probability(w, *g) < base);
  set_members(0.2f, 3);
  CHECK(kube::split_probability(w, *g) > base);
  set_members(0.2f, 0);
  g->deter_until = w.month + 3;
  CHECK(kube::split_probability(w, *g) < base);
}

TEST_CASE("a split hands the capital to the members as one-off cash and ends the group") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 5);
  for (auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    const double capital = g.capital;
    const int members = g.members;
    std::vector<std::uint32_t> who;
    kube::for_each_member(w, g, [&](std::uint32_t h) { who.push_back(h); });
    std::vector<float> before;
    for (auto h : who) before.push_back(w.hh.transfer_cash[h]);
    const int failures = w.failures[static_cast<std::size_t>(kube::Cause::GrantSplit)];
    kube::split_group(w, g);
    CHECK(g.split_paid == doctest::Approx(capital));
    CHECK(g.capital == doctest::Approx(0.0).scale(capital));
    CHECK(g.stage == kube::Stage::Inactive);
    CHECK(g.cause == kube::Cause::GrantSplit);
    CHECK(g.failed == w.month);
    CHECK(w.failures[static_cast<std::size_t>(kube::Cause::GrantSplit)] == failures + 1);
    double handed = 0;
    for (std::size_t i = 0; i < who.size(); ++i) {
      handed += w.hh.transfer_cash[who[i]] - before[i];
      CHECK(w.hh.group[who[i]] == -1);
    }
    CHECK(static_cast<int>(who.size()) == members);
    CHECK(handed == doctest::Approx(capital).epsilon(1e-5));
    // Transfers are one-off cash, never program income.
    for (auto h : who) CHECK(w.hh.program_cash[h] == 0.0f);
  }
}

TEST_CASE("the larger the stake against members' means, the likelier the grant is shared out") {
  auto split_share = [](const std::string& grant) {
    const auto p =
        test::scenario("kota-batu", "[run]\nmonths = 16\n[program]\ncohorts = 1\ngrant_per_member = " + grant + "\n");
    int funded = 0, split_at_once = 0;
    for (std::uint64_t rep = 0; rep < 40; ++rep) {
      kube::World w(p, p.run_seed, rep);
      kube::init_world(w);
      for (w.month = 0; w.month < p.run_months; ++w.month) kube::step(w);
      for (const auto& g : w.groups) {
        if (g.funded < 0) continue;
        ++funded;
        split_at_once += g.cause == kube::Cause::GrantSplit && g.failed == g.funded;
      }
    }
    return static_cast<double>(split_at_once) / funded;
  };
  const double small = split_share("1000000"), large = split_share("4000000");
  MESSAGE("split at disbursement: Rp 1 million " << small << ", Rp 4 million " << large);
  // 480 groups each: a binomial standard error below 0.025 per share; 4 of them apart.
  CHECK(large - small > 4 * std::sqrt(small * (1 - small) / 480 + large * (1 - large) / 480));
}
