#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <vector>

#include "models/kube/formation.h"
#include "models/kube/population.h"
#include "sim/parallel.h"
#include "world.h"

TEST_CASE("group sizes stay within 5-20 at formation and match the set size") {
  for (int size : {5, 12, 20}) {
    const auto p = test::scenario("kota-batu", "[run]\nmonths = 40\n[program]\ngroup_size = " + std::to_string(size));
    test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals&) {
      for (const auto& g : w.groups) {
        REQUIRE(g.size_formed == size);
        REQUIRE(g.member_end - g.member_begin == static_cast<std::uint32_t>(size));
        REQUIRE(g.members <= g.size_formed);
      }
    });
  }
}

TEST_CASE("cohorts form on schedule, each member in one group of its own village, with three officers") {
  const auto p = test::small(
      "run.months = 20\nprogram.first_cohort_month = 2\nprogram.cohort_interval = 9\n"
      "program.cohorts = 3\nprogram.groups_per_cohort = 4\n");
  const auto w = test::stepped(p, 20);  // the last cohort formed in month 19 is still preparing
  REQUIRE(w.groups.size() == 12);
  std::map<std::uint32_t, int> memberships;
  int whole = 0;
  for (const auto& g : w.groups) {
    CHECK(g.formed == 1 + 9 * g.cohort);
    CHECK(g.id == static_cast<std::uint32_t>(&g - w.groups.data()));
    int chairs = 0, secretaries = 0, treasurers = 0;
    for (auto i = g.member_begin; i < g.member_end; ++i) {
      const auto h = w.members[i];
      ++memberships[h];
      CHECK(kube::village_of(w, h) == g.village);
      CHECK((w.hh.flags[h] & kube::H_RECIPIENT));
    }
    // Roles are kept while a member belongs; count them in groups still whole.
    if (g.stage == kube::Stage::Preparing) {
      kube::for_each_member(w, g, [&](std::uint32_t h) {
        const auto r = static_cast<kube::Role>(w.hh.role[h]);
        chairs += r == kube::Role::Chair;
        secretaries += r == kube::Role::Secretary;
        treasurers += r == kube::Role::Treasurer;
      });
      CHECK(chairs == 1);
      CHECK(secretaries == 1);
      CHECK(treasurers == 1);
      ++whole;
    }
  }
  CHECK(whole == 4);
  // Nobody receives the grant twice.
  for (const auto& [h, n] : memberships) CHECK(n == 1);
}

TEST_CASE("without targeting errors every member is eligible") {
  const auto p = test::small("program.targeting_error = 0\n");
  const auto w = test::stepped(p, 13);
  REQUIRE(!w.groups.empty());
  for (const auto& g : w.groups)
    for (auto i = g.member_begin; i < g.member_end; ++i) CHECK((w.hh.flags[w.members[i]] & kube::H_ELIGIBLE));
}

TEST_CASE("a zero grant funds no group and has no effect") {
  const auto p = test::scenario("kota-batu", "[program]\ngrant_per_member = 0\n");
  test::simulate(p, 0, [&](const kube::World& w, const kube::HouseholdTotals& t) {
    REQUIRE(w.groups.empty());
    REQUIRE(w.mentors.empty());
    for (double c : w.cost) REQUIRE(c == 0.0);
    REQUIRE(t.income_members == t.income_members_cf);
    REQUIRE(t.income_pool == t.income_pool_cf);
  });
}

TEST_CASE("groups form along ties") {
  const auto p = test::scenario("kota-batu", "[run]\nmonths = 2\n");
  kube::World w(p, 1, 0);
  kube::init_world(w);
  kube::step(w);
  int tied = 0, members = 0;
  for (const auto& g : w.groups)
    for (auto i = g.member_begin; i < g.member_end; ++i) {
      ++members;
      bool any = false;
      kube::for_each_tie(w, w.members[i],
                         [&](std::uint32_t nb, float) { any |= w.hh.group[nb] == static_cast<std::int32_t>(g.id); });
      tied += any;
    }
  REQUIRE(members > 0);
  CHECK(tied > members * 9 / 10);
}

