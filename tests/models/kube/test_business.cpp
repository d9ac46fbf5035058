#include <doctest/doctest.h>

#include <vector>

#include "models/kube/formation.h"
#include "world.h"

TEST_CASE("one month of business: profit goes to capital, IKS and payouts, losses come out of capital") {
  const auto p = test::small("run.months = 30\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  int active = 0, paid = 0;
  for (w.month = 0; w.month < 30; ++w.month) {
    // The phases of the step (model.cpp) before the business.
    kube::form_cohort(w);
    kube::provincial_queue(w);
    kube::grant_labels_and_permits(w);
    kube::raise_needs(w);
    kube::mentor_visits(w);
    kube::socialize(w);
    kube::disburse(w);
    const auto before = w.groups;
    const auto cash = w.hh.program_cash;
    kube::run_businesses(w);
    for (std::size_t i = 0; i < w.groups.size(); ++i) {
      const auto &g = w.groups[i], &b = before[i];
      if (g.stage != kube::Stage::Active) {
        // Only active groups do business.
        REQUIRE(g.capital == b.capital);
        REQUIRE(g.profit == b.profit);
        continue;
      }
      ++active;
      REQUIRE(g.contributors <= g.members);
      REQUIRE(g.members <= g.size_formed);
      const double profit = g.profit - b.profit;
      const double scale = b.capital + 1;
      CHECK(profit == doctest::Approx((g.capital - b.capital) + (g.iks_in - b.iks_in) + (g.payouts - b.payouts) +
                                      (g.losses - b.losses))
                          .scale(scale));
      CHECK(g.iks - b.iks == doctest::Approx(g.iks_in - b.iks_in).scale(scale));
      if (profit > 0) {
        CHECK(g.iks_in - b.iks_in == doctest::Approx(p.business_iks_share * profit).scale(scale));
        CHECK(g.payouts - b.payouts ==
              doctest::Approx((1 - p.business_iks_share - p.business_reinvest_share) * profit).scale(scale));
        // What the members receive adds up to the payout (float cash, so a relative tolerance).
        double received = 0;
        kube::for_each_member(w, g, [&](std::uint32_t h) { received += w.hh.program_cash[h] - cash[h]; });
        CHECK(received == doctest::Approx(g.payouts - b.payouts).epsilon(1e-5));
        ++paid;
      } else {
        CHECK(g.payouts == b.payouts);
        CHECK(g.payout_per_member == 0.0);
      }
      CHECK(g.losses >= b.losses);
    }
    // The rest of the month, so groups age and fail as they would.
    kube::governance(w);
    kube::run_households(w);
    kube::update_membership(w);
    kube::update_cohesion(w);
    kube::update_status(w);
  }
  CHECK(active > 50);
  CHECK(paid > 0);
}

TEST_CASE("zero disease and disaster probabilities destroy no capital and cause no catastrophe") {
  const auto p = test::scenario("kota-batu", "[business]\ndisease_prob = 0\ndisaster_prob = 0\n");
  test::simulate(p, 1, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      REQUIRE(g.losses == 0.0);
      REQUIRE_FALSE(g.catastrophe);
      REQUIRE(g.cause != kube::Cause::Catastrophe);
    }
  });
}

TEST_CASE("disease hits only livestock groups") {
  const auto p = test::small(
      "run.months = 36\nbusiness.disaster_prob = 0\nbusiness.disease_prob = 0.3\n"
      "business.mix_food = 0\nbusiness.mix_services = 0\nbusiness.mix_crafts = 0\n");
  int livestock = 0, hit = 0;
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    livestock = hit = 0;
    for (const auto& g : w.groups) {
      if (g.type != kube::BusinessType::Livestock) {
        REQUIRE(g.losses == 0.0);
        continue;
      }
      ++livestock;
      hit += g.losses > 0;
    }
  });
  REQUIRE(livestock > 0);
  CHECK(hit > 0);
}

TEST_CASE("a village disaster that destroys more than the catastrophe share marks the group") {
  const auto p = test::small(
      "business.disaster_prob = 1\nbusiness.loss_min = 0.7\nbusiness.loss_max = 0.7\n"
      "business.catastrophe_share = 0.6\nsplit.base = -20\n");
  auto w = test::stepped(p, 3);  // the first cohort is funded in month 3
  w.month = 3;
  kube::disburse(w);
  kube::run_businesses(w);
  int hit = 0;
  for (std::size_t i = 0; i < w.groups.size(); ++i) {
    const auto& g = w.groups[i];
    if (g.stage != kube::Stage::Active) continue;
    ++hit;
    CHECK(g.catastrophe);
    CHECK(g.losses > 0.0);
    // What is left is 30% of the capital after the month's profit or loss.
    CHECK(g.losses == doctest::Approx(0.7 / 0.3 * g.capital));
  }
  CHECK(hit > 0);
}
