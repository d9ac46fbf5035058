#include <doctest/doctest.h>

#include <algorithm>

#include "world.h"

TEST_CASE("the office's count of active groups never falls below the true count") {
  // The office learns of a failure only by observing it: it can only over-count.
  const auto p = test::small("run.months = 48\n");
  int over = 0;
  test::simulate(p, 1, [&](kube::World& w, const kube::HouseholdTotals&) {
    int active = 0;
    for (const auto& g : w.groups) active += g.stage == kube::Stage::Active;
    const int counted = kube::office_active_count(w);
    REQUIRE(counted >= active);
    over += counted > active;
    if ((w.month + 1) % 12 == 0) {
      const int year = w.month / 12;
      kube::yearly_report(w, year);
      const auto& y = w.years[static_cast<std::size_t>(year)];
      REQUIRE(y.report_error == counted - active);
      REQUIRE(y.report_error >= 0);
      if (active > 0) REQUIRE(y.report_error_rel == doctest::Approx(static_cast<double>(counted - active) / active));
    }
  });
  MESSAGE(over << " months with groups the office thinks active after they failed");
}

TEST_CASE("an observation records the month and whether the group still runs") {
  const auto p = test::small("split.base = -20\n");
  auto w = test::stepped(p, 6);
  auto it = std::find_if(w.groups.begin(), w.groups.end(),
                         [](const kube::Group& x) { return x.stage == kube::Stage::Active; });
  REQUIRE(it != w.groups.end());
  auto& g = *it;
  const int before = kube::office_active_count(w);
  kube::observe(w, g);
  CHECK(g.office_seen == w.month);
  CHECK(g.office_seen_active == (g.stage != kube::Stage::Inactive));
  kube::end_group(w, g, kube::Cause::Conflict);
  // Not yet seen gone: still counted.
  CHECK(kube::office_active_count(w) == before);
  kube::observe(w, g);
  CHECK_FALSE(g.office_seen_active);
  CHECK(kube::office_active_count(w) == before - 1);
}

TEST_CASE("the yearly report is late without recent observations and on time with them") {
  const auto p = test::small("split.base = -20\nmonitoring.interval = 100\n");
  auto w = test::stepped(p, 12);
  w.month = 11;
  for (auto& g : w.groups) g.office_seen = -1;
  kube::yearly_report(w, 0);
  CHECK(w.years[0].reports_on_time == 0);
  for (auto& g : w.groups) kube::observe(w, g);
  kube::yearly_report(w, 0);
  CHECK(w.years[0].reports_on_time == 1);
}

TEST_CASE("groups the office knows are gone do not make the yearly report late") {
  // Every grant is shared out at disbursement, and the mentor sees it at the next visit.
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 36\n[program]\ncohorts = 1\n[split]\nbase = 20\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  for (w.month = 0; w.month < p.run_months; ++w.month) {
    kube::step(w);
    if ((w.month + 1) % 12 == 0) kube::yearly_report(w, w.month / 12);
  }
  for (const auto& g : w.groups) REQUIRE(g.cause == kube::Cause::GrantSplit);
  // Year 1: the office saw them all gone; years 2 and 3 have nothing left to report on.
  for (int y = 1; y < 3; ++y) CHECK(w.years[static_cast<std::size_t>(y)].reports_on_time == 1);
}
