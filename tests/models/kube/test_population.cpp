#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "models/kube/population.h"
// After the graph types it needs.
#include <boost/graph/small_world_generator.hpp>

#include "sim/error.h"
#include "world.h"

TEST_CASE("the network is undirected, within its strengths, with about the set ties per household") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 2\n");
  kube::World w(p, 1, 0);
  kube::init_world(w);
  CHECK(w.hh.count() == 24 * 150);
  std::size_t edges = 0;
  for (std::uint32_t h = 0; h < w.hh.count(); ++h)
    kube::for_each_tie(w, h, [&](std::uint32_t nb, float s) {
      ++edges;
      REQUIRE(nb != h);
      bool back = false;
      kube::for_each_tie(w, nb, [&](std::uint32_t x, float t) { back |= x == h && t == s; });
      REQUIRE(back);
      REQUIRE(s > 0.0f);
      REQUIRE(s <= 1.0f);
    });
  CHECK(edges >= w.hh.count() * 4);
  CHECK(edges == boost::num_edges(w.net));
  // Each household's ties in the canonical order: by neighbour, then strength.
  for (std::uint32_t h = 0; h < w.hh.count(); ++h) {
    std::vector<std::pair<std::uint32_t, float>> row;
    kube::for_each_tie(w, h, [&](std::uint32_t nb, float s) { row.emplace_back(nb, s); });
    REQUIRE(std::is_sorted(row.begin(), row.end()));
  }
}

TEST_CASE("villages partition the households, and every trait is within its range") {
  const auto p = test::small(
      "population.villages = 7\npopulation.households_per_village = 30\n"
      "population.villages_per_district = 3\n");
  kube::World w(p, 4, 2);
  kube::init_world(w);
  REQUIRE(w.villages.size() == 7);
  CHECK(w.districts.size() == 3);
  CHECK(w.hh.count() == 7 * 30);
  std::uint32_t next = 0;
  for (std::uint32_t v = 0; v < w.villages.size(); ++v) {
    const auto& vil = w.villages[v];
    CHECK(vil.first == next);
    CHECK(vil.count == 30);
    CHECK(vil.district_id == v / 3);
    CHECK(vil.district == w.districts[vil.district_id]);
    for (auto h = vil.first; h < vil.first + vil.count; ++h) CHECK(kube::village_of(w, h) == v);
    next += vil.count;
  }
  for (std::size_t h = 0; h < w.hh.count(); ++h) {
    CHECK(w.hh.size[h] >= 1);
    CHECK(w.hh.size[h] <= p.population_household_size_max);
    CHECK(w.hh.base_income[h] > 0.0f);
    CHECK(w.hh.savings[h] >= 0.0f);
    CHECK(w.hh.savings[h] <= p.household_initial_savings_max * w.hh.base_income[h] * (1 + 1e-6));
    for (float x : {w.hh.skill[h], w.hh.understanding[h], w.hh.motivation[h]}) {
      CHECK(x >= 0.0f);
      CHECK(x <= 1.0f);
    }
    CHECK(w.hh.group[h] == -1);
    CHECK((w.hh.flags[h] & ~kube::H_ELIGIBLE) == 0);
  }
}

TEST_CASE("the eligible share and mean traits match their parameters (4 standard errors, fixed seed)") {
  const auto p = test::small(
      "population.villages = 20\npopulation.households_per_village = 200\n"
      "population.eligible_share = 0.7\npopulation.skill_mean = 0.4\n");
  kube::World w(p, 9, 0);
  kube::init_world(w);
  const double n = static_cast<double>(w.hh.count());
  double eligible = 0, skill = 0;
  for (std::size_t h = 0; h < w.hh.count(); ++h) {
    eligible += (w.hh.flags[h] & kube::H_ELIGIBLE) ? 1 : 0;
    skill += w.hh.skill[h];
  }
  CHECK(std::fabs(eligible / n - 0.7) < 4 * std::sqrt(0.7 * 0.3 / n));
  // Beta with mean 0.4 and concentration 8: variance 0.24 / 9.
  CHECK(std::fabs(skill / n - 0.4) < 4 * std::sqrt(0.24 / 9 / n));
}

