#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "helpers.h"
#include "models/kube/formation.h"
#include "models/kube/metrics.h"
#include "models/kube/population.h"

namespace {
// Runs a world month by month, calling check after each month.
template <typename F>
void simulate(const kube::Params& p, std::uint64_t rep, F&& check) {
  kube::World w(p, p.run_seed, rep);
  kube::init_world(w);
  for (w.month = 0; w.month < p.run_months; ++w.month) {
    const auto t = kube::step(w);
    check(w, t);
  }
}
}  // namespace

TEST_CASE("money is conserved between capital, payouts, IKS, capture, withdrawals and splits") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 48\n[program]\nleakage = 0.1\n");
  int checked = 0;
  for (std::uint64_t rep = 0; rep < 5; ++rep)
    simulate(p, rep, [&](const kube::World& w, const kube::HouseholdTotals&) {
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

TEST_CASE("group sizes stay within 5-20 at formation and match the set size") {
  for (int size : {5, 12, 20}) {
    const auto p = test::scenario("kota-batu", "[run]\nmonths = 40\n[program]\ngroup_size = " + std::to_string(size));
    simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
      for (const auto& g : w.groups) {
        REQUIRE(g.size_formed == size);
        REQUIRE(g.member_end - g.member_begin == static_cast<std::uint32_t>(size));
        REQUIRE(g.members <= g.size_formed);
      }
    });
  }
}

TEST_CASE("zero shock probability gives zero household shocks") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 36\n[household]\nshock_prob = 0\n");
  simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (auto n : w.hh.need_months) REQUIRE(n == 0);
    for (const auto& g : w.groups) {
      REQUIRE(g.withdrawals == 0.0);
      REQUIRE(g.iks_out == 0.0);
    }
  });
}

TEST_CASE("zero disaster, disease and capture probabilities give none") {
  const auto p = test::scenario("kota-batu",
                                "[business]\ndisease_prob = 0\ndisaster_prob = 0\n[governance]\ncapture_prob = 0\n");
  simulate(p, 1, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      REQUIRE(g.losses == 0.0);
      REQUIRE(g.captured == 0.0);
      REQUIRE(g.cause != kube::Cause::Catastrophe);
    }
  });
}

TEST_CASE("no program: no groups, no cost, income equals its counterfactual") {
  const auto p = test::scenario("kota-batu", "[program]\nenabled = false\n");
  simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals& t) {
    REQUIRE(w.groups.empty());
    for (double c : w.cost) REQUIRE(c == 0.0);
    REQUIRE(t.income_pool == t.income_pool_cf);
  });
}

TEST_CASE("common random numbers: the in-run counterfactual equals a no-program run") {
  const auto with = test::scenario("kota-batu", "[run]\nmonths = 36\n");
  const auto without = test::scenario("kota-batu", "[run]\nmonths = 36\n[program]\nenabled = false\n");
  const auto a = kube::run(with, 11, 2), b = kube::run(without, 11, 2);
  const auto& s = kube::schema().series;
  auto index = [&](const std::string& name) {
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s[i].name == name) return i;
    FAIL("no series " << name);
    return std::size_t{0};
  };
  for (int m = 0; m < 36; ++m) {
    CHECK(a.series[index("income_pool_cf") * 36 + m] == b.series[index("income_pool") * 36 + m]);
    CHECK(a.series[index("poverty_pool_cf") * 36 + m] == b.series[index("poverty_pool") * 36 + m]);
  }
  // The program adds money to recipients in some month.
  double gain = 0;
  for (int m = 0; m < 36; ++m) gain += a.series[index("income_pool") * 36 + m] - a.series[index("income_pool_cf") * 36 + m];
  CHECK(gain > 0);
}

TEST_CASE("no attendance leaves understanding unchanged; no training leaves skill unchanged") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 6\n[socialization]\nattendance = 0\nsessions = 3\n");
  kube::World w(p, p.run_seed, 0);
  kube::init_world(w);
  const auto und0 = w.hh.understanding;
  const auto skill0 = w.hh.skill;
  for (w.month = 0; w.month < 6; ++w.month) kube::step(w);
  CHECK(w.hh.understanding == und0);
  CHECK(w.hh.skill == skill0);
  const auto q = test::scenario("kota-batu", "[run]\nmonths = 6\n[socialization]\nattendance = 1\n[training]\nhours = 24\n");
  kube::World v(q, q.run_seed, 0);
  kube::init_world(v);
  for (v.month = 0; v.month < 6; ++v.month) kube::step(v);
  int raised = 0, trained = 0;
  for (std::size_t h = 0; h < v.hh.count(); ++h) {
    raised += v.hh.understanding[h] > und0[h];
    trained += v.hh.skill[h] > skill0[h];
  }
  CHECK(raised == 12 * 10);  // every member of the first cohort attended
  CHECK(trained == 12 * 10);
}

