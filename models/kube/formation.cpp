#include "models/kube/formation.h"

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "models/kube/population.h"
#include "sim/parallel.h"

namespace kube {

namespace {

BusinessType draw_type(const Params& p, double u) {
  const double wts[N_BUSINESS] = {p.business_mix_livestock, p.business_mix_food, p.business_mix_trade,
                                  p.business_mix_services, p.business_mix_crafts};
  double total = 0;
  for (double x : wts) total += x;
  double acc = 0;
  for (int i = 0; i < N_BUSINESS; ++i) {
    acc += wts[i] / total;
    if (u < acc) return static_cast<BusinessType>(i);
  }
  return BusinessType::Crafts;
}

bool available(const World& w, std::uint32_t h, bool eligible) {
  const auto f = w.hh.flags[h];
  return !(f & (H_TAKEN | H_RECIPIENT)) && static_cast<bool>(f & H_ELIGIBLE) == eligible;
}

// A random available household of the village with the wanted eligibility, or -1.
std::int64_t random_household(const World& w, const Village& v, bool eligible, sim::Stream& s) {
  const auto start = static_cast<std::uint32_t>(s.uniform() * v.count);
  // From the start round the village (counting on without a division per household).
  std::uint32_t at = start;
  for (std::uint32_t i = 0; i < v.count; ++i) {
    if (available(w, v.first + at, eligible)) return v.first + at;
    if (++at == v.count) at = 0;
  }
  return -1;
}

}  // namespace

void hire_mentors(World& w, std::size_t groups) {
  const auto needed =
      static_cast<std::size_t>(std::ceil(static_cast<double>(groups) / w.p.mentors_groups_per_mentor - 1e-9));
  while (w.mentors.size() < std::max<std::size_t>(needed, 1)) {
    sim::Stream s = w.streams.get(STREAM_MENTOR_HIRING, w.mentors.size());
    Mentor m;
    m.quality =
        static_cast<float>(w.p.mentors_quality_min + (w.p.mentors_quality_max - w.p.mentors_quality_min) * s.uniform());
    w.mentors.push_back(m);
  }
}

MentorQueue::MentorQueue(const World& w) {
  std::vector<std::size_t> preparing(w.mentors.size(), 0);
  for (const Group& g : w.groups)
    if (g.mentor >= 0 && g.stage == Stage::Preparing) ++preparing[static_cast<std::size_t>(g.mentor)];
  for (std::size_t i = 0; i < w.mentors.size(); ++i) order_.insert({preparing[i], w.mentors[i].groups.size(), i});
}

void MentorQueue::assign(World& w, Group& g) {
  // The office spreads groups in preparation evenly (they need the most visits), then
  // total load; among equals, the first mentor hired.
  auto [preparing, load, best] = *order_.begin();
  order_.erase(order_.begin());
  order_.insert({preparing + 1, load + 1, best});
  w.mentors[best].groups.push_back(g.id);
  g.mentor = static_cast<std::int32_t>(best);
}

namespace {

// A group as verification puts it together, before it has an id: the households drawn and
// what follows from them alone. It touches only the households of its village.
struct Draft {
  enum Outcome : std::uint8_t { None, Formed, TooFew, Elsewhere };
  sim::Stream s{0};
  std::uint32_t village = 0;
  Outcome outcome = None;
  BusinessType type = BusinessType::Livestock;
  float bookkeeping = 0, cohesion = 0;
  std::vector<std::uint32_t> chosen;  // officers first: chair, secretary, treasurer
  std::vector<GroupTie> ties;         // among the chosen, each member's in the order of its row
};

// Members for a group seeded at `seed` in village v: they join along ties (breadth first),
// the office filling any gap from the register. Too few for a group: they are released.
void gather(World& w, std::uint32_t v, std::uint32_t seed, Draft& d, std::vector<std::uint32_t>& frontier) {
  const Params& p = w.p;
  const auto size = static_cast<std::uint32_t>(p.program_group_size);
  const Village& home = w.villages[v];
  d.village = v;
  d.chosen.assign(1, seed);
  w.hh.flags[seed] |= H_TAKEN;
  frontier.assign(1, seed);
  std::size_t head = 0;
  while (d.chosen.size() < size) {
    const bool want_eligible = !(d.s.uniform() < p.program_targeting_error);
    std::int64_t pick = -1;
    for (std::size_t i = head; i < frontier.size() && pick < 0; ++i) {
      for_each_tie(w, frontier[i], [&](std::uint32_t nb, float) {
        if (pick < 0 && lives_in(home, nb) && available(w, nb, want_eligible)) pick = nb;
      });
      if (pick < 0 && i == head) ++head;
    }
    if (pick < 0) pick = random_household(w, home, want_eligible, d.s);
    if (pick < 0) pick = random_household(w, home, !want_eligible, d.s);
    if (pick < 0) break;
    d.chosen.push_back(static_cast<std::uint32_t>(pick));
    frontier.push_back(static_cast<std::uint32_t>(pick));
    w.hh.flags[pick] |= H_TAKEN;
  }
  if (d.chosen.size() < static_cast<std::size_t>(p.status_min_members)) {
    for (auto h : d.chosen) w.hh.flags[h] &= static_cast<std::uint8_t>(~H_TAKEN);
    d.chosen.clear();
    d.outcome = Draft::TooFew;  // too few households left in the village for a group
    return;
  }
  d.outcome = Draft::Formed;
  d.type = draw_type(p, d.s.uniform());
  // Officers: the members choose the three they rate highest (skill and motivation).
  std::sort(d.chosen.begin(), d.chosen.end(), [&](std::uint32_t a, std::uint32_t b) {
    const float ra = w.hh.skill[a] + w.hh.motivation[a], rb = w.hh.skill[b] + w.hh.motivation[b];
    return ra != rb ? ra > rb : a < b;
  });
  double officer_skill = 0;
  for (std::size_t i = 1; i < std::min<std::size_t>(3, d.chosen.size()); ++i)
    officer_skill += w.hh.skill[d.chosen[i]] / 2.0;
  d.bookkeeping = static_cast<float>(std::min(1.0, p.governance_bookkeeping_start * officer_skill));
  // The ties among members, and cohesion from their density.
  d.ties.clear();
  for (std::size_t a = 0; a < d.chosen.size(); ++a)
    for (auto e : boost::make_iterator_range(boost::out_edges(d.chosen[a], w.net))) {
      const auto nb = static_cast<std::uint32_t>(boost::target(e, w.net));
      const auto to = std::find(d.chosen.begin(), d.chosen.end(), nb) - d.chosen.begin();
      if (to == static_cast<std::ptrdiff_t>(d.chosen.size())) continue;
      d.ties.push_back({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(to), w.net[e]});
    }
  const auto ties = static_cast<double>(d.ties.size());
  const double pairs = static_cast<double>(d.chosen.size()) * static_cast<double>(d.chosen.size() - 1);
  d.cohesion = static_cast<float>(std::min(1.0, p.cohesion_base + p.cohesion_tie_weight * ties / pairs));
}

// The group of draft d joins the program: its id, its record, its places in the lists of
// members and ties, a mentor. Returns the id.
std::uint32_t enter_group(World& w, const Draft& d, long long cohort, MentorQueue& mentors) {
  const Params& p = w.p;
  Group g;
  g.id = static_cast<std::uint32_t>(w.groups.size());
  g.village = d.village;
  g.block = static_cast<std::uint32_t>(block_of_village(w, d.village));
  g.type = d.type;
  g.cohort = static_cast<std::int16_t>(cohort);
  g.formed = w.month;
  g.disburse_at = w.month + static_cast<std::int32_t>(p.program_disbursement_lag);
  g.member_begin = static_cast<std::uint32_t>(w.members.size());
  w.members.resize(w.members.size() + d.chosen.size());
  g.member_end = static_cast<std::uint32_t>(w.members.size());
  g.size_formed = g.members = static_cast<std::uint8_t>(d.chosen.size());
  g.bookkeeping = d.bookkeeping;
  g.tie_begin = static_cast<std::uint32_t>(w.group_ties.size());
  w.group_ties.resize(w.group_ties.size() + d.ties.size());
  g.tie_end = static_cast<std::uint32_t>(w.group_ties.size());
  g.cohesion = d.cohesion;
  w.groups.push_back(g);
  w.block_groups[g.block].push_back(g.id);
  mentors.assign(w, w.groups.back());
  return g.id;
}

// The members of entered group g, drafted as d, and their records. It touches only the
// households of the group's village and the group's own places in the lists.
void enter_members(World& w, const Draft& d, const Group& g) {
  const Params& p = w.p;
  for (std::size_t i = 0; i < d.chosen.size(); ++i) {
    const auto h = d.chosen[i];
    w.members[g.member_begin + i] = h;
    w.hh.group[h] = static_cast<std::int32_t>(g.id);
    w.hh.flags[h] = static_cast<std::uint8_t>((w.hh.flags[h] & ~H_TAKEN) | H_RECIPIENT);
    w.hh.role[h] = static_cast<std::uint8_t>(i == 0   ? Role::Chair
                                             : i == 1 ? Role::Secretary
                                             : i == 2 ? Role::Treasurer
                                                      : Role::Member);
    if (!(w.hh.flags[h] & H_ELIGIBLE))
      w.hh.motivation[h] = std::max(0.0f, w.hh.motivation[h] - static_cast<float>(p.membership_ineligible_penalty));
  }
  std::copy(d.ties.begin(), d.ties.end(), w.group_ties.begin() + g.tie_begin);
}

// The first draws of group k: its stream and the village it is seeded in.
void start_draft(const World& w, long long cohort, long long k, Draft& d) {
  d.s = w.streams.get(STREAM_FORMATION, cohort, k);
  d.village = static_cast<std::uint32_t>(d.s.uniform() * static_cast<double>(w.villages.size()));
  d.outcome = Draft::None;
}

}  // namespace

// Group k is seeded in a village drawn from its own stream, or, when that village has no
// eligible household left, in the next village round that has. The groups seeded where
// they were drawn touch only their village's households, so the groups of each block of
// villages are drafted on the run's threads, in k order within the block; they are then
// entered in k order up to the first one that had to look elsewhere. That one and those
// after it are formed one by one in k order, as the rule reads: the cohort is the one of a
// single pass in k order, on any thread count.
void form_cohort(World& w, FormationPass pass) {
  const Params& p = w.p;
  // Without a grant there is no program: no group is formed, no mentor hired.
  if (!p.program_enabled || p.program_grant_per_member <= 0) return;
  const long long since = w.month - (p.program_first_cohort_month - 1);
  if (since < 0 || since % p.program_cohort_interval != 0) return;
  const long long cohort = since / p.program_cohort_interval;
  if (cohort >= p.program_cohorts) return;

  // The office hires for the whole cohort before assigning, so the load is even.
  hire_mentors(w, w.groups.size() + static_cast<std::size_t>(p.program_groups_per_cohort));
  MentorQueue mentors(w);
  const auto n = static_cast<std::size_t>(p.program_groups_per_cohort);
  std::vector<Draft> drafts(n);
  std::size_t k = 0;  // the groups before k are in
  if (pass == FormationPass::ByBlock) {
    std::vector<std::vector<std::uint32_t>> by_block(block_count(w));
    for (std::size_t j = 0; j < n; ++j) {
      start_draft(w, cohort, static_cast<long long>(j), drafts[j]);
      by_block[block_of_village(w, drafts[j].village)].push_back(static_cast<std::uint32_t>(j));
    }
    sim::parallel_blocks(by_block.size(), [&](std::size_t b) {
      std::vector<std::uint32_t> frontier;
      for (const auto j : by_block[b]) {
        Draft& d = drafts[j];
        const std::int64_t seed = random_household(w, w.villages[d.village], true, d.s);
        if (seed < 0) {
          d.outcome = Draft::Elsewhere;
          return;  // the block's later groups may meet the one that looks elsewhere
        }
        gather(w, d.village, static_cast<std::uint32_t>(seed), d, frontier);
      }
    });
    // The groups before the first that looked elsewhere get their ids and mentors in k
    // order; then each block writes its own members' records.
    std::vector<std::uint32_t> id(n);
    for (; k < n && drafts[k].outcome != Draft::Elsewhere; ++k)
      if (drafts[k].outcome == Draft::Formed) id[k] = enter_group(w, drafts[k], cohort, mentors);
    sim::parallel_blocks(by_block.size(), [&](std::size_t b) {
      for (const auto j : by_block[b]) {
        if (j >= k) break;
        if (drafts[j].outcome == Draft::Formed) enter_members(w, drafts[j], w.groups[id[j]]);
      }
    });
    // From the first group that looked elsewhere on, the drafts are let go and formed
    // again one by one.
    for (std::size_t j = k; j < n; ++j) {
      for (auto h : drafts[j].chosen) w.hh.flags[h] &= static_cast<std::uint8_t>(~H_TAKEN);
      drafts[j].chosen.clear();
    }
  }
  std::vector<std::uint32_t> frontier;
  for (; k < n; ++k) {
    Draft& d = drafts[k];
    start_draft(w, cohort, static_cast<long long>(k), d);
    // A village with room: the drawn one, then the next ones round.
    std::int64_t seed = -1;
    const auto nv = static_cast<std::uint32_t>(w.villages.size());
    for (std::uint32_t i = 0, at = d.village; i < nv && seed < 0; ++i, at = at + 1 == nv ? 0 : at + 1)
      seed = random_household(w, w.villages[at], true, d.s);
    if (seed < 0) break;  // the register is exhausted
    gather(w, village_of(w, static_cast<std::uint32_t>(seed)), static_cast<std::uint32_t>(seed), d, frontier);
    if (d.outcome != Draft::Formed) continue;
    const std::uint32_t id = enter_group(w, d, cohort, mentors);
    enter_members(w, d, w.groups[id]);
  }
}

}  // namespace kube
