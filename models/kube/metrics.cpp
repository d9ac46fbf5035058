#include "models/kube/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace kube {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Monthly series, in schema order.
enum Series : std::size_t {
  M_FORMED, M_PREPARING, M_ACTIVE, M_INACTIVE, M_FUNDED, M_OFFICE_ACTIVE,
  M_FAIL_SPLIT, M_FAIL_LOSSES, M_FAIL_WITHDRAWAL, M_FAIL_CONFLICT, M_FAIL_CATASTROPHE,
  M_CAPITAL, M_IKS, M_PAYOUTS, M_CAPTURED, M_MEMBERS, M_CONTRIBUTORS,
  M_INCOME_MEMBERS, M_INCOME_MEMBERS_CF, M_TRANSFER_MEMBERS, M_RECIPIENTS, M_INCOME_POOL, M_INCOME_POOL_CF,
  M_POOR_MEMBERS, M_POOR_MEMBERS_CF, M_POOR_POOL, M_POOR_POOL_CF,
  M_GAP_MEMBERS, M_GAP_POOL, M_GAP_POOL_CF,
  M_SKILL, M_UNDERSTANDING, M_MOTIVATION, M_COHESION, M_BOOKKEEPING,
  M_VISITS, M_UNMET, M_AT_RISK, M_MENTORS,
  M_COST_FIRST,
  M_COST_TOTAL = M_COST_FIRST + N_COSTS,
  M_COUNT
};

enum Yearly : std::size_t {
  Y_ACTIVE_SHARE, Y_INCOME_GAIN, Y_LIFTED, Y_RESPONSE_MEDIAN, Y_RESPONSE_3M, Y_AT_RISK_VISITED,
  Y_REPORT_ON_TIME, Y_REPORT_ERROR, Y_REPORT_ERROR_REL, Y_COST, Y_INCOME_PER_RUPIAH, Y_COUNT
};

