#include <doctest/doctest.h>

#include "world.h"

TEST_CASE("needs arise only in active groups without one, at the set probability's extremes") {
  for (double prob : {0.0, 1.0}) {
    const auto p = test::small("needs.prob = " + std::to_string(prob) + "\nsplit.base = -20\n");
    auto w = test::stepped(p, 6);
    for (auto& g : w.groups) g.need_since = -1;
    const int raised = w.year().needs_raised;
    kube::raise_needs(w);
    int active = 0;
    for (const auto& g : w.groups) {
      if (g.stage != kube::Stage::Active) {
        CHECK(g.need_since == -1);
        continue;
      }
      ++active;
      CHECK(g.need_since == (prob > 0 ? w.month : -1));
    }
    CHECK(active > 0);
    CHECK(w.year().needs_raised - raised == (prob > 0 ? active : 0));
  }
}

TEST_CASE("a need is forwarded once") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 6);
  auto& g = w.groups[0];
  g.need_since = 4;
  g.need_forwarded = false;
  std::vector<kube::Proposal> forwarded;
  kube::forward_need(w, g, forwarded);
  kube::forward_need(w, g, forwarded);
  REQUIRE(forwarded.size() == 1);
  CHECK(forwarded.back().group == g.id);
  CHECK(forwarded.back().need_month == 4);
  CHECK(forwarded.back().forwarded_month == w.month);
  g.need_since = -1;
  g.need_forwarded = false;
  kube::forward_need(w, g, forwarded);
  CHECK(forwarded.size() == 1);
}

TEST_CASE("the province decides after its delay, within its yearly capacity, and equipment is booked") {
  const auto p = test::small(
      "run.months = 48\nneeds.prob = 0.5\nprovince.capacity = 3\nprovince.delay = 2\n"
      "province.approval = 1\nsplit.base = -20\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  double equipment = 0;
  for (w.month = 0; w.month < p.run_months; ++w.month) {
    kube::step(w);
    REQUIRE(w.province_decided_this_year <= 3);
    for (const auto& pr : w.province_queue) REQUIRE(pr.forwarded_month >= pr.need_month);
    equipment = 0;
    for (const auto& g : w.groups) equipment += g.equipment_in;
    REQUIRE(w.cost[kube::C_EQUIPMENT] == doctest::Approx(equipment));
  }
  int decided = 0;
  for (const auto& y : w.years) {
    CHECK(y.response_months.size() <= 3);
    for (int m : y.response_months) CHECK(m >= 2);
    decided += static_cast<int>(y.response_months.size());
    CHECK(y.answered_within_3 <= y.needs_raised);
  }
  CHECK(decided > 0);
  CHECK(equipment > 0);
}

TEST_CASE("a need can be answered within the responsiveness target, and more mentors answer sooner") {
  auto within = [](const std::string& extra) {
    const auto p = test::scenario("kota-batu", extra);
    double answered = 0, raised = 0;
    for (std::uint64_t rep = 0; rep < 30; ++rep) {
      kube::World w(p, p.run_seed, rep);
      kube::init_world(w);
      for (w.month = 0; w.month < p.run_months; ++w.month) kube::step(w);
      for (const auto& y : w.years) answered += y.answered_within_3, raised += y.needs_raised;
    }
    return answered / raised;
  };
  const double base = within("");
  CHECK(base > 0.05);
  // More mentors answer sooner where their visits are the bottleneck: with visits every
  // 2 months, 10 groups per mentor need 5 visits a month against a capacity of 3. (At the
  // default 6-month interval capacity does not bind, and the two differ only by noise.)
  const std::string busy = "[monitoring]\ninterval = 2\n";
  const double few = within(busy), more = within(busy + "[mentors]\ngroups_per_mentor = 5\n");
  MESSAGE("answered within 3 months: baseline " << base << "; visits every 2 months: one mentor per 10 groups " << few
                                                << ", per 5 groups " << more);
  CHECK(more > few);
}
