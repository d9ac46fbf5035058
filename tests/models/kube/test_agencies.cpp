#include <doctest/doctest.h>

#include <map>

#include "world.h"

namespace {
bool production(kube::BusinessType t) {
  return t == kube::BusinessType::Food || t == kube::BusinessType::Crafts || t == kube::BusinessType::Livestock;
}
}  // namespace

TEST_CASE("labels go to active production groups and permits to active food groups, within yearly quotas") {
  const auto p = test::small("run.months = 36\nlabels.per_year = 2\npermits.per_year = 1\n");
  std::map<int, int> labels_in_year, permits_in_year;
  std::map<std::uint32_t, bool> had_label, had_permit;
  int labelled = 0;
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    REQUIRE(w.labels_this_year <= p.labels_per_year);
    REQUIRE(w.permits_this_year <= p.permits_per_year);
    for (const auto& g : w.groups) {
      if (g.label && !had_label[g.id]) {
        // Granted this month: only to an active production group.
        REQUIRE(production(g.type));
        REQUIRE(g.funded >= 0);
        REQUIRE(g.funded <= w.month);
        ++labels_in_year[w.month / 12];
        ++labelled;
      }
      if (g.permit && !had_permit[g.id]) {
        REQUIRE(g.type == kube::BusinessType::Food);
        ++permits_in_year[w.month / 12];
      }
      // Once granted, never taken back.
      REQUIRE((g.label || !had_label[g.id]));
      REQUIRE((g.permit || !had_permit[g.id]));
      had_label[g.id] = g.label;
      had_permit[g.id] = g.permit;
      if (g.stage == kube::Stage::Active)
        REQUIRE(g.market_access == doctest::Approx(1.0 + (g.label ? p.business_label_premium : 0.0) +
                                                   (g.permit ? p.business_permit_premium : 0.0)));
    }
    REQUIRE(w.cost[kube::C_LABELS] == doctest::Approx(labelled * p.labels_cost));
  });
  for (const auto& [year, n] : labels_in_year) CHECK(n <= p.labels_per_year);
  for (const auto& [year, n] : permits_in_year) CHECK(n <= p.permits_per_year);
  CHECK(labelled > 0);
}

TEST_CASE("without quotas no group gets a label or a permit, and market access stays 1") {
  const auto p = test::small("labels.per_year = 0\npermits.per_year = 0\n");
  test::simulate(p, 1, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      REQUIRE_FALSE(g.label);
      REQUIRE_FALSE(g.permit);
      REQUIRE(g.market_access == 1.0f);
    }
    REQUIRE(w.cost[kube::C_LABELS] == 0.0);
  });
}

TEST_CASE("the quotas start afresh each year") {
  // One label a year and many production groups waiting: one more label each year.
  const auto p = test::small(
      "run.months = 36\nlabels.per_year = 1\nbusiness.mix_food = 0\nbusiness.mix_trade = 0\n"
      "business.mix_services = 0\nsplit.base = -20\n");
  auto w = test::stepped(p, 12);
  int before = 0;
  for (const auto& g : w.groups) before += g.label;
  CHECK(before == 1);
  w.month = 12;
  kube::grant_labels_and_permits(w);
  int after = 0;
  for (const auto& g : w.groups) after += g.label;
  CHECK(after == 2);
  CHECK(w.labels_this_year == 1);
}
