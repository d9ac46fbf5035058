#include "models/kube/metrics.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kube {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// The tokens of output_list.h.
constexpr bool is_integer_REAL = false, is_integer_INT = true;
constexpr auto NO_MISSING = std::nullopt;
std::vector<std::string> labels_NONE() { return {}; }
std::vector<std::string> labels_CAUSES() {
  std::vector<std::string> out;
  for (int c = 0; c <= N_CAUSES; ++c) out.push_back(cause_name(static_cast<Cause>(c)));
  return out;
}
std::vector<std::string> labels_BUSINESS() {
  std::vector<std::string> out;
  for (int b = 0; b < N_BUSINESS; ++b) out.push_back(business_name(static_cast<BusinessType>(b)));
  return out;
}

#define KUBE_OUTPUT_NAME(id, name, unit, type, labels, missing, desc) std::string_view(name),
constexpr std::string_view SERIES_NAMES[] = {KUBE_SERIES(KUBE_OUTPUT_NAME)};
constexpr std::string_view YEARLY_NAMES[] = {KUBE_YEARLY(KUBE_OUTPUT_NAME)};
constexpr std::string_view GROUP_NAMES[] = {KUBE_GROUPS(KUBE_OUTPUT_NAME)};
#undef KUBE_OUTPUT_NAME

template <std::size_t N>
constexpr bool distinct(const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t j = i + 1; j < N; ++j)
      if (names[i] == names[j]) return false;
  return true;
}
static_assert(std::size(SERIES_NAMES) == M_COUNT && std::size(YEARLY_NAMES) == Y_COUNT &&
              std::size(GROUP_NAMES) == G_COUNT);
static_assert(distinct(SERIES_NAMES) && distinct(YEARLY_NAMES) && distinct(GROUP_NAMES),
              "output_list.h: a column name is declared twice in one part of the schema");

sim::Schema make_schema() {
  sim::Schema s;
  s.table_name = "groups";
#define KUBE_OUTPUT_SPEC(id, name, unit, type, labels, missing, desc) \
  sim::ColumnSpec{name, unit, desc, is_integer_##type, labels_##labels(), std::optional<double>(missing)},
  s.series = {KUBE_SERIES(KUBE_OUTPUT_SPEC)};
  s.yearly = {KUBE_YEARLY(KUBE_OUTPUT_SPEC)};
  s.table = {KUBE_GROUPS(KUBE_OUTPUT_SPEC)};
#undef KUBE_OUTPUT_SPEC
  // The failures_* and cost_* series are written by cause and category index: their
  // names must follow the order of Cause and CostCategory.
  for (int c = 1; c <= N_CAUSES; ++c)
    if (s.series[M_FAIL_SPLIT + static_cast<std::size_t>(c - 1)].name !=
        std::string("failures_") + cause_name(static_cast<Cause>(c)))
      throw std::logic_error("output_list.h: the failures_* series are out of the order of Cause");
  for (int c = 0; c < N_COSTS; ++c)
    if (s.series[M_COST_GRANTS + static_cast<std::size_t>(c)].name != std::string("cost_") + cost_name(c))
      throw std::logic_error("output_list.h: the cost_* series are out of the order of CostCategory");
  return s;
}

}  // namespace

const sim::Schema& output_schema() {
  static const sim::Schema s = make_schema();
  return s;
}

void record_month(World& w, const HouseholdTotals& t, sim::RunRecord& r) {
  const int m = w.month;
  int preparing = 0, active = 0, inactive = 0, funded = 0, members = 0, contributors = 0, unmet = 0, at_risk = 0;
  double capital = 0, iks = 0, cohesion = 0, bookkeeping = 0, paid = 0;
  for (const Group& g : w.groups) {
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
        break;
    }
    paid += g.payouts;
  }
  // The members' traits, scattered over the households, by block on the run's threads and
  // added in block order (the same bits on any thread count). A line of its own for each
  // block's sums, which its thread writes per member.
  struct alignas(64) Traits {
    double skill = 0, und = 0, mot = 0;
    int n = 0;
  };
  std::vector<Traits> part(block_count(w));
  for_groups_by_block(
      w, [](const Group& g) { return g.stage == Stage::Active; },
      [&](const Group& g, std::size_t b) {
        Traits& a = part[b];
        for_each_member(w, g, [&](std::uint32_t h) {
          a.skill += w.hh.skill[h];
          a.und += w.hh.understanding[h];
          a.mot += w.hh.motivation[h];
          ++a.n;
        });
      },
      [&](const Group& g) {
        for (auto i = g.member_begin; i < g.member_end; ++i) {
          __builtin_prefetch(&w.hh.skill[w.members[i]]);
          __builtin_prefetch(&w.hh.understanding[w.members[i]]);
        }
      });
  double skill = 0, und = 0, mot = 0;
  int n = 0;
  for (const Traits& a : part) {
    skill += a.skill;
    und += a.und;
    mot += a.mot;
    n += a.n;
  }
  auto set = [&](std::size_t s, double v) { r.at(s, m) = v; };
  set(M_FORMED, static_cast<double>(w.groups.size()));
  set(M_PREPARING, preparing);
  set(M_ACTIVE, active);
  set(M_INACTIVE, inactive);
  set(M_FUNDED, funded);
  set(M_OFFICE_ACTIVE, office_active_count(w));
  for (int c = 1; c <= N_CAUSES; ++c)
    set(M_FAIL_SPLIT + static_cast<std::size_t>(c - 1), w.failures[static_cast<std::size_t>(c)]);
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
    set(M_COST_GRANTS + static_cast<std::size_t>(c), w.cost[static_cast<std::size_t>(c)]);
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
  if (t.size() != G_COUNT) throw std::logic_error("record_groups: the record was not sized by output_schema()");
  for (auto& col : t) col.reserve(w.groups.size());
  for (const auto& g : w.groups) {
    auto put = [&](GroupColumn c, double v) { t[c].push_back(v); };
    put(G_REPLICATE, static_cast<double>(replicate));
    put(G_GROUP, g.id);
    put(G_VILLAGE, g.village);
    put(G_BUSINESS, static_cast<double>(g.type));
    put(G_COHORT, g.cohort);
    put(G_FORMED_MONTH, g.formed + 1);
    put(G_FUNDED_MONTH, g.funded >= 0 ? g.funded + 1 : -1);
    put(G_FAILED_MONTH, g.failed >= 0 ? g.failed + 1 : -1);
    put(G_CAUSE, static_cast<double>(g.cause));
    put(G_SIZE_FORMED, g.size_formed);
    put(G_SIZE_FINAL, g.members);
    put(G_FINAL_CAPITAL, g.capital);
    put(G_PAYOUTS, g.payouts);
    put(G_CAPTURED, g.captured);
    put(G_LABEL, g.label);
    put(G_PERMIT, g.permit);
    put(G_MENTOR, g.mentor);
  }
  // Every column written once per group: one left out would leave the table ragged.
  for (std::size_t c = 0; c < G_COUNT; ++c)
    if (t[c].size() != w.groups.size())
      throw std::logic_error("record_groups: column " + output_schema().table[c].name +
                             " was not written for every group");
}

}  // namespace kube
