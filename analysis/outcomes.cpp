#include "analysis/outcomes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/error.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double INF = std::numeric_limits<double>::infinity();
constexpr std::size_t TAIL = 12;  // months of the "last 12 months" levels
constexpr double BILLION = 1e9;   // rupiah of the "per Rp 1 billion" quantities

constexpr QuantityInfo INFO[] = {
    {"active_12", Range::share, 12},
    {"active_36", Range::share, 36},
    {"active_60", Range::share, 60},
    {"cost_per_active_36", Range::nonnegative, 36},
    {"income_gain", Range::any, 0},
    {"income_transfer", Range::nonnegative, 0},
    {"income_members", Range::nonnegative, 0},
    {"income_members_cf", Range::nonnegative, 0},
    {"income_pool", Range::nonnegative, 0},
    {"income_pool_cf", Range::nonnegative, 0},
    {"poverty_members", Range::share, 0},
    {"poverty_members_cf", Range::share, 0},
    {"poverty_change_members", Range::any, 0},
    {"poverty_pool", Range::share, 0},
    {"poverty_pool_cf", Range::share, 0},
    {"poverty_change", Range::any, 0},
    {"cost_total", Range::nonnegative, 0},
    {"cost_per_funded", Range::nonnegative, 0},
    {"cost_per_active_end", Range::nonnegative, 0},
    {"income_per_rupiah", Range::any, 0},
    {"cost_per_rupiah", Range::nonnegative, 0},
    {"active_share_end", Range::share, 0},
    {"lifted", Range::share, 0},
    {"response_median", Range::nonnegative, 0},
    {"response_3m", Range::share, 0},
    {"at_risk_visited", Range::share, 0},
    {"report_on_time", Range::share, 0},
    {"report_error", Range::any, 0},
    {"overstatement", Range::any, 0},
    {"active_36_per_billion", Range::nonnegative, 36},
    {"lifted_per_billion", Range::any, 0},
};
static_assert(std::size(INFO) == QUANTITY_COUNT);

// Costs per unit: with costs and no units (no group active, no lasting income gained) the
// cost per unit is unbounded, which is how a resample like that must rank.
bool is_cost_per_unit(std::size_t q) {
  return q == COST_PER_FUNDED || q == COST_PER_ACTIVE_END || q == COST_PER_RUPIAH || q == COST_PER_ACTIVE_36;
}

double cost_per_unit(double cost, double units) {
  if (units > 0) return cost / units;
  return cost > 0 ? INF : NaN;
}

bool finite(double v) { return std::isfinite(v); }

}  // namespace

std::vector<std::uint32_t> complete_units(std::span<const std::uint32_t> replicates, std::size_t R, std::size_t batch) {
  if (batch <= 1) return {replicates.begin(), replicates.end()};
  std::vector<std::uint32_t> units;
  std::size_t i = 0;
  for (std::size_t u = 0; u * batch < R; ++u) {
    const std::size_t first = u * batch, end = std::min(R, first + batch);
    while (i < replicates.size() && replicates[i] < first) ++i;
    std::size_t n = 0;
    while (i + n < replicates.size() && replicates[i + n] < end) ++n;
    if (n == end - first) units.push_back(static_cast<std::uint32_t>(u));
    i += n;
  }
  return units;
}

const QuantityInfo& quantity_info(std::size_t q) {
  if (q >= QUANTITY_COUNT) throw std::out_of_range("quantity_info: no quantity " + std::to_string(q));
  return INFO[q];
}

std::size_t batch_size(std::size_t replicates) {
  return replicates <= MAX_UNITS ? 1 : (replicates + MAX_UNITS - 1) / MAX_UNITS;
}

std::vector<std::uint32_t> succeeded_replicates(const ResultFile& f, std::size_t c) {
  const std::size_t R = f.replicates();
  const auto fail = f.failed();
  std::vector<std::uint32_t> out;
  for (std::size_t r = 0; r < R; ++r)
    if (!fail[c * R + r]) out.push_back(static_cast<std::uint32_t>(r));
  return out;
}

