#include <doctest/doctest.h>

#include <cmath>

#include "world.h"

TEST_CASE("motivation stays within [0, 1] and members within the group's size") {
  const auto p = test::small("run.months = 36\nmembership.exit_rate = 0.5\n");
  test::simulate(p, 3, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (float m : w.hh.motivation) {
      REQUIRE(m >= 0.0f);
      REQUIRE(m <= 1.0f);
    }
    for (const auto& g : w.groups) {
      int n = 0;
      kube::for_each_member(w, g, [&](std::uint32_t) { ++n; });
      REQUIRE(n == g.members);
      REQUIRE(g.members <= g.size_formed);
      REQUIRE(g.size_formed >= 5);
      REQUIRE(g.size_formed <= 20);
    }
  });
}

TEST_CASE("remove_member takes the household out of its group and its role") {
  const auto p = test::small();
  auto w = test::stepped(p, 2);
  REQUIRE(!w.groups.empty());
  auto& g = w.groups[0];
  const auto h = w.members[g.member_begin];  // the chair, chosen first
  REQUIRE(w.hh.group[h] == static_cast<std::int32_t>(g.id));
  const int members = g.members;
  kube::remove_member(w, g, h);
  CHECK(w.hh.group[h] == -1);
  CHECK(static_cast<kube::Role>(w.hh.role[h]) == kube::Role::None);
  CHECK(g.members == members - 1);
  // The household stays a recipient: it had the grant.
  CHECK((w.hh.flags[h] & kube::H_RECIPIENT));
  kube::for_each_member(w, g, [&](std::uint32_t x) { CHECK(x != h); });
}

TEST_CASE("without an exit rate nobody leaves through motivation") {
  const auto p = test::small("membership.exit_rate = 0\nsplit.base = -20\n");
  auto w = test::stepped(p, 6);
  for (auto& m : w.hh.motivation) m = 0;
  const auto before = w.groups;
  kube::update_membership(w);
  for (std::size_t i = 0; i < w.groups.size(); ++i) CHECK(w.groups[i].members == before[i].members);
}

TEST_CASE("members whose motivation is gone leave at the full exit rate") {
  const auto p = test::small(
      "membership.exit_rate = 1\nmembership.motivation_rate = 0\nmembership.peer_rate = 0\n"
      "membership.unmet_penalty = 0\nsplit.base = -20\n");
  auto w = test::stepped(p, 6);
  for (auto& m : w.hh.motivation) m = 0;
  kube::update_membership(w);
  int active = 0;
  for (const auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    ++active;
    CHECK(g.members == 0);
  }
  CHECK(active > 0);
}

TEST_CASE("expectations move toward what the group pays") {
  const auto p = test::small("membership.expectation_rate = 0.25\nsplit.base = -20\n");
  auto w = test::stepped(p, 6);
  std::vector<double> gap_before(w.hh.count(), -1);
  for (auto& g : w.groups) {
    if (g.stage != kube::Stage::Active) continue;
    g.payout_per_member = 40000;
    kube::for_each_member(w, g, [&](std::uint32_t h) { gap_before[h] = w.hh.expectation[h] - 40000.0; });
  }
  kube::update_membership(w);
  int checked = 0;
  for (std::size_t h = 0; h < w.hh.count(); ++h) {
    if (gap_before[h] < -0.5) continue;
    if (w.hh.group[h] < 0) continue;
    CHECK(w.hh.expectation[h] - 40000.0 == doctest::Approx(0.75 * gap_before[h]).epsilon(1e-4));
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("expectations adapt: a group that keeps paying keeps its contributors") {
  // Nothing random ends or drains the business: payouts stay positive every month.
  const auto p =
      test::scenario("kota-batu",
                     "[run]\nmonths = 72\n[business]\ndisease_prob = 0\ndisaster_prob = 0\nvillage_shock_prob = 0\n"
                     "shock_sd_livestock = 0\nshock_sd_food = 0\nshock_sd_trade = 0\nshock_sd_services = 0\n"
                     "shock_sd_crafts = 0\n[governance]\ncapture_prob = 0\n[household]\nshock_prob = 0\n"
                     "[split]\nbase = -20\n[membership]\nexit_rate = 0\n[cohesion]\nconflict_rate = 0\n");
  double gap_early = 0, gap_late = 0;
  int n_early = 0, n_late = 0, contrib24 = 0, contrib72 = 0;
  // Mean motivation of the first cohort's members in years 2, 4 and 6, over 4 replicates.
  double mot[3] = {0, 0, 0};
  int members[3] = {0, 0, 0};
  for (std::uint64_t rep = 0; rep < 4; ++rep)
    test::simulate(p, rep, [&](const kube::World& w, const kube::HouseholdTotals&) {
      const int at = w.month == 24 ? 0 : w.month == 48 ? 1 : w.month == 71 ? 2 : -1;
      for (const auto& g : w.groups) {
        if (g.stage != kube::Stage::Active || g.funded < 0) continue;
        const int age = w.month - g.funded;
        kube::for_each_member(w, g, [&](std::uint32_t h) {
          const double gap = std::fabs(w.hh.expectation[h] - g.payout_per_member);
          if (rep == 0 && age == 1) gap_early += gap, ++n_early;
          if (rep == 0 && age == 30) gap_late += gap, ++n_late;
          if (g.cohort == 0 && at >= 0) mot[at] += w.hh.motivation[h], ++members[at];
        });
        if (rep == 0 && g.cohort == 0 && w.month == 24) contrib24 += g.contributors;
        if (rep == 0 && g.cohort == 0 && w.month == 71) contrib72 += g.contributors;
      }
    });
  REQUIRE(n_early > 0);
  REQUIRE(n_late > 0);
  // Expectations close most of the gap to what the group pays.
  CHECK(gap_late / n_late < 0.2 * gap_early / n_early);
  for (int k = 0; k < 3; ++k) REQUIRE(members[k] > 0);
  const double m24 = mot[0] / members[0], m48 = mot[1] / members[1], m72 = mot[2] / members[2];
  MESSAGE("mean motivation, first cohort: month 24 " << m24 << ", 48 " << m48 << ", 72 " << m72);
  // Motivation has an equilibrium: no drift down from year 2 (fixed expectations drove it
  // down without end), and in the last two years it moves less than in the two before.
  CHECK(m72 >= 0.95 * m24);
  CHECK(std::fabs(m72 - m48) < std::fabs(m48 - m24) + 0.01 * m48);
  CHECK(std::fabs(m72 - m48) / m48 < 0.05);
  // Contributors do not drift away either (fixed expectations lost over half of them).
  REQUIRE(contrib24 > 0);
  CHECK(contrib72 >= 0.95 * contrib24);
}