sim::Schema make_schema() {
  sim::Schema s;
  s.table_name = "groups";
  auto add = [](std::vector<sim::ColumnSpec>& v, std::string name, std::string unit, std::string desc,
                bool integer = false, std::vector<std::string> labels = {}) {
    v.push_back({std::move(name), std::move(unit), std::move(desc), integer, std::move(labels), std::nullopt});
  };
  auto& m = s.series;
  add(m, "groups_formed", "groups", "Groups formed so far");
  add(m, "groups_preparing", "groups", "Groups in preparation (formed, not yet funded)");
  add(m, "groups_active", "groups", "Funded groups still active (true state)");
  add(m, "groups_inactive", "groups", "Groups that became inactive so far");
  add(m, "groups_funded", "groups", "Groups funded so far");
  add(m, "office_active", "groups", "Active groups by the city office's books (unobserved groups assumed active)");
  for (int c = 1; c <= N_CAUSES; ++c)
    add(m, std::string("failures_") + cause_name(static_cast<Cause>(c)), "groups",
        std::string("Groups inactive so far by cause: ") + cause_name(static_cast<Cause>(c)));
  add(m, "capital", "Rp", "Capital of active groups, total");
  add(m, "iks", "Rp", "IKS solidarity funds of active groups, total");
  add(m, "payouts", "Rp", "Profit paid out to members this month, total");
  add(m, "captured", "Rp", "Capital diverted by capture so far");
  add(m, "members", "households", "Current members of active groups");
  add(m, "contributors", "households", "Members contributing effort this month");
  add(m, "income_members", "Rp/household/month",
      "Mean income of recipient households: base income plus the lasting program income (payouts)");
  add(m, "income_members_cf", "Rp/household/month", "Mean income of recipient households without the program");
  add(m, "transfer_members", "Rp/household/month",
      "Mean one-off transfer to recipient households this month (a shared-out grant), not counted as income");
  add(m, "recipients", "households", "Recipient households (members of a group at any time so far)");
  add(m, "income_pool", "Rp/household/month", "Mean income of all pool households");
  add(m, "income_pool_cf", "Rp/household/month", "Mean income of pool households without the program");
  add(m, "poverty_members", "share", "Share of recipient households below the poverty line");
  add(m, "poverty_members_cf", "share", "The same without the program");
  add(m, "poverty_pool", "share", "Share of pool households below the poverty line");
  add(m, "poverty_pool_cf", "share", "The same without the program");
  add(m, "poverty_gap_members", "share of line", "Mean poverty gap of recipient households");
  add(m, "poverty_gap_pool", "share of line", "Mean poverty gap of pool households");
  add(m, "poverty_gap_pool_cf", "share of line", "The same without the program");
  add(m, "skill", "0-1", "Mean skill of current members");
  add(m, "understanding", "0-1", "Mean understanding of current members");
  add(m, "motivation", "0-1", "Mean motivation of current members");
  add(m, "cohesion", "0-1", "Mean cohesion of active groups");
  add(m, "bookkeeping", "0-1", "Mean bookkeeping quality of active groups");
  add(m, "visits", "visits", "Mentor visits this month");
  add(m, "unmet_needs", "groups", "Active groups with an open need");
  add(m, "at_risk", "groups", "Groups flagged at risk awaiting a follow-up visit");
  add(m, "mentors", "mentors", "Mentors employed");
  for (int c = 0; c < N_COSTS; ++c)
    add(m, std::string("cost_") + cost_name(c), "Rp", std::string("Cumulative cost: ") + cost_name(c));
  add(m, "cost_total", "Rp", "Cumulative cost, all categories");

  auto& y = s.yearly;
  add(y, "active_share", "share", "Effectiveness: share of funded groups active at the end of the year");
  add(y, "income_gain", "Rp/household/month",
      "Effectiveness: recipients' mean monthly lasting income gain against the counterfactual (one-off transfers excluded)");
  add(y, "lifted_share", "share", "Effectiveness: share of recipients above the line only thanks to the program (mean over months)");
  add(y, "response_median", "months", "Responsiveness: median months from a need to the office's answer (answers given this year)");
  add(y, "response_within_3m", "share", "Responsiveness: share of needs raised this year answered within 3 months");
  add(y, "at_risk_visited", "share", "Responsiveness: share of at-risk flags of this year followed up within a month");
  add(y, "report_on_time", "0/1", "Accountability: the yearly report was on time", true);
  add(y, "report_error", "groups", "Accountability: reported minus true active groups");
  add(y, "report_error_rel", "share", "Accountability: report error relative to the true count");
  add(y, "cost", "Rp", "Program cost in the year");
  add(y, "income_per_rupiah", "Rp/Rp",
      "Productivity: recipients' cumulative lasting income gain, all recipient-months, per rupiah spent so far");

  std::vector<std::string> causes, types;
  for (int c = 0; c <= N_CAUSES; ++c) causes.push_back(cause_name(static_cast<Cause>(c)));
  for (int b = 0; b < N_BUSINESS; ++b) types.push_back(business_name(static_cast<BusinessType>(b)));
  auto& g = s.table;
  add(g, "replicate", "1", "Replicate index", true);
  add(g, "group", "1", "Group id within the replicate", true);
  add(g, "village", "1", "Village index (see /meta/villages)", true);
  add(g, "business", "code", "Business type", true, types);
  add(g, "cohort", "1", "Cohort index", true);
  add(g, "formed_month", "month", "Month of formation (1-based)", true);
  add(g, "funded_month", "month", "Month of disbursement (1-based), -1 if never funded", true);
  add(g, "failed_month", "month", "Month it became inactive (1-based), -1 if still active (censored)", true);
  add(g, "cause", "code", "Cause of inactivity", true, causes);
  add(g, "size_formed", "members", "Members at formation", true);
  add(g, "size_final", "members", "Members at the end (0 once inactive)", true);
  add(g, "final_capital", "Rp", "Capital at the end of the run");
  add(g, "payouts", "Rp", "Profit paid out to members over the run");
  add(g, "captured", "Rp", "Capital diverted by capture over the run");
  add(g, "label", "0/1", "Has a product label", true);
  add(g, "permit", "0/1", "Has a food permit", true);
  add(g, "mentor", "1", "Mentor index", true);
  return s;
}

}  // namespace