namespace {

// Funded groups among rows first .. first + count - 1 of case c's table: time since
// funding, censored at the end of the run, into the life tables, and the failures by cause.
void add_funded_rows(Outcomes& o, const ResultFile& f, std::size_t c, std::size_t first, std::size_t count) {
  const std::size_t R = f.replicates();
  const long long M = f.months();
  const auto rep = f.column("replicate", c, first, count);
  const auto funded = f.column("funded_month", c, first, count);
  const auto failed = f.column("failed_month", c, first, count);
  const auto cause = f.column("cause", c, first, count);
  for (std::size_t i = 0; i < rep.size(); ++i) {
    if (funded[i] < 0) continue;
    // Checked as a number first: a negative or huge value has no integer to convert to.
    if (!(rep[i] >= 0 && rep[i] < static_cast<double>(R)))
      throw sim::InputError(f.path().string() + ": /groups/replicate out of range (damaged file?)");
    const auto r = static_cast<std::size_t>(rep[i]);
    const bool ev = failed[i] >= 0;
    const double t = ev ? failed[i] - funded[i] : static_cast<double>(M) - funded[i];
    if (!(t >= 0 && t <= static_cast<double>(M) - funded[i]) || t != std::floor(t) ||
        funded[i] != std::floor(funded[i]))
      throw sim::InputError(f.path().string() + ": a group's funded_month and failed_month give " + std::to_string(t) +
                            " months of follow-up, outside 0 .. " + std::to_string(M) +
                            " months less the funding month (damaged file?)");
    // A cause code is a small whole number; anything else is damage.
    const double code = cause[i];
    if (ev && !(code >= 0 && code <= 1e6 && code == std::floor(code)))
      throw sim::InputError(f.path().string() +
                            ": /groups/cause of a failed group is not a cause code (damaged file?)");
    ++o.groups_funded;
    o.life.add(r / o.batch(), static_cast<long long>(t), ev, M - static_cast<long long>(funded[i]));
    // Without cause labels every failure counts as the one cause there is.
    const auto end = !ev ? 0 : o.cause_labels.empty() ? 1 : std::max<std::size_t>(1, static_cast<std::size_t>(code));
    if (end >= o.end_kinds)
      throw sim::InputError(f.path().string() + ": /groups/cause of a failed group is " + std::to_string(end) +
                            ", past the file's " + std::to_string(o.end_kinds - 1) + " causes (damaged file?)");
    ++o.ends[static_cast<std::size_t>(t) * o.end_kinds + end];
    o.max_follow_up = std::max(o.max_follow_up, t);
    if (ev) {
      ++o.failures;
      const auto k = static_cast<std::size_t>(code);
      if (k < o.by_cause.size()) ++o.by_cause[k];
    }
  }
}

// Rows of the entity table read at a time: 4 columns of 16,384 rows are 0.5 MB.
constexpr std::size_t ROWS_CHUNK = 16384;

void add_funded_groups(Outcomes& o, const ResultFile& f, std::size_t c) {
  const long long M = f.months();
  o.cause_labels = f.column_labels("cause");
  o.by_cause.assign(o.cause_labels.size(), 0);
  o.life = LifeTables(o.units(), std::max(M, 0LL));
  // The first block is always read, which checks the columns' lengths.
  const std::size_t rows = f.column_rows(c);
  o.end_kinds = std::max<std::size_t>(o.cause_labels.size(), 2);
  o.ends.assign((static_cast<std::size_t>(std::max(M, 0LL)) + 1) * o.end_kinds, 0);
  for (std::size_t first = 0; first == 0 || first < rows; first += ROWS_CHUNK) {
    const std::size_t count = std::min(ROWS_CHUNK, rows - first);
    add_funded_rows(o, f, c, first, count);
  }
}

// Replicates of series read at a time: 256 x 20 series x 120 months is 5 MB.
constexpr std::size_t SERIES_CHUNK = 256;

// One case's monthly (/series) and yearly (/yearly) matrices that the totals read.
struct CaseSeries {
  Matrix im, imc, tm, rec, ip, ipc, pm, pmc, pp, ppc, cost, fund, act, office;
  Matrix lifted, median, within3, visited, on_time, error;
};

// Rows first .. first + count - 1 of them.
CaseSeries read_series(const ResultFile& f, std::size_t c, std::size_t first, std::size_t count) {
  // Files from before the one-off transfer was kept apart from income lack these two.
  for (const char* name : {"recipients", "transfer_members"})
    if (!f.root().open_group("series").exists(name))
      throw sim::InputError(f.path().string() + ": /series/" + name +
                            " is missing: the file was written by a berdaya from before recipients and one-off "
                            "transfers were recorded apart from income. Rerun the experiment to summarize it.");
  auto series = [&](const char* name) { return f.matrix_rows("series", name, c, first, count); };
  auto yearly = [&](const char* name) { return f.matrix_rows("yearly", name, c, first, count); };
  // Braces read them in this order.
  return CaseSeries{series("income_members"),  series("income_members_cf"),  series("transfer_members"),
                    series("recipients"),      series("income_pool"),        series("income_pool_cf"),
                    series("poverty_members"), series("poverty_members_cf"), series("poverty_pool"),
                    series("poverty_pool_cf"), series("cost_total"),         series("groups_funded"),
                    series("groups_active"),   series("office_active"),      yearly("lifted_share"),
                    yearly("response_median"), yearly("response_within_3m"), yearly("at_risk_visited"),
                    yearly("report_on_time"),  yearly("report_error")};
}

// Into the totals of replicate r's unit.
void add(Outcomes& o, std::size_t q, std::size_t r, double num, double den) {
  o.totals[q].num[r / o.batch()] += num;
  o.totals[q].den[r / o.batch()] += den;
}

// A value of replicate r as its own total (weight 1), if finite.
void add_one(Outcomes& o, std::size_t q, std::size_t r, double v) {
  if (finite(v)) add(o, q, r, v, 1);
}

// A mean over the finite cells of row r of m from column `from`, as one replicate's value.
double row_mean(const Matrix& m, std::size_t r, std::size_t from) {
  double s = 0;
  int n = 0;
  for (std::size_t k = from; k < m.cols; ++k)
    if (finite(m.at(r, k))) s += m.at(r, k), ++n;
  return n ? s / n : NaN;
}

// Recipients' incomes, transfers and poverty: each month weighs by its recipients, so the
// ratios are per recipient-month. Returns the replicate's lasting income gain (the
// numerator of INCOME_GAIN it added).
double add_recipient_months(Outcomes& o, const CaseSeries& s, std::uint32_t r, std::size_t first_tail) {
  const double tail_months = static_cast<double>(s.im.cols - first_tail);
  double gain = 0;
  for (std::size_t k = 0; k < s.im.cols; ++k) {
    const double n = s.rec.at(r, k);
    if (!(n > 0)) continue;
    const bool tail = k >= first_tail;
    if (finite(s.im.at(r, k)) && finite(s.imc.at(r, k))) {
      const double g = (s.im.at(r, k) - s.imc.at(r, k)) * n;
      add(o, INCOME_GAIN, r, g, n);
      gain += g;
      if (tail) {
        add(o, INCOME_MEMBERS, r, s.im.at(r, k) * n, n);
        add(o, INCOME_MEMBERS_CF, r, s.imc.at(r, k) * n, n);
      }
    }
    if (finite(s.tm.at(r, k))) add(o, INCOME_TRANSFER, r, s.tm.at(r, k) * n, n);
    if (tail && finite(s.pm.at(r, k)) && finite(s.pmc.at(r, k))) {
      add(o, POVERTY_MEMBERS, r, s.pm.at(r, k) * n, n);
      add(o, POVERTY_MEMBERS_CF, r, s.pmc.at(r, k) * n, n);
      add(o, POVERTY_CHANGE_MEMBERS, r, (s.pm.at(r, k) - s.pmc.at(r, k)) * n, n);
      // Households lifted in a month, averaged over the tail; its denominator is the cost.
      o.totals[LIFTED_PER_BILLION].num[r / o.batch()] += (s.pmc.at(r, k) - s.pm.at(r, k)) * n / tail_months;
    }
  }
  return gain;
}

// The pool's levels over the last months: one value per replicate (every replicate has
// its pool).
void add_pool_levels(Outcomes& o, const CaseSeries& s, std::uint32_t r, std::size_t first_tail) {
  add_one(o, INCOME_POOL, r, row_mean(s.ip, r, first_tail));
  add_one(o, INCOME_POOL_CF, r, row_mean(s.ipc, r, first_tail));
  const double pov = row_mean(s.pp, r, first_tail), pov_cf = row_mean(s.ppc, r, first_tail);
  add_one(o, POVERTY_POOL, r, pov);
  add_one(o, POVERTY_POOL_CF, r, pov_cf);
  add_one(o, POVERTY_CHANGE, r, pov - pov_cf);
  o.poverty_pool_tail[r] = pov;
}

// Costs and groups at the end of the run; `gain` is the replicate's lasting income gain
// (add_recipient_months), which the costs per rupiah divide by.
void add_end_of_run(Outcomes& o, const CaseSeries& s, std::uint32_t r, double gain) {
  const std::size_t cols = s.im.cols;
  const double c_end = cols ? s.cost.at(r, cols - 1) : NaN, f_end = cols ? s.fund.at(r, cols - 1) : NaN;
  const double a_end = cols ? s.act.at(r, cols - 1) : NaN, o_end = cols ? s.office.at(r, cols - 1) : NaN;
  if (finite(c_end)) {
    add_one(o, COST_TOTAL, r, c_end);
    if (finite(f_end)) add(o, COST_PER_FUNDED, r, c_end, f_end), add(o, COST_PER_ACTIVE_36, r, c_end, f_end);
    if (finite(a_end)) add(o, COST_PER_ACTIVE_END, r, c_end, a_end);
    add(o, INCOME_PER_RUPIAH, r, gain, c_end);
    add(o, COST_PER_RUPIAH, r, c_end, gain);
    o.totals[LIFTED_PER_BILLION].den[r / o.batch()] += c_end / BILLION;
    if (finite(f_end)) add(o, ACTIVE_36_PER_BILLION, r, f_end, c_end / BILLION);
  }
  if (finite(a_end) && finite(f_end)) add(o, ACTIVE_SHARE_END, r, a_end, f_end);
  if (finite(o_end) && finite(a_end) && f_end > 0) add(o, OVERSTATEMENT, r, o_end - a_end, 1);
}

// Yearly indicators, pooled over replicate-years. The lifted share of a year weighs by the
// year's recipient-months.
void add_yearly(Outcomes& o, const CaseSeries& s, std::uint32_t r) {
  const std::size_t cols = s.im.cols;
  for (std::size_t y = 0; y < s.lifted.cols; ++y) {
    double months = 0;
    for (std::size_t k = 12 * y; k < std::min(cols, 12 * y + 12); ++k)
      if (s.rec.at(r, k) > 0) months += s.rec.at(r, k);
    if (finite(s.lifted.at(r, y)) && months > 0) add(o, LIFTED, r, s.lifted.at(r, y) * months, months);
    auto year = [&](std::size_t q, const Matrix& m) {
      if (finite(m.at(r, y))) add(o, q, r, m.at(r, y), 1);
    };
    year(RESPONSE_MEDIAN, s.median);
    year(RESPONSE_3M, s.within3);
    year(AT_RISK_VISITED, s.visited);
    if (s.on_time.at(r, y) >= 0) add(o, REPORT_ON_TIME, r, s.on_time.at(r, y), 1);
    year(REPORT_ERROR, s.error);
  }
}

}  // namespace

