#include <doctest/doctest.h>

#include <cmath>

#include "helpers.h"
#include "models/kube/metrics.h"
#include "models/kube/model.h"
#include "world.h"

TEST_CASE("cohesion stays within [0, 1] in every group and month") {
  const auto p = test::small("run.months = 36\ncohesion.conflict_rate = 1\n");
  int seen = 0;
  test::simulate(p, 2, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      REQUIRE(g.cohesion >= 0.0f);
      REQUIRE(g.cohesion <= 1.0f);
      ++seen;
    }
  });
  CHECK(seen > 0);
}

TEST_CASE("a fair payout in a group without free riders raises cohesion by the fair gain") {
  const auto p = test::small("cohesion.conflict_rate = 0\nsplit.base = -20\n");
  auto w = test::stepped(p, 5);
  int checked = 0;
  for (auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    g.contributors = g.members;
    g.payout_per_member = 1000;
    g.need_since = -1;
    g.cohesion = 0.5f;
    ++checked;
  }
  REQUIRE(checked > 0);
  kube::update_cohesion(w);
  for (const auto& g : w.groups)
    if (g.stage == kube::Stage::Active) CHECK(g.cohesion == doctest::Approx(0.5 + p.cohesion_fair_gain));
}

TEST_CASE("free riding and long-unmet needs lower cohesion; without conflict nobody leaves") {
  const auto p = test::small("cohesion.conflict_rate = 0\nsplit.base = -20\n");
  auto w = test::stepped(p, 10);
  for (auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    g.contributors = 0;
    g.payout_per_member = 0;
    g.need_since = w.month - static_cast<int>(p.needs_unmet_months) - 1;
    g.cohesion = 0.5f;
  }
  const auto before = w.groups;
  kube::update_cohesion(w);
  for (std::size_t i = 0; i < w.groups.size(); ++i) {
    const auto& g = w.groups[i];
    if (g.stage != kube::Stage::Active) continue;
    REQUIRE(g.members > 0);
    CHECK(g.members == before[i].members);
    CHECK(g.cohesion == doctest::Approx(0.5 - p.cohesion_freeride_loss - p.cohesion_unmet_loss));
  }
}

TEST_CASE("conflict in a broken group costs cohesion and drives members out") {
  const auto p = test::small("cohesion.conflict_rate = 1\ncohesion.conflict_exit = 1\nsplit.base = -20\n");
  auto w = test::stepped(p, 5);
  int broken = 0;
  for (auto& g : w.groups)
    if (g.stage == kube::Stage::Active) g.cohesion = 0.0f, ++broken;
  REQUIRE(broken > 0);
  kube::update_cohesion(w);
  for (const auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    // Cohesion 0 makes conflict certain, and every member leaves.
    CHECK(g.members == 0);
    CHECK(g.cohesion == 0.0f);
    kube::for_each_member(w, g, [&](std::uint32_t) { FAIL("a member stayed"); });
  }
}

TEST_CASE("a group funded this month is left alone") {
  const auto p = test::small("cohesion.conflict_rate = 1\ncohesion.conflict_exit = 1\nsplit.base = -20\n");
  auto w = test::stepped(p, 3);
  w.month = 3;
  kube::disburse(w);
  for (auto& g : w.groups) g.cohesion = 0.0f;
  const auto before = w.groups;
  kube::update_cohesion(w);
  for (std::size_t i = 0; i < w.groups.size(); ++i) CHECK(w.groups[i].members == before[i].members);
}

TEST_CASE("sharing payouts with free riders costs cohesion") {
  // The same replicate under both payout rules: the rule is read in business.cpp and
  // cohesion.cpp, so "all" must change the run, and lower cohesion while groups pay.
  const auto fair = test::scenario("kota-batu", "[run]\nmonths = 36\n");
  const auto unfair = test::scenario("kota-batu", "[run]\nmonths = 36\n[business]\npayout_rule = \"all\"\n");
  double c_fair = 0, c_unfair = 0;
  for (std::uint64_t rep = 0; rep < 4; ++rep) {
    const auto a = kube::run(fair, static_cast<std::uint64_t>(fair.run_seed), rep);
    const auto b = kube::run(unfair, static_cast<std::uint64_t>(unfair.run_seed), rep);
    for (int m = 12; m < 36; ++m) {
      const double x = a.series[kube::M_COHESION * 36 + static_cast<std::size_t>(m)];
      const double y = b.series[kube::M_COHESION * 36 + static_cast<std::size_t>(m)];
      if (std::isfinite(x) && std::isfinite(y)) {
        c_fair += x;
        c_unfair += y;
      }
    }
  }
  CHECK(c_unfair < c_fair);
}