const sim::Schema& output_schema() {
  static const sim::Schema s = [] {
    sim::Schema made = make_schema();
    // The recorder writes by these enums: a schema out of step would write wrong columns.
    if (made.series.size() != M_COUNT || made.yearly.size() != Y_COUNT)
      throw std::logic_error("kube output schema and recorder enums disagree");
    return made;
  }();
  return s;
}

void record_month(World& w, const HouseholdTotals& t, sim::RunRecord& r) {
  const int m = w.month;
  int preparing = 0, active = 0, inactive = 0, funded = 0, members = 0, contributors = 0, unmet = 0, at_risk = 0;
  double capital = 0, iks = 0, cohesion = 0, bookkeeping = 0, paid = 0, skill = 0, und = 0, mot = 0;
  int n = 0;
  for (const auto& g : w.groups) {
    if (g.funded >= 0) ++funded;
    if (g.flagged_at >= 0 && g.stage != Stage::Inactive) ++at_risk;
    switch (g.stage) {
      case Stage::Preparing: ++preparing; break;
      case Stage::Inactive: ++inactive; break;
      case Stage::Active:
        ++active;
        members += g.members;
        contributors += g.contributors;
        capital += g.capital;
        iks += g.iks;
        cohesion += g.cohesion;
        bookkeeping += g.bookkeeping;
        if (g.need_since >= 0) ++unmet;
        for_each_member(w, g, [&](std::uint32_t h) {
          skill += w.hh.skill[h];
          und += w.hh.understanding[h];
          mot += w.hh.motivation[h];
          ++n;
        });
        break;
    }
    paid += g.payouts;
  }
  auto set = [&](std::size_t s, double v) { r.at(s, m) = v; };
  set(M_FORMED, static_cast<double>(w.groups.size()));
  set(M_PREPARING, preparing);
  set(M_ACTIVE, active);
  set(M_INACTIVE, inactive);
  set(M_FUNDED, funded);
  set(M_OFFICE_ACTIVE, office_active_count(w));
  for (int c = 1; c <= N_CAUSES; ++c) set(M_FAIL_SPLIT + static_cast<std::size_t>(c - 1), w.failures[static_cast<std::size_t>(c)]);
  set(M_CAPITAL, capital);
  set(M_IKS, iks);
  set(M_PAYOUTS, paid - w.paid_before);
  w.paid_before = paid;
  set(M_CAPTURED, w.captured_total);
  set(M_MEMBERS, members);
  set(M_CONTRIBUTORS, contributors);
  const double nm = std::max(t.n_members, 1.0), np = std::max(t.n_pool, 1.0);
  const bool any = t.n_members > 0;
  set(M_INCOME_MEMBERS, any ? t.income_members / nm : NaN);
  set(M_INCOME_MEMBERS_CF, any ? t.income_members_cf / nm : NaN);
  set(M_TRANSFER_MEMBERS, any ? t.transfer_members / nm : NaN);
  set(M_RECIPIENTS, t.n_members);
  set(M_INCOME_POOL, t.income_pool / np);
  set(M_INCOME_POOL_CF, t.income_pool_cf / np);
  set(M_POOR_MEMBERS, any ? t.poor_members / nm : NaN);
  set(M_POOR_MEMBERS_CF, any ? t.poor_members_cf / nm : NaN);
  set(M_POOR_POOL, t.poor_pool / np);
  set(M_POOR_POOL_CF, t.poor_pool_cf / np);
  set(M_GAP_MEMBERS, any ? t.gap_members / nm : NaN);
  set(M_GAP_POOL, t.gap_pool / np);
  set(M_GAP_POOL_CF, t.gap_pool_cf / np);
  set(M_SKILL, n ? skill / n : NaN);
  set(M_UNDERSTANDING, n ? und / n : NaN);
  set(M_MOTIVATION, n ? mot / n : NaN);
  set(M_COHESION, active ? cohesion / active : NaN);
  set(M_BOOKKEEPING, active ? bookkeeping / active : NaN);
  set(M_VISITS, w.visits_this_month);
  set(M_UNMET, unmet);
  set(M_AT_RISK, at_risk);
  set(M_MENTORS, static_cast<double>(w.mentors.size()));
  double total = 0;
  for (int c = 0; c < N_COSTS; ++c) {
    set(M_COST_FIRST + static_cast<std::size_t>(c), w.cost[static_cast<std::size_t>(c)]);
    total += w.cost[static_cast<std::size_t>(c)];
  }
  set(M_COST_TOTAL, total);
  auto& y = w.year();
  y.income_gain += any ? (t.income_members - t.income_members_cf) / nm : 0.0;
  y.lifted += any ? t.lifted / nm : 0.0;
  ++y.months;
}

