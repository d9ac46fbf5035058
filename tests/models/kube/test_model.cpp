#include <doctest/doctest.h>

#include <set>
#include <string>

#include "world.h"

namespace {
std::size_t series_index(const std::string& name) {
  const auto& s = kube::schema().series;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i].name == name) return i;
  FAIL("no series " << name);
  return 0;
}
}  // namespace

TEST_CASE("money is conserved between capital, payouts, IKS, capture, withdrawals and splits") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 48\n[program]\nleakage = 0.1\n");
  int checked = 0;
  for (std::uint64_t rep = 0; rep < 5; ++rep)
    test::simulate(p, rep, [&](const kube::World& w, const kube::HouseholdTotals&) {
      for (const auto& g : w.groups) {
        if (g.funded < 0) continue;
        const double in = g.grant_in - g.leakage + g.equipment_in + g.profit;
        const double out = g.capital + g.iks_in + g.payouts + g.losses + g.captured + g.withdrawals + g.split_paid;
        REQUIRE(in == doctest::Approx(out).epsilon(1e-9).scale(g.grant_in));
        REQUIRE(g.iks == doctest::Approx(g.iks_in - g.iks_out).scale(g.grant_in));
        REQUIRE(g.leakage == doctest::Approx(0.1 * g.grant_in));
        ++checked;
      }
    });
  CHECK(checked > 1000);
}

TEST_CASE("no program: no groups, no cost, income equals its counterfactual") {
  const auto p = test::scenario("kota-batu", "[program]\nenabled = false\n");
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals& t) {
    REQUIRE(w.groups.empty());
    for (double c : w.cost) REQUIRE(c == 0.0);
    REQUIRE(t.income_pool == t.income_pool_cf);
  });
}

TEST_CASE("common random numbers: the in-run counterfactual equals a no-program run") {
  const auto with = test::scenario("kota-batu", "[run]\nmonths = 36\n");
  const auto without = test::scenario("kota-batu", "[run]\nmonths = 36\n[program]\nenabled = false\n");
  const auto a = kube::run(with, 11, 2), b = kube::run(without, 11, 2);
  for (int m = 0; m < 36; ++m) {
    CHECK(a.series[series_index("income_pool_cf") * 36 + static_cast<std::size_t>(m)] ==
          b.series[series_index("income_pool") * 36 + static_cast<std::size_t>(m)]);
    CHECK(a.series[series_index("poverty_pool_cf") * 36 + static_cast<std::size_t>(m)] ==
          b.series[series_index("poverty_pool") * 36 + static_cast<std::size_t>(m)]);
  }
  // The program adds money to recipients in some month.
  double gain = 0;
  for (std::size_t m = 0; m < 36; ++m)
    gain += a.series[series_index("income_pool") * 36 + m] - a.series[series_index("income_pool_cf") * 36 + m];
  CHECK(gain > 0);
}

TEST_CASE("the same seed and replicate give the same run; another seed or replicate another") {
  const auto p = test::small();
  const auto a = kube::run(p, 5, 0), b = kube::run(p, 5, 0), c = kube::run(p, 6, 0), d = kube::run(p, 5, 1);
  CHECK(test::same_bits(a.series, b.series));
  CHECK(test::same_bits(a.yearly, b.yearly));
  CHECK(a.table == b.table);
  CHECK_FALSE(test::same_bits(a.series, c.series));
  CHECK_FALSE(test::same_bits(a.series, d.series));
}

TEST_CASE("a run's record has the schema's shape, one table row per group") {
  const auto p = test::small("run.months = 30\n");
  const auto r = kube::run(p, 3, 0);
  const auto& s = kube::schema();
  CHECK(r.months == 30);
  CHECK(r.years == 3);
  CHECK(r.error.empty());
  CHECK(r.series.size() == s.series.size() * 30);
  CHECK(r.yearly.size() == s.yearly.size() * 3);
  REQUIRE(r.table.size() == s.table.size());
  for (const auto& col : r.table) CHECK(col.size() == 12);  // two cohorts of six groups
  for (const auto* cols : {&s.series, &s.yearly, &s.table}) {
    std::set<std::string> names;  // unique within each part of the file
    for (const auto& c : *cols) {
      CHECK(!c.name.empty());
      CHECK(names.insert(c.name).second);
    }
  }
}

TEST_CASE("step_and_record records every month and closes each year, including a partial last one") {
  const auto p = test::small("run.months = 18\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  CHECK(w.years.size() == 2);
  sim::RunRecord r;
  r.resize(kube::schema(), 18);
  // Unrecorded cells are marked so a month or year left out shows.
  for (auto& x : r.series) x = -12345.0;
  for (auto& x : r.yearly) x = -12345.0;
  for (w.month = 0; w.month < 18; ++w.month) kube::step_and_record(w, r);
  const auto pool = series_index("income_pool");
  for (int m = 0; m < 18; ++m) CHECK(r.at(pool, m) > 0);
  for (int y = 0; y < 2; ++y) {
    int written = 0;
    for (std::size_t i = 0; i < kube::schema().yearly.size(); ++i) written += r.year_at(i, y) != -12345.0;
    CHECK(written > 0);
  }
}

TEST_CASE("labels name every cause, business type, cost category and village") {
  const auto p = test::small("population.villages = 5\n");
  auto l = kube::labels(p);
  REQUIRE(l["causes"].size() == kube::N_CAUSES + 1);
  CHECK(l["causes"][0] == "none");
  CHECK(l["business_types"].size() == kube::N_BUSINESS);
  CHECK(l["cost_categories"].size() == kube::N_COSTS);
  CHECK(l["villages"].size() == 5);
  CHECK(l["village_districts"].size() == 5);
  std::set<std::string> names;
  for (int c = 0; c <= kube::N_CAUSES; ++c) CHECK(names.insert(kube::cause_name(static_cast<kube::Cause>(c))).second);
  for (int b = 0; b < kube::N_BUSINESS; ++b)
    CHECK(names.insert(kube::business_name(static_cast<kube::BusinessType>(b))).second);
  for (int c = 0; c < kube::N_COSTS; ++c) CHECK(names.insert(kube::cost_name(c)).second);
  CHECK(std::string(kube::cost_name(kube::N_COSTS)) == "?");
}

TEST_CASE("every purpose has its own named stream") {
  std::set<std::string> names;
  for (std::uint32_t s = 0; s < kube::N_STREAMS; ++s) {
    const std::string name = kube::stream_name(static_cast<kube::StreamId>(s));
    CHECK_MESSAGE(name != "?", s);
    CHECK_MESSAGE(names.insert(name).second, name);
  }
  // The same key fields under two streams give unrelated numbers: no two purposes share a
  // draw (status and disbursement, once both on one split stream, included).
  const sim::Streams st(20240101, 7);
  std::set<std::uint64_t> first;
  for (std::uint32_t s = 0; s < kube::N_STREAMS; ++s)
    for (int month = 0; month < 24; ++month)
      for (std::uint32_t entity = 0; entity < 50; ++entity) first.insert(st.get(s, month, entity)());
  CHECK(first.size() == static_cast<std::size_t>(kube::N_STREAMS) * 24 * 50);
  CHECK(st.get(kube::STREAM_SPLIT_DISBURSEMENT, 3, 11U)() != st.get(kube::STREAM_SPLIT_CRISIS, 3, 11U)());
}
