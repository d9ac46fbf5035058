// The monthly mechanisms, one file each, called by the step in a fixed order (see
// model.cpp and docs/ODD.md). Each draws only from its own named streams.
#pragma once
#include "models/kube/state.h"
#include "sim/parallel.h"

namespace kube {

// agencies.cpp: labels (Disperindag) and food permits (health office), yearly quotas.
void grant_labels_and_permits(World& w);

// needs.cpp: needs arise in active groups; the provincial office decides forwarded
// proposals after a delay within a yearly capacity.
void raise_needs(World& w);
void provincial_queue(World& w);
// A mentor took the need up: the proposal goes into `forwarded`, which the caller hands to
// the province's queue in order.
void forward_need(const World& w, Group& g, std::vector<Proposal>& forwarded);

// mentoring.cpp: capacity-rationed visits (preparing groups first, then at-risk flags,
// then routine monitoring by time since the last visit) and their effects.
void mentor_visits(World& w);

// socialization.cpp: sessions before disbursement and refreshers afterwards.
void socialize(World& w);

// training.cpp: skill training in the month of disbursement.
void train(World& w, Group& g);

// disbursement.cpp: the grant reaches groups whose preparation ended; leakage; the
// decision to share the grant out. split_probability is also used in later crises.
void disburse(World& w);
double split_probability(const World& w, const Group& g);
// Failures of groups, counted by cause (World::failures, or a block's own tally).
using FailureTally = std::array<int, N_CAUSES + 1>;
void split_group(World& w, Group& g, FailureTally& failures);
inline void split_group(World& w, Group& g) { split_group(w, g, w.failures); }

// business.cpp: effort, output, shocks, profit and its allocation.
void run_businesses(World& w);

// governance.cpp: bookkeeping drift and capture by the chair.
void governance(World& w);
void discover_capture(World& w, Group& g);

// households.cpp: income, shocks (savings, IKS loan, withdrawal, cut consumption),
// savings, poverty, with the counterfactual kept alongside.
struct HouseholdTotals {
  // Incomes count the lasting program income (payouts); the one-off transfer of a
  // shared-out grant is summed apart and never counted as income.
  double income_members = 0, income_members_cf = 0, income_pool = 0, income_pool_cf = 0, transfer_members = 0;
  double poor_members = 0, poor_members_cf = 0, poor_pool = 0, poor_pool_cf = 0;
  double gap_members = 0, gap_pool = 0, gap_pool_cf = 0, lifted = 0;
  double n_members = 0, n_pool = 0;
  HouseholdTotals& operator+=(const HouseholdTotals& o) {
    income_members += o.income_members;
    income_members_cf += o.income_members_cf;
    income_pool += o.income_pool;
    income_pool_cf += o.income_pool_cf;
    transfer_members += o.transfer_members;
    poor_members += o.poor_members;
    poor_members_cf += o.poor_members_cf;
    poor_pool += o.poor_pool;
    poor_pool_cf += o.poor_pool_cf;
    gap_members += o.gap_members;
    gap_pool += o.gap_pool;
    gap_pool_cf += o.gap_pool_cf;
    lifted += o.lifted;
    n_members += o.n_members;
    n_pool += o.n_pool;
    return *this;
  }
};
HouseholdTotals run_households(World& w);

// cohesion.cpp: cohesion and conflict. membership.cpp: motivation and exit.
void update_cohesion(World& w);
void update_membership(World& w);
void remove_member(World& w, Group& g, std::uint32_t h);

// status.cpp: failure conditions; the first met gives the cause.
void update_status(World& w);
void end_group(World& w, Group& g, Cause cause, FailureTally& failures);
inline void end_group(World& w, Group& g, Cause cause) { end_group(w, g, cause, w.failures); }

// Brings a group's record, and its members' group ids and motivation (which every loop over
// groups reads), into the cache ahead of their use.
inline void prefetch_record(const Group& g) {
  const char* record = reinterpret_cast<const char*>(&g);
  for (std::size_t at = 0; at < sizeof(Group); at += 64) __builtin_prefetch(record + at);
}
inline void prefetch_members(const World& w, const Group& g) {
  for (auto i = g.member_begin; i < g.member_end; ++i) {
    __builtin_prefetch(&w.hh.group[w.members[i]]);
    __builtin_prefetch(&w.hh.motivation[w.members[i]]);
  }
}

// Adds `amount` to `sum` `times` times: the bits of a pass in group order that adds the same
// amount once per event (a session, a visit), whatever order the events were counted in.
inline void add_each(double& sum, double amount, long long times) {
  for (long long k = 0; k < times; ++k) sum += amount;
}

// Calls f(g, b) for every group g for which pred(g) holds, the groups of each block b of
// villages (World::blocks) on one of the run's threads, in group order within a block. For
// the mechanisms that touch only a group's own state and its members' (who live in its
// village): the result is the one of a single pass in group order, on any thread count.
// `ahead(g)` is called a few groups before f(g) to prefetch what else f reads.
template <typename Pred, typename F, typename Ahead>
void for_groups_by_block(World& w, Pred&& pred, F&& f, Ahead&& ahead) {
  // Each block selects its own groups from its list in id order. The selections are the
  // world's, kept from call to call so that they are not allocated anew five times a month.
  auto& by_block = w.by_block;
  by_block.resize(w.block_groups.size());
  sim::parallel_blocks(by_block.size(), [&](std::size_t b) {
    auto& ids = by_block[b];
    ids.clear();
    for (const std::uint32_t id : w.block_groups[b])
      if (pred(w.groups[id])) ids.push_back(id);
    // Groups and their members lie far apart in memory; each is brought in a few groups
    // ahead (the group's record eight ahead, its members three ahead) so that the loads do
    // not wait one by one.
    for (std::size_t k = 0; k < ids.size(); ++k) {
      if (k + 8 < ids.size()) prefetch_record(w.groups[ids[k + 8]]);
      if (k + 3 < ids.size()) {
        prefetch_members(w, w.groups[ids[k + 3]]);
        ahead(w.groups[ids[k + 3]]);
      }
      f(w.groups[ids[k]], b);
    }
  });
}
template <typename Pred, typename F>
void for_groups_by_block(World& w, Pred&& pred, F&& f) {
  for_groups_by_block(w, pred, f, [](const Group&) {});
}

// office.cpp: the city office's books and the yearly report.
void observe(World& w, Group& g);
int office_active_count(const World& w);
void yearly_report(World& w, int year);

}  // namespace kube