void record_year(World& w, int year, sim::RunRecord& r) {
  yearly_report(w, year);
  auto& y = w.years[static_cast<std::size_t>(year)];
  const int last = std::min(w.month, (year + 1) * 12 - 1);
  int funded = 0, active = 0;
  for (const auto& g : w.groups) {
    if (g.funded < 0) continue;
    ++funded;
    active += g.stage == Stage::Active;
  }
  auto set = [&](std::size_t s, double v) { r.year_at(s, year) = v; };
  set(Y_ACTIVE_SHARE, funded ? static_cast<double>(active) / funded : NaN);
  set(Y_INCOME_GAIN, y.months ? y.income_gain / y.months : NaN);
  set(Y_LIFTED, y.months ? y.lifted / y.months : NaN);
  if (y.response_months.empty()) {
    set(Y_RESPONSE_MEDIAN, NaN);
  } else {
    auto v = y.response_months;
    std::sort(v.begin(), v.end());
    const auto k = v.size();
    set(Y_RESPONSE_MEDIAN, k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]));
  }
  set(Y_RESPONSE_3M, y.needs_raised ? static_cast<double>(y.answered_within_3) / y.needs_raised : NaN);
  set(Y_AT_RISK_VISITED, y.flags ? static_cast<double>(y.flags_visited_1m) / y.flags : NaN);
  set(Y_REPORT_ON_TIME, y.reports_on_time);
  set(Y_REPORT_ERROR, y.report_error);
  set(Y_REPORT_ERROR_REL, y.report_error_rel);
  const double cost_now = r.at(M_COST_TOTAL, last);
  const double cost_before = year > 0 ? r.at(M_COST_TOTAL, year * 12 - 1) : 0.0;
  set(Y_COST, cost_now - cost_before);
  // Total lasting income gained by recipients so far (each month's mean gain times that
  // month's recipients) over the total cost so far: a ratio of totals.
  double gain = 0;
  for (int m = 0; m <= last; ++m) {
    const double g = r.at(M_INCOME_MEMBERS, m) - r.at(M_INCOME_MEMBERS_CF, m);
    if (std::isfinite(g)) gain += g * r.at(M_RECIPIENTS, m);
  }
  set(Y_INCOME_PER_RUPIAH, cost_now > 0 ? gain / cost_now : NaN);
}

void record_groups(const World& w, std::uint64_t replicate, sim::RunRecord& r) {
  auto& t = r.table;
  for (auto& col : t) col.reserve(w.groups.size());
  for (const auto& g : w.groups) {
    std::size_t c = 0;
    auto put = [&](double v) { t[c++].push_back(v); };
    put(static_cast<double>(replicate));
    put(g.id);
    put(g.village);
    put(static_cast<double>(g.type));
    put(g.cohort);
    put(g.formed + 1);
    put(g.funded >= 0 ? g.funded + 1 : -1);
    put(g.failed >= 0 ? g.failed + 1 : -1);
    put(static_cast<double>(g.cause));
    put(g.size_formed);
    put(g.members);
    put(g.capital);
    put(g.payouts);
    put(g.captured);
    put(g.label);
    put(g.permit);
    put(g.mentor);
  }
}

}  // namespace kube