TEST_CASE("mentor visits never exceed capacity") {
  const auto p = test::scenario("kota-batu", "[monitoring]\ninterval = 1\n");
  simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    REQUIRE(w.visits_this_month <= static_cast<int>(w.mentors.size()) * p.mentors_visits_per_month);
    REQUIRE(static_cast<double>(w.mentors.size()) >= std::ceil(static_cast<double>(w.groups.size()) / p.mentors_groups_per_mentor - 1e-9));
  });
}

TEST_CASE("the same seed gives the same run; another seed another") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 36\n");
  const auto a = kube::run(p, 5, 0), b = kube::run(p, 5, 0), c = kube::run(p, 6, 0);
  CHECK(test::same_bits(a.series, b.series));
  CHECK(test::same_bits(a.yearly, b.yearly));
  CHECK(a.table == b.table);
  CHECK_FALSE(test::same_bits(a.series, c.series));
}

TEST_CASE("the network is undirected and groups form along ties") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 2\n");
  kube::World w(p, 1, 0);
  kube::init_world(w);
  CHECK(w.hh.count() == 24 * 150);
  std::size_t edges = 0;
  for (std::uint32_t h = 0; h < w.hh.count(); ++h)
    kube::for_each_tie(w, h, [&](std::uint32_t nb, float s) {
      ++edges;
      bool back = false;
      kube::for_each_tie(w, nb, [&](std::uint32_t x, float) { back |= x == h; });
      REQUIRE(back);
      REQUIRE(s > 0.0f);
      REQUIRE(s <= 1.0f);
    });
  CHECK(edges >= w.hh.count() * 4);
  kube::step(w);
  int tied = 0, members = 0;
  for (const auto& g : w.groups)
    for (auto i = g.member_begin; i < g.member_end; ++i) {
      ++members;
      bool any = false;
      kube::for_each_tie(w, w.members[i], [&](std::uint32_t nb, float) { any |= w.hh.group[nb] == static_cast<std::int32_t>(g.id); });
      tied += any;
    }
  CHECK(tied > members * 9 / 10);
}

TEST_CASE("expectations adapt: a group that keeps paying keeps its contributors") {
  // Nothing random ends or drains the business: payouts stay positive every month.
  const auto p = test::scenario("kota-batu",
                                "[run]\nmonths = 72\n[business]\ndisease_prob = 0\ndisaster_prob = 0\nvillage_shock_prob = 0\n"
                                "shock_sd_livestock = 0\nshock_sd_food = 0\nshock_sd_trade = 0\nshock_sd_services = 0\n"
                                "shock_sd_crafts = 0\n[governance]\ncapture_prob = 0\n[household]\nshock_prob = 0\n"
                                "[split]\nbase = -20\n[membership]\nexit_rate = 0\n[cohesion]\nconflict_rate = 0\n");
  double gap_early = 0, gap_late = 0, mot24 = 0, mot72 = 0;
  int n_early = 0, n_late = 0, contrib24 = 0, contrib72 = 0;
  simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
    for (const auto& g : w.groups) {
      if (g.stage != kube::Stage::Active || g.funded < 0) continue;
      const int age = w.month - g.funded;
      kube::for_each_member(w, g, [&](std::uint32_t h) {
        const double gap = std::fabs(w.hh.expectation[h] - g.payout_per_member);
        if (age == 1) gap_early += gap, ++n_early;
        if (age == 30) gap_late += gap, ++n_late;
        if (g.cohort == 0 && w.month == 24) mot24 += w.hh.motivation[h];
        if (g.cohort == 0 && w.month == 71) mot72 += w.hh.motivation[h];
      });
      if (g.cohort == 0 && w.month == 24) contrib24 += g.contributors;
      if (g.cohort == 0 && w.month == 71) contrib72 += g.contributors;
    }
  });
  REQUIRE(n_early > 0);
  REQUIRE(n_late > 0);
  // Expectations close most of the gap to what the group pays.
  CHECK(gap_late / n_late < 0.2 * gap_early / n_early);
  // Motivation does not drift down between year 2 and year 6 for the first cohort. (It
  // creeps up, 4-12 % in replicates 0-7: a two-sided 5 % bound held at replicate 0 only
  // by the draw.)
  CHECK(mot72 >= 0.95 * mot24);
  // Contributors do not drift away either (fixed expectations lost over half of them).
  REQUIRE(contrib24 > 0);
  CHECK(contrib72 >= 0.95 * contrib24);
}

