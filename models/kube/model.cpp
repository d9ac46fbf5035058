#include "models/kube/model.h"

#include "models/kube/formation.h"
#include "models/kube/metrics.h"
#include "models/kube/population.h"

namespace kube {

const char* cause_name(Cause c) {
  switch (c) {
    case Cause::None: return "none";
    case Cause::GrantSplit: return "grant_split";
    case Cause::BusinessLosses: return "business_losses";
    case Cause::MemberWithdrawal: return "member_withdrawal";
    case Cause::Conflict: return "conflict";
    case Cause::Catastrophe: return "catastrophe";
  }
  return "?";
}

const char* business_name(BusinessType b) {
  switch (b) {
    case BusinessType::Livestock: return "livestock";
    case BusinessType::Food: return "food";
    case BusinessType::Trade: return "trade";
    case BusinessType::Services: return "services";
    case BusinessType::Crafts: return "crafts";
  }
  return "?";
}

const char* cost_name(int c) {
  static const char* names[N_COSTS] = {"grants",  "socialization", "training", "visits",
                                       "mentors", "labels",        "equipment"};
  return c >= 0 && c < N_COSTS ? names[c] : "?";
}

const char* stream_name(StreamId s) {
  switch (s) {
    case STREAM_POPULATION: return "population";
    case STREAM_NETWORK_VILLAGE: return "network_village";
    case STREAM_NETWORK_CROSS: return "network_cross";
    case STREAM_MENTOR_HIRING: return "mentor_hiring";
    case STREAM_FORMATION: return "formation";
    case STREAM_SOCIALIZATION: return "socialization";
    case STREAM_SPLIT_DISBURSEMENT: return "split_disbursement";
    case STREAM_SPLIT_CRISIS: return "split_crisis";
    case STREAM_BUSINESS_SHOCKS: return "business_shocks";
    case STREAM_VILLAGE_SHOCKS: return "village_shocks";
    case STREAM_CAPTURE: return "capture";
    case STREAM_VISIT_DISCOVERY: return "visit_discovery";
    case STREAM_COHESION: return "cohesion";
    case STREAM_MEMBERSHIP: return "membership";
    case STREAM_NEEDS: return "needs";
    case STREAM_PROVINCE: return "province";
    case STREAM_HOUSEHOLD_SHOCKS: return "household_shocks";
    case N_STREAMS: break;
  }
  return "?";
}

const sim::Schema& schema() { return output_schema(); }

sim::Labels labels(const Params& p) {
  World w(p, 0, 0);
  build_villages(w);
  sim::Labels out;
  for (int c = 0; c <= N_CAUSES; ++c) out["causes"].push_back(cause_name(static_cast<Cause>(c)));
  for (int b = 0; b < N_BUSINESS; ++b) out["business_types"].push_back(business_name(static_cast<BusinessType>(b)));
  for (int c = 0; c < N_COSTS; ++c) out["cost_categories"].push_back(cost_name(c));
  for (const auto& v : w.villages) {
    out["villages"].push_back(v.name);
    out["village_districts"].push_back(v.district);
    out["village_households"].push_back(std::to_string(v.count));
  }
  return out;
}

void init_world(World& w) {
  build_villages(w);
  build_households(w);
  build_network(w);
  w.years.assign(static_cast<std::size_t>((w.p.run_months + 11) / 12), YearTally{});
  w.month = 0;
}

HouseholdTotals step(World& w) {
  w.visits_this_month = 0;
  // 1. Agencies: cohorts and verification, the provincial queue, labels and permits.
  // Needs arise at the start of the month, so a visit this month can take one up.
  form_cohort(w);
  provincial_queue(w);
  grant_labels_and_permits(w);
  raise_needs(w);
  // 2. Mentors visit within capacity; sessions are held.
  mentor_visits(w);
  socialize(w);
  // 3. Disbursement and the grant-split decision.
  disburse(w);
  // 4. Group business and governance.
  run_businesses(w);
  governance(w);
  // 5. Households.
  HouseholdTotals t = run_households(w);
  // 6. Social dynamics.
  update_membership(w);
  update_cohesion(w);
  // 7. Status.
  update_status(w);
  return t;
}

void step_and_record(World& w, sim::RunRecord& r) {
  const HouseholdTotals t = step(w);
  // 8. Record.
  record_month(w, t, r);
  if ((w.month + 1) % 12 == 0 || w.month + 1 == w.p.run_months) record_year(w, w.month / 12, r);
}

sim::RunRecord run(const Params& p, std::uint64_t seed, std::uint64_t replicate) {
  World w(p, seed, replicate);
  init_world(w);
  sim::RunRecord r;
  r.resize(schema(), static_cast<int>(p.run_months));
  for (w.month = 0; w.month < p.run_months; ++w.month) step_and_record(w, r);
  --w.month;
  record_groups(w, replicate, r);
  return r;
}

}  // namespace kube