Outcomes outcomes(const ResultFile& f, std::size_t c) {
  Outcomes o;
  const std::size_t R = f.replicates();
  o.replicates = R;
  const std::size_t U = o.units();
  o.succeeded = succeeded_replicates(f, c);
  o.failed_runs = static_cast<long long>(R - o.succeeded.size());
  add_funded_groups(o, f, c);

  for (auto& t : o.totals) t.num.assign(U, 0.0), t.den.assign(U, 0.0);
  o.poverty_pool_tail.assign(R, NaN);
  // The series a chunk of replicates at a time, so that what is held does not grow with
  // the replicates; the first chunk is always read, which checks the file's shapes.
  std::size_t next = 0;  // into o.succeeded, which is in replicate order
  for (std::size_t first = 0; first < std::max<std::size_t>(R, 1); first += SERIES_CHUNK) {
    const std::size_t count = std::min(SERIES_CHUNK, R - first);
    if (first > 0 && (next == o.succeeded.size() || o.succeeded[next] >= first + count)) continue;
    const CaseSeries s = read_series(f, c, first, count);
    const std::size_t cols = s.im.cols, first_tail = cols > TAIL ? cols - TAIL : 0;
    for (; next < o.succeeded.size() && o.succeeded[next] < first + count; ++next) {
      const std::uint32_t r = o.succeeded[next];
      const double gain = add_recipient_months(o, s, r, first_tail);
      add_pool_levels(o, s, r, first_tail);
      add_end_of_run(o, s, r, gain);
      add_yearly(o, s, r);
    }
  }
  return o;
}

