#include <doctest/doctest.h>

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
