#include <doctest/doctest.h>

#include "world.h"

TEST_CASE("no attendance leaves understanding unchanged") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 6\n[socialization]\nattendance = 0\nsessions = 3\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  const auto und0 = w.hh.understanding;
  for (w.month = 0; w.month < 6; ++w.month) kube::step(w);
  CHECK(w.hh.understanding == und0);
  // The sessions were held and paid for all the same.
  CHECK(w.cost[kube::C_SOCIALIZATION] == doctest::Approx(3 * 12 * p.socialization_cost_per_session));
}

TEST_CASE("every session a member attends closes the set share of the gap to full understanding") {
  const auto p = test::small(
      "socialization.attendance = 1\nsocialization.sessions = 3\nsocialization.uptake = 0.3\n"
      "program.disbursement_lag = 3\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  const auto und0 = w.hh.understanding;
  // One session a month during the three months of preparation.
  for (w.month = 0; w.month < 3; ++w.month) kube::step(w);
  int members = 0;
  for (const auto& g : w.groups) {
    CHECK(g.sessions_done == 3);
    kube::for_each_member(w, g, [&](std::uint32_t h) {
      const double gap0 = 1.0 - und0[h];
      CHECK(1.0 - w.hh.understanding[h] == doctest::Approx(gap0 * 0.7 * 0.7 * 0.7).epsilon(1e-4));
      ++members;
    });
  }
  CHECK(members == 6 * 10);
  // Households outside the groups hear nothing.
  for (std::size_t h = 0; h < w.hh.count(); ++h)
    if (!(w.hh.flags[h] & kube::H_RECIPIENT)) CHECK(w.hh.understanding[h] == und0[h]);
}

TEST_CASE("sessions left when the money comes are all held before it") {
  const auto p =
      test::small("socialization.attendance = 1\nsocialization.sessions = 5\nprogram.disbursement_lag = 2\n");
  auto w = test::stepped(p, 2);  // months 0 and 1: the last month before disbursement holds the rest
  for (const auto& g : w.groups) CHECK(g.sessions_done == 5);
  CHECK(w.cost[kube::C_SOCIALIZATION] == doctest::Approx(5 * 6 * p.socialization_cost_per_session));
}

TEST_CASE("refreshers follow at the set interval once a group is active") {
  const auto p = test::small("socialization.refresher_interval = 4\nsplit.base = -20\nrun.months = 12\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  double last = 0;
  for (w.month = 0; w.month < 12; ++w.month) {
    kube::step(w);
    const double spent = w.cost[kube::C_SOCIALIZATION] - last;
    last = w.cost[kube::C_SOCIALIZATION];
    int due = 0;
    for (const auto& g : w.groups) {
      // Active when the sessions were held, early in the month (a group may fail later in it).
      const bool active =
          g.funded >= 0 && g.funded < w.month && (g.stage == kube::Stage::Active || g.failed == w.month);
      due += active && (w.month - g.funded) % 4 == 0;
    }
    if (w.month > 3) CHECK(spent == doctest::Approx(due * p.socialization_cost_per_session));
  }
  CHECK(last > 6 * p.socialization_cost_per_session);
}
