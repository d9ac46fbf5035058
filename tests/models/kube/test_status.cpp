#include <doctest/doctest.h>

#include <algorithm>

#include <map>
#include <numeric>

#include "world.h"

TEST_CASE("stages move only forward: preparing, active, inactive; a cause comes with the end") {
  const auto p = test::small("run.months = 48\n");
  for (std::uint64_t rep = 0; rep < 3; ++rep) {
    std::map<std::uint32_t, kube::Stage> last;
    test::simulate(p, rep, [&](const kube::World& w, const kube::HouseholdTotals&) {
      int inactive = 0;
      for (const auto& g : w.groups) {
        if (auto it = last.find(g.id); it != last.end())
          REQUIRE(static_cast<int>(g.stage) >= static_cast<int>(it->second));
        else
          REQUIRE(g.stage == kube::Stage::Preparing);  // a new group starts in preparation
        last[g.id] = g.stage;
        switch (g.stage) {
          case kube::Stage::Preparing:
            REQUIRE(g.funded < 0);
            REQUIRE(g.cause == kube::Cause::None);
            break;
          case kube::Stage::Active:
            REQUIRE(g.funded >= 0);
            REQUIRE(g.failed < 0);
            REQUIRE(g.cause == kube::Cause::None);
            break;
          case kube::Stage::Inactive:
            ++inactive;
            REQUIRE(g.funded >= 0);
            REQUIRE(g.failed >= g.funded);
            REQUIRE(g.cause != kube::Cause::None);
            REQUIRE(g.members == 0);
            break;
        }
      }
      REQUIRE(std::accumulate(w.failures.begin(), w.failures.end(), 0) == inactive);
    });
  }
}

TEST_CASE("end_group releases every member and counts the cause") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 6);
  auto it = std::find_if(w.groups.begin(), w.groups.end(),
                         [](const kube::Group& x) { return x.stage == kube::Stage::Active; });
  REQUIRE(it != w.groups.end());
  auto& g = *it;
  std::vector<std::uint32_t> who;
  kube::for_each_member(w, g, [&](std::uint32_t h) { who.push_back(h); });
  kube::end_group(w, g, kube::Cause::BusinessLosses);
  CHECK(g.stage == kube::Stage::Inactive);
  CHECK(g.cause == kube::Cause::BusinessLosses);
  CHECK(g.failed == w.month);
  CHECK(g.members == 0);
  CHECK(w.failures[static_cast<std::size_t>(kube::Cause::BusinessLosses)] == 1);
  for (auto h : who) {
    CHECK(w.hh.group[h] == -1);
    CHECK(static_cast<kube::Role>(w.hh.role[h]) == kube::Role::None);
  }
}

TEST_CASE("the first condition met gives the cause") {
  // Twelve groups, and nothing random ends one before the test sets its condition.
  const auto p = test::small(
      "program.groups_per_cohort = 12\nsplit.base = -20\nsplit.crisis_scale = 0\nstatus.floor_months = 2\n"
      "cohesion.conflict_rate = 0\nmembership.exit_rate = 0\nbusiness.disease_prob = 0\nbusiness.disaster_prob = 0\n"
      "governance.capture_prob = 0\n");
  auto w = test::stepped(p, 6);
  std::vector<kube::Group*> active;
  for (auto& g : w.groups)
    if (g.stage == kube::Stage::Active) active.push_back(&g);
  REQUIRE(active.size() >= 5);
  auto healthy = [&](kube::Group& g) {
    g.catastrophe = false;
    g.capital = g.grant_in;
    g.low_capital_months = g.low_contrib_months = 0;
    g.contributors = g.members;
    g.cohesion = 0.9f;
  };
  for (auto* g : active) healthy(*g);
  // A catastrophe before anything else, even with low cohesion.
  active[0]->catastrophe = true;
  active[0]->cohesion = 0;
  // Capital below the floor for the second month running.
  active[1]->capital = 0;
  active[1]->low_capital_months = 1;
  // Too few members.
  std::vector<std::uint32_t> leaving;
  kube::for_each_member(w, *active[2], [&](std::uint32_t h) { leaving.push_back(h); });
  for (std::size_t i = 0; active[2]->members >= p.status_min_members; ++i)
    kube::remove_member(w, *active[2], leaving[i]);
  // Cohesion below its floor.
  active[3]->cohesion = 0.0f;
  // Capital low for the first month only: still running.
  active[4]->capital = 0;
  kube::update_status(w);
  CHECK(active[0]->cause == kube::Cause::Catastrophe);
  CHECK(active[1]->cause == kube::Cause::BusinessLosses);
  CHECK(active[2]->cause == kube::Cause::MemberWithdrawal);
  CHECK(active[3]->cause == kube::Cause::Conflict);
  CHECK(active[4]->stage == kube::Stage::Active);
  CHECK(active[4]->low_capital_months == 1);
  for (std::size_t i = 5; i < active.size(); ++i) CHECK(active[i]->stage == kube::Stage::Active);
}

TEST_CASE("a group funded this month cannot fail in it") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 3);
  w.month = 3;
  kube::disburse(w);
  for (auto& g : w.groups) g.catastrophe = true;
  kube::update_status(w);
  for (const auto& g : w.groups)
    if (g.funded == 3) CHECK(g.stage == kube::Stage::Active);
}
