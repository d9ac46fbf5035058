#include <doctest/doctest.h>

#include "world.h"

TEST_CASE("a zero capture probability gives no capture") {
  const auto p = test::small("run.months = 36\ngovernance.capture_prob = 0\n");
  test::simulate(p, 1, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      REQUIRE(g.captured == 0.0);
      REQUIRE_FALSE(g.capture_hidden);
    }
    REQUIRE(w.captured_total == 0.0);
  });
}

TEST_CASE("a capture diverts the set share of the capital, hidden until discovered") {
  const auto p = test::small(
      "governance.capture_prob = 1\ngovernance.capture_share = 0.25\n"
      "governance.detection_prob = 0\nsplit.base = -20\n");
  auto w = test::stepped(p, 5);
  int captured = 0;
  for (auto& g : w.groups) g.bookkeeping = 0, g.deter_until = -1;
  const auto before = w.groups;
  const double total = w.captured_total;
  kube::governance(w);
  double taken = 0;
  for (std::size_t i = 0; i < w.groups.size(); ++i) {
    const auto &g = w.groups[i], &b = before[i];
    if (g.stage != kube::Stage::Active || b.capital <= 0) {
      CHECK(g.captured == b.captured);
      continue;
    }
    ++captured;
    CHECK(g.captured - b.captured == doctest::Approx(0.25 * b.capital));
    CHECK(g.capital == doctest::Approx(0.75 * b.capital));
    CHECK(g.capture_hidden);
    taken += g.captured - b.captured;
  }
  CHECK(captured > 0);
  CHECK(w.captured_total - total == doctest::Approx(taken));
}

TEST_CASE("perfect books and a deterring visit both lower capture") {
  // With perfect books the probability is zero; a deterrence of 1 under a visit too.
  for (const char* extra :
       {"governance.capture_prob = 1\n", "governance.capture_prob = 1\ngovernance.deterrence = 1\n"}) {
    const auto p = test::small(std::string(extra) + "split.base = -20\n");
    auto w = test::stepped(p, 5);
    const bool books = std::string(extra).find("deterrence") == std::string::npos;
    for (auto& g : w.groups) {
      g.bookkeeping = books ? 1.0f : 0.0f;
      g.deter_until = books ? -1 : w.month;
    }
    const auto before = w.groups;
    kube::governance(w);
    for (std::size_t i = 0; i < w.groups.size(); ++i) CHECK(w.groups[i].captured == before[i].captured);
  }
}

TEST_CASE("discovering a capture costs cohesion, never below zero") {
  const auto p = test::small("cohesion.capture_loss = 0.3\n");
  auto w = test::stepped(p, 5);
  REQUIRE(w.groups.size() >= 2);
  auto& a = w.groups[0];
  auto& b = w.groups[1];
  a.capture_hidden = b.capture_hidden = true;
  a.cohesion = 0.5f;
  b.cohesion = 0.1f;
  kube::discover_capture(w, a);
  kube::discover_capture(w, b);
  CHECK_FALSE(a.capture_hidden);
  CHECK_FALSE(b.capture_hidden);
  CHECK(a.cohesion == doctest::Approx(0.2));
  CHECK(b.cohesion == 0.0f);
}