TEST_CASE("mentors are hired to the set ratio and each cohort's groups spread evenly over them") {
  const auto p = test::small("mentors.groups_per_mentor = 4\n");
  const auto w = test::stepped(p, 24);
  REQUIRE(w.groups.size() == 12);
  CHECK(w.mentors.size() == 3);
  std::size_t total = 0;
  for (int cohort = 0; cohort < 2; ++cohort) {
    // The mentors there were when the cohort formed: hired for six groups a cohort.
    const auto hired = static_cast<std::size_t>(std::ceil(6.0 * (cohort + 1) / 4));
    std::size_t lo = 1000, hi = 0;
    for (std::size_t m = 0; m < hired; ++m) {
      std::size_t n = 0;
      for (auto gid : w.mentors[m].groups) n += w.groups[gid].cohort == cohort;
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
    // Groups in preparation need the most visits: the office spreads them first.
    CHECK(hi - lo <= 1);
  }
  for (std::size_t m = 0; m < w.mentors.size(); ++m) {
    const auto& mentor = w.mentors[m];
    CHECK(mentor.quality >= p.mentors_quality_min);
    CHECK(mentor.quality <= p.mentors_quality_max);
    total += mentor.groups.size();
    for (auto gid : mentor.groups) CHECK(w.groups[gid].mentor == static_cast<std::int32_t>(m));
  }
  CHECK(total == w.groups.size());
}

TEST_CASE("hire_mentors keeps at least one mentor and never dismisses one") {
  const auto p = test::small("mentors.groups_per_mentor = 5\n");
  kube::World w(p, 3, 0);
  kube::init_world(w);
  kube::hire_mentors(w, 0);
  CHECK(w.mentors.size() == 1);
  kube::hire_mentors(w, 11);
  CHECK(w.mentors.size() == 3);
  kube::hire_mentors(w, 2);
  CHECK(w.mentors.size() == 3);
}

TEST_CASE("the mentor queue picks what a scan of every mentor's groups would pick") {
  // The office's rule read directly: fewest groups in preparation, then fewest groups,
  // then the first hired. Mentors with random loads and stages, 300 new groups.
  const auto p = test::small("");
  kube::World w(p, 5, 0);
  sim::Stream s(42);
  w.mentors.resize(17);
  for (std::uint32_t id = 0; id < 120; ++id) {
    kube::Group g;
    g.id = id;
    g.stage = static_cast<kube::Stage>(static_cast<int>(s.uniform() * 3));
    g.mentor = static_cast<std::int32_t>(s.uniform() * 17);
    w.mentors[static_cast<std::size_t>(g.mentor)].groups.push_back(id);
    w.groups.push_back(g);
  }
  kube::World scanned = w;
  kube::MentorQueue queue(w);
  for (std::uint32_t k = 0; k < 300; ++k) {
    kube::Group g;
    g.id = static_cast<std::uint32_t>(w.groups.size());
    w.groups.push_back(g);
    queue.assign(w, w.groups.back());
    std::size_t best = 0, best_key[2] = {SIZE_MAX, SIZE_MAX};
    for (std::size_t m = 0; m < scanned.mentors.size(); ++m) {
      std::size_t prep = 0;
      for (auto gid : scanned.mentors[m].groups) prep += scanned.groups[gid].stage == kube::Stage::Preparing;
      const std::size_t key[2] = {prep, scanned.mentors[m].groups.size()};
      if (std::lexicographical_compare(key, key + 2, best_key, best_key + 2)) {
        best = m;
        best_key[0] = key[0];
        best_key[1] = key[1];
      }
    }
    g.mentor = static_cast<std::int32_t>(best);
    scanned.mentors[best].groups.push_back(g.id);
    scanned.groups.push_back(g);
    REQUIRE(w.groups.back().mentor == g.mentor);
  }
  for (std::size_t m = 0; m < w.mentors.size(); ++m) CHECK(w.mentors[m].groups == scanned.mentors[m].groups);
}

namespace {

// A world of 1,200 villages of 40 households (two blocks or more) and its cohorts formed:
// the groups' records, the member lists and ties, and the households' columns they set.
struct Formed {
  std::size_t blocks = 0, groups = 0;
  std::vector<std::uint32_t> members;
  std::vector<std::uint64_t> records;  // per group: village, type, size, mentor, bits of cohesion and bookkeeping
  std::vector<std::uint32_t> ties;
  std::vector<std::int32_t> group;
  std::vector<std::uint8_t> flags, role;
  std::vector<float> motivation;
};

Formed form(int groups_per_cohort, unsigned threads, kube::FormationPass pass) {
  const auto p = test::small(
      "population.villages = 1200\npopulation.households_per_village = 40\n"
      "program.cohorts = 3\nprogram.groups_per_cohort = " +
      std::to_string(groups_per_cohort) + "\n");
  const sim::ThreadsWithinRun within(threads);
  kube::World w(p, 11, 3);
  kube::init_world(w);
  for (long long c = 0; c < p.program_cohorts; ++c) {
    w.month = static_cast<std::int32_t>(p.program_first_cohort_month - 1 + c * p.program_cohort_interval);
    kube::form_cohort(w, pass);
  }
  Formed f;
  f.blocks = kube::block_count(w);
  f.groups = w.groups.size();
  f.members = w.members;
  for (const auto& g : w.groups) {
    std::uint32_t cohesion, bookkeeping;
    std::memcpy(&cohesion, &g.cohesion, 4);
    std::memcpy(&bookkeeping, &g.bookkeeping, 4);
    for (std::uint64_t x : {std::uint64_t{g.village}, std::uint64_t(g.type), std::uint64_t{g.members},
                            std::uint64_t(g.mentor), std::uint64_t{g.member_begin}, std::uint64_t{g.tie_begin},
                            std::uint64_t(g.cohort), std::uint64_t{cohesion}, std::uint64_t{bookkeeping}})
      f.records.push_back(x);
  }
  for (const auto& t : w.group_ties) f.ties.push_back(t.from << 16 | t.to << 8 | t.strength.strength);
  f.group.assign(w.hh.group.begin(), w.hh.group.end());
  f.flags.assign(w.hh.flags.begin(), w.hh.flags.end());
  f.role.assign(w.hh.role.begin(), w.hh.role.end());
  f.motivation.assign(w.hh.motivation.begin(), w.hh.motivation.end());
  return f;
}

void check_same(const Formed& a, const Formed& b) {
  CHECK(a.groups == b.groups);
  CHECK(a.members == b.members);
  CHECK(a.records == b.records);
  CHECK(a.ties == b.ties);
  CHECK(a.group == b.group);
  CHECK(a.flags == b.flags);
  CHECK(a.role == b.role);
  CHECK(std::memcmp(a.motivation.data(), b.motivation.data(), a.motivation.size() * sizeof(float)) == 0);
}

}  // namespace

TEST_CASE("drafting a cohort by block on any thread count forms the groups of one pass in order") {
  // 300 groups a cohort leave room in every village drawn; 1,700 (51,000 members asked of
  // 48,000 households) run villages out of eligible households, so groups look elsewhere,
  // and the register runs dry in the last cohort.
  for (int per_cohort : {300, 1700}) {
    CAPTURE(per_cohort);
    const Formed plain = form(per_cohort, 1, kube::FormationPass::OneByOne);
    REQUIRE(plain.blocks >= 2);
    if (per_cohort == 300) CHECK(plain.groups == 900);
    if (per_cohort == 1700) CHECK(plain.groups < 5100);
    for (unsigned threads : {1u, 2u, 3u}) {
      CAPTURE(threads);
      check_same(plain, form(per_cohort, threads, kube::FormationPass::ByBlock));
    }
  }
}