void set_counterfactual(Outcomes& o, const Outcomes& cf) {
  auto& t = o.totals[POVERTY_CHANGE];
  const std::size_t R = o.poverty_pool_tail.size();
  if (cf.poverty_pool_tail.size() != R || cf.batch() != o.batch())
    throw std::invalid_argument("set_counterfactual: replicate counts differ");
  std::fill(t.num.begin(), t.num.end(), 0.0);
  std::fill(t.den.begin(), t.den.end(), 0.0);
  // Replicates where both runs have the pool's headcount.
  for (std::size_t r = 0; r < R; ++r)
    if (finite(o.poverty_pool_tail[r]) && finite(cf.poverty_pool_tail[r]))
      add(o, POVERTY_CHANGE, r, o.poverty_pool_tail[r] - cf.poverty_pool_tail[r], 1.0);
}

void evaluate(const Outcomes& o, std::span<const std::uint32_t> reps, std::vector<double>& out, PooledCurve& curve) {
  out.assign(QUANTITY_COUNT, NaN);
  double groups = 0;
  for (std::uint32_t r : reps) groups += o.life.groups(r);
  if (groups > 0) {
    o.life.pool(reps, curve);
    for (std::size_t q : {ACTIVE_12, ACTIVE_36, ACTIVE_60}) out[q] = curve.survival_at(INFO[q].horizon);
  } else {
    curve = PooledCurve{};
  }
  for (std::size_t q = COST_PER_ACTIVE_36; q < QUANTITY_COUNT; ++q) {
    const auto& t = o.totals[q];
    double num = 0, den = 0;
    for (std::uint32_t r : reps) num += t.num[r], den += t.den[r];
    // Groups expected active 36 months after funding.
    if (q == COST_PER_ACTIVE_36) den *= out[ACTIVE_36];
    if (q == ACTIVE_36_PER_BILLION) num *= out[ACTIVE_36];
    if (is_cost_per_unit(q))
      out[q] = std::isnan(den) ? NaN : cost_per_unit(num, den);
    else
      out[q] = den > 0 ? num / den : NaN;
  }
}

}  // namespace analysis