TEST_CASE("a zero grant funds no group and has no effect") {
  const auto p = test::scenario("kota-batu", "[program]\ngrant_per_member = 0\n");
  simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals& t) {
    REQUIRE(w.groups.empty());
    for (double c : w.cost) REQUIRE(c == 0.0);
    REQUIRE(t.income_members == t.income_members_cf);
    REQUIRE(t.income_pool == t.income_pool_cf);
  });
}

TEST_CASE("the larger the stake against members' means, the likelier the grant is shared out") {
  auto split_share = [](const std::string& grant) {
    const auto p = test::scenario("kota-batu", "[run]\nmonths = 16\n[program]\ncohorts = 1\ngrant_per_member = " + grant + "\n");
    int funded = 0, split_at_once = 0;
    for (std::uint64_t rep = 0; rep < 40; ++rep) {
      kube::World w(p, p.run_seed, rep);
      kube::init_world(w);
      for (w.month = 0; w.month < p.run_months; ++w.month) kube::step(w);
      for (const auto& g : w.groups) {
        if (g.funded < 0) continue;
        ++funded;
        split_at_once += g.cause == kube::Cause::GrantSplit && g.failed == g.funded;
      }
    }
    return static_cast<double>(split_at_once) / funded;
  };
  const double small = split_share("1000000"), large = split_share("4000000");
  MESSAGE("split at disbursement: Rp 1 million " << small << ", Rp 4 million " << large);
  // 480 groups each: a binomial standard error below 0.025 per share; 4 of them apart.
  CHECK(large - small > 4 * std::sqrt(small * (1 - small) / 480 + large * (1 - large) / 480));
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
  MESSAGE("answered within 3 months: baseline " << base << "; visits every 2 months: one mentor per 10 groups "
                                                << few << ", per 5 groups " << more);
  CHECK(more > few);
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

TEST_CASE("officers-only training raises the officers' skill and nobody else's") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 4\n[training]\nhours = 24\nwho = \"officers\"\n[split]\nbase = -20\n");
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

TEST_CASE("choice parameters are resolved once into the enums the mechanisms read") {
  // Every option the table offers maps to its own enum value, and the defaults agree.
  for (const auto& spec : kube::param_table()) {
    if (spec.name == "business.payout_rule") {
      REQUIRE(spec.options.size() == 2);
      CHECK(kube::parse_payout_rule(spec.options[0]) != kube::parse_payout_rule(spec.options[1]));
    } else if (spec.name == "training.who") {
      REQUIRE(spec.options.size() == 2);
      CHECK(kube::parse_trainees(spec.options[0]) != kube::parse_trainees(spec.options[1]));
    }
  }
  const kube::Params defaults;
  CHECK(kube::parse_payout_rule(defaults.business_payout_rule) == defaults.payout_rule);
  CHECK(kube::parse_trainees(defaults.training_who) == defaults.trainees);
  CHECK_THROWS_AS(kube::parse_payout_rule("nobody"), std::invalid_argument);
  const auto p = test::scenario("kota-batu", "[business]\npayout_rule = \"all\"\n[training]\nwho = \"officers\"\n");
  CHECK(p.payout_rule == kube::PayoutRule::All);
  CHECK(p.trainees == kube::Trainees::Officers);
  const auto q = test::scenario("kota-batu");
  CHECK(q.payout_rule == kube::PayoutRule::Contributors);
  CHECK(q.trainees == kube::Trainees::All);
}

TEST_CASE("sharing payouts with free riders costs cohesion") {
  // The same replicate under both payout rules: the rule is read in business.cpp and
  // cohesion.cpp, so "all" must change the run, and lower cohesion while groups pay.
  const auto fair = test::scenario("kota-batu", "[run]\nmonths = 36\n");
  const auto unfair = test::scenario("kota-batu", "[run]\nmonths = 36\n[business]\npayout_rule = \"all\"\n");
  double c_fair = 0, c_unfair = 0;
  for (std::uint64_t rep = 0; rep < 4; ++rep) {
    const auto a = kube::run(fair, static_cast<std::uint64_t>(fair.run_seed), rep);
    const auto b = kube::run(unfair, static_cast<std::uint64_t>(unfair.run_seed), rep);
    for (int m = 12; m < 36; ++m) {
      const double x = a.series[kube::M_COHESION * 36 + static_cast<std::size_t>(m)];
      const double y = b.series[kube::M_COHESION * 36 + static_cast<std::size_t>(m)];
      if (std::isfinite(x) && std::isfinite(y)) {
        c_fair += x;
        c_unfair += y;
      }
    }
  }
  CHECK(c_unfair < c_fair);
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