TEST_CASE("the same replicate gives the same households and ties whatever the program does") {
  const auto a = test::small(), b = test::small("program.enabled = false\ntraining.hours = 40\n");
  kube::World x(a, 11, 3), y(b, 11, 3), z(a, 11, 4);
  for (auto* w : {&x, &y, &z}) kube::init_world(*w);
  CHECK(x.hh.base_income == y.hh.base_income);
  CHECK(x.hh.skill == y.hh.skill);
  CHECK(x.hh.flags == y.hh.flags);
  CHECK(boost::num_edges(x.net) == boost::num_edges(y.net));
  CHECK(x.hh.base_income != z.hh.base_income);
}

TEST_CASE("a population too large for one run is refused with the parameters to lower") {
  const auto p = test::small();
  CHECK(kube::check_population_size(p, 4) == 4 * 80);
  try {
    kube::check_population_size(p, 100'000'000);
    FAIL("no error");
  } catch (const sim::InputError& e) {
    const std::string msg = e.what();
    CHECK(msg.find("population.households_per_village") != std::string::npos);
    CHECK(msg.find("100000000 villages") != std::string::npos);
  }
}

TEST_CASE("a village file is read in order, and a missing or malformed one is an input error") {
  const auto dir = std::filesystem::temp_directory_path() / "berdaya-tests-villages";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "good.csv")
      << "kecamatan,village,kind\nBatu,Sisir,kelurahan\nBatu,Ngaglik,kelurahan\n\nBumiaji,Giripurno,desa\n";
  std::ofstream(dir / "bad.csv") << "district,name\nBatu,Sisir\n";
  auto with_file = [&](const std::string& file) {
    kube::World w(test::scenario("kota-batu", "population.village_file = \"" + (dir / file).string() + "\"\n"), 1, 0);
    return w;
  };
  auto w = with_file("good.csv");
  kube::build_villages(w);
  REQUIRE(w.villages.size() == 3);
  CHECK(w.villages[1].name == "Ngaglik");
  CHECK(w.villages[2].district == "Bumiaji");
  CHECK(w.districts.size() == 2);
  auto bad = with_file("bad.csv");
  CHECK_THROWS_WITH_AS(kube::build_villages(bad), doctest::Contains("The columns are kecamatan, village"),
                       sim::InputError);
  auto missing = with_file("missing.csv");
  CHECK_THROWS_WITH_AS(kube::build_villages(missing), doctest::Contains("not found"), sim::InputError);
}

TEST_CASE("small_world_ties gives Boost.Graph's small-world ties and draws, with draws between ties") {
  using It = boost::small_world_iterator<sim::Stream, kube::Network>;
  for (std::uint32_t n : {3u, 4u, 7u, 50u, 139u, 1000u})
    for (std::uint32_t k : {2u, 4u, 6u, 10u})
      for (double rewire : {0.0, 0.1, 0.5, 1.0}) {
        if (k + 2 > n) continue;
        for (std::uint64_t seed = 0; seed < 20; ++seed) {
          CAPTURE(n);
          CAPTURE(k);
          CAPTURE(rewire);
          // A draw after each tie, as the network's strength is drawn.
          std::vector<std::pair<std::uint32_t, std::uint32_t>> want, got;
          std::vector<double> want_u, got_u;
          sim::Stream a(seed * 7919 + n), b(seed * 7919 + n);
          for (It it(a, n, k, rewire), end; it != end; ++it) {
            want.emplace_back(it->first, it->second);
            want_u.push_back(a.uniform());
          }
          kube::small_world_ties(b, n, k, rewire, [&](std::uint32_t i, std::uint32_t j) {
            got.emplace_back(i, j);
            got_u.push_back(b.uniform());
          });
          REQUIRE(got == want);
          CHECK(got_u == want_u);
          CHECK(a.counter() == b.counter());
        }
      }
}
