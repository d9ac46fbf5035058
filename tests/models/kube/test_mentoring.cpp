#include <doctest/doctest.h>

#include <cmath>

#include "world.h"

TEST_CASE("mentor visits never exceed capacity") {
  const auto p = test::scenario("kota-batu", "[monitoring]\ninterval = 1\n");
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    REQUIRE(w.visits_this_month <= static_cast<int>(w.mentors.size()) * p.mentors_visits_per_month);
    REQUIRE(static_cast<double>(w.mentors.size()) >=
            std::ceil(static_cast<double>(w.groups.size()) / p.mentors_groups_per_mentor - 1e-9));
  });
}

TEST_CASE("visits and mentors are paid for; a visited group is observed by the office") {
  const auto p = test::small("monitoring.interval = 1\nmentors.visits_per_month = 20\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  int visits = 0;
  double mentor_months = 0;
  for (w.month = 0; w.month < p.run_months; ++w.month) {
    kube::step(w);
    visits += w.visits_this_month;
    mentor_months += static_cast<double>(w.mentors.size());
    for (const auto& g : w.groups)
      if (g.last_visit == w.month) REQUIRE(g.office_seen == w.month);
  }
  CHECK(visits > 0);
  CHECK(w.cost[kube::C_VISITS] == doctest::Approx(visits * p.monitoring_cost_per_visit));
  CHECK(w.cost[kube::C_MENTORS] == doctest::Approx(mentor_months * p.mentors_cost_per_month));
}

TEST_CASE("with room for every visit, each group the office knows to be running is seen each month") {
  const auto p = test::small("monitoring.interval = 1\nmentors.visits_per_month = 20\n");
  auto w = test::stepped(p, 8);  // between cohorts: no group is preparing
  const auto before = w.groups;
  kube::mentor_visits(w);
  int gone = 0;
  for (std::size_t i = 0; i < w.groups.size(); ++i) {
    const auto& b = before[i];
    REQUIRE(b.stage != kube::Stage::Preparing);
    // The mentor works from the office's books: a group known to be gone is not visited.
    const bool known_gone = b.office_seen >= 0 && !b.office_seen_active;
    CHECK(w.groups[i].last_visit == (known_gone ? b.last_visit : w.month));
    gone += known_gone;
  }
  MESSAGE(gone << " groups known gone");
}

TEST_CASE("a visit lifts bookkeeping and motivation and deters for the set months") {
  const auto p = test::small(
      "monitoring.interval = 1\nmentors.visits_per_month = 20\nmentors.deterrence_months = 4\n"
      "split.base = -20\n");
  auto w = test::stepped(p, 8);
  for (auto& g : w.groups) g.bookkeeping = 0.5f;
  const auto before = w.groups;
  const auto motivation = w.hh.motivation;
  kube::mentor_visits(w);
  int visited = 0;
  for (std::size_t i = 0; i < w.groups.size(); ++i) {
    const auto& g = w.groups[i];
    if (g.last_visit != w.month || g.stage != kube::Stage::Active) continue;
    ++visited;
    CHECK(g.bookkeeping > 0.5f);
    CHECK(g.bookkeeping <= 1.0f);
    CHECK(g.cohesion >= before[i].cohesion);
    CHECK(g.deter_until == w.month + 4);
    kube::for_each_member(w, g, [&](std::uint32_t h) { CHECK(w.hh.motivation[h] >= motivation[h]); });
  }
  CHECK(visited > 0);
}
