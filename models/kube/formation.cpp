#include "models/kube/formation.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "models/kube/population.h"

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

void form_cohort(World& w) {
  const Params& p = w.p;
  // Without a grant there is no program: no group is formed, no mentor hired.
  if (!p.program_enabled || p.program_grant_per_member <= 0) return;
  const long long since = w.month - (p.program_first_cohort_month - 1);
  if (since < 0 || since % p.program_cohort_interval != 0) return;
  const long long cohort = since / p.program_cohort_interval;
  if (cohort >= p.program_cohorts) return;

  // The office hires for the whole cohort before assigning, so the load is even.
  hire_mentors(w, w.groups.size() + static_cast<std::size_t>(p.program_groups_per_cohort));
  const auto size = static_cast<std::uint32_t>(p.program_group_size);
  MentorQueue mentors(w);
  std::vector<std::uint32_t> chosen, frontier;
  for (long long k = 0; k < p.program_groups_per_cohort; ++k) {
    sim::Stream s = w.streams.get(STREAM_FORMATION, cohort, k);
    // A village with room: try a few at random, then scan.
    std::int64_t seed = -1;
    const auto nv = static_cast<std::uint32_t>(w.villages.size());
    const auto v0 = static_cast<std::uint32_t>(s.uniform() * nv);
    for (std::uint32_t i = 0, at = v0; i < nv && seed < 0; ++i, at = at + 1 == nv ? 0 : at + 1)
      seed = random_household(w, w.villages[at], true, s);
    if (seed < 0) break;  // the register is exhausted
    const std::uint32_t v = village_of(w, static_cast<std::uint32_t>(seed));
    const Village& home = w.villages[v];
    chosen.assign(1, static_cast<std::uint32_t>(seed));
    w.hh.flags[seed] |= H_TAKEN;
    // Members join along ties (breadth first); the office fills any gap from the register.
    frontier.assign(1, static_cast<std::uint32_t>(seed));
    std::size_t head = 0;
    while (chosen.size() < size) {
      const bool want_eligible = !(s.uniform() < p.program_targeting_error);
      std::int64_t pick = -1;
      for (std::size_t i = head; i < frontier.size() && pick < 0; ++i) {
        for_each_tie(w, frontier[i], [&](std::uint32_t nb, float) {
          if (pick < 0 && lives_in(home, nb) && available(w, nb, want_eligible)) pick = nb;
        });
        if (pick < 0 && i == head) ++head;
      }
      if (pick < 0) pick = random_household(w, w.villages[v], want_eligible, s);
      if (pick < 0) pick = random_household(w, w.villages[v], !want_eligible, s);
      if (pick < 0) break;
      chosen.push_back(static_cast<std::uint32_t>(pick));
      frontier.push_back(static_cast<std::uint32_t>(pick));
      w.hh.flags[pick] |= H_TAKEN;
    }
    if (chosen.size() < static_cast<std::size_t>(p.status_min_members)) {
      for (auto h : chosen) w.hh.flags[h] &= static_cast<std::uint8_t>(~H_TAKEN);
      continue;  // too few households left in the village for a group
    }
    Group g;
    g.id = static_cast<std::uint32_t>(w.groups.size());
    g.village = v;
    g.block = static_cast<std::uint32_t>(block_of_village(w, v));
    g.type = draw_type(p, s.uniform());
    g.cohort = static_cast<std::int16_t>(cohort);
    g.formed = w.month;
    g.disburse_at = w.month + static_cast<std::int32_t>(p.program_disbursement_lag);
    g.member_begin = static_cast<std::uint32_t>(w.members.size());
    // Officers: the members choose the three they rate highest (skill and motivation).
    std::sort(chosen.begin(), chosen.end(), [&](std::uint32_t a, std::uint32_t b) {
      const float ra = w.hh.skill[a] + w.hh.motivation[a], rb = w.hh.skill[b] + w.hh.motivation[b];
      return ra != rb ? ra > rb : a < b;
    });
    double officer_skill = 0;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      const auto h = chosen[i];
      w.members.push_back(h);
      w.hh.group[h] = static_cast<std::int32_t>(g.id);
      w.hh.flags[h] = static_cast<std::uint8_t>((w.hh.flags[h] & ~H_TAKEN) | H_RECIPIENT);
      w.hh.role[h] = static_cast<std::uint8_t>(i == 0   ? Role::Chair
                                               : i == 1 ? Role::Secretary
                                               : i == 2 ? Role::Treasurer
                                                        : Role::Member);
      if (i == 1 || i == 2) officer_skill += w.hh.skill[h] / 2.0;
      if (!(w.hh.flags[h] & H_ELIGIBLE))
        w.hh.motivation[h] = std::max(0.0f, w.hh.motivation[h] - static_cast<float>(p.membership_ineligible_penalty));
    }
    g.member_end = static_cast<std::uint32_t>(w.members.size());
    g.size_formed = g.members = static_cast<std::uint8_t>(chosen.size());
    g.bookkeeping = static_cast<float>(std::min(1.0, p.governance_bookkeeping_start * officer_skill));
    // The ties among members, each member's in the order of its row of the network, and
    // cohesion from their density.
    g.tie_begin = static_cast<std::uint32_t>(w.group_ties.size());
    for (std::size_t a = 0; a < chosen.size(); ++a)
      for (auto e : boost::make_iterator_range(boost::out_edges(chosen[a], w.net))) {
        const auto nb = static_cast<std::uint32_t>(boost::target(e, w.net));
        if (w.hh.group[nb] != static_cast<std::int32_t>(g.id)) continue;
        const auto to = std::find(chosen.begin(), chosen.end(), nb) - chosen.begin();
        w.group_ties.push_back({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(to), w.net[e]});
      }
    g.tie_end = static_cast<std::uint32_t>(w.group_ties.size());
    const auto ties = static_cast<double>(g.tie_end - g.tie_begin);
    const double pairs = static_cast<double>(chosen.size()) * static_cast<double>(chosen.size() - 1);
    g.cohesion = static_cast<float>(std::min(1.0, p.cohesion_base + p.cohesion_tie_weight * ties / pairs));
    w.groups.push_back(g);
    mentors.assign(w, w.groups.back());
  }
}

}  // namespace kube
