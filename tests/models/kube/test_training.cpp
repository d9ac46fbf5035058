#include <doctest/doctest.h>

#include <cmath>

#include "world.h"

TEST_CASE("no training leaves skill unchanged; training raises every member's in the month of the grant") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 6\n[socialization]\nattendance = 0\nsessions = 3\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  const auto skill0 = w.hh.skill;
  for (w.month = 0; w.month < 6; ++w.month) kube::step(w);
  CHECK(w.hh.skill == skill0);
  CHECK(w.cost[kube::C_TRAINING] == 0.0);
  const auto q =
      test::scenario("kota-batu", "[run]\nmonths = 6\n[socialization]\nattendance = 1\n[training]\nhours = 24\n");
  kube::World v(q, q.run_seed, 0);
  kube::init_world(v);
  for (v.month = 0; v.month < 6; ++v.month) kube::step(v);
  int raised = 0, trained = 0;
  for (std::size_t h = 0; h < v.hh.count(); ++h) {
    raised += v.hh.understanding[h] > w.hh.understanding[h];
    trained += v.hh.skill[h] > skill0[h];
  }
  CHECK(raised == 12 * 10);  // every member of the first cohort attended
  CHECK(trained == 12 * 10);
}

TEST_CASE("training closes the same share of every trainee's skill gap, with diminishing returns in hours") {
  auto gain_for = [](double hours) {
    const auto p = test::small("training.hours = " + std::to_string(hours) + "\n");
    auto w = test::stepped(p, 2);
    auto& g = w.groups[0];
    std::vector<std::uint32_t> who;
    std::vector<float> before;
    kube::for_each_member(w, g, [&](std::uint32_t h) { who.push_back(h), before.push_back(w.hh.skill[h]); });
    const float books = g.bookkeeping;
    const double cost = w.cost[kube::C_TRAINING];
    kube::train(w, g);
    const double share = (w.hh.skill[who[0]] - before[0]) / (1.0 - before[0]);
    for (std::size_t i = 0; i < who.size(); ++i)
      CHECK((w.hh.skill[who[i]] - before[i]) / (1.0 - before[i]) == doctest::Approx(share).epsilon(1e-3));
    CHECK(share == doctest::Approx(p.training_max_gain * (1 - std::exp(-hours / p.training_hour_scale))).epsilon(1e-3));
    CHECK(g.bookkeeping >= books);
    CHECK(w.cost[kube::C_TRAINING] - cost ==
          doctest::Approx(p.training_cost_per_hour * hours * static_cast<double>(who.size())));
    return share;
  };
  const double g12 = gain_for(12), g24 = gain_for(24), g48 = gain_for(48);
  CHECK(g12 < g24);
  CHECK(g24 < g48);
  CHECK(g48 - g24 < g24 - g12);
}

TEST_CASE("officers-only training raises the officers' skill and nobody else's") {
  const auto p = test::scenario("kota-batu",
                                "[run]\nmonths = 4\n[training]\nhours = 24\nwho = \"officers\"\n[split]\nbase = -20\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  const auto skill0 = w.hh.skill;
  for (w.month = 0; w.month < p.run_months; ++w.month) kube::step(w);
  int officers = 0, others = 0;
  for (std::size_t h = 0; h < w.hh.count(); ++h) {
    if (w.hh.skill[h] == skill0[h]) continue;
    const auto role = static_cast<kube::Role>(w.hh.role[h]);
    (role == kube::Role::Member || role == kube::Role::None ? others : officers)++;
  }
  CHECK(officers == 12 * 3);  // the first cohort's chairs, secretaries and treasurers
  CHECK(others == 0);
}
