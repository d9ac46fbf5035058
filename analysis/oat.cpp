#include "analysis/oat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <boost/random/uniform_int_distribution.hpp>

#include "analysis/format.h"
#include "analysis/results.h"
#include "sim/error.h"
#include "sim/random.h"

namespace analysis {

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// Linear-interpolation quantile of sorted values (Hyndman & Fan 1996, type 7, R's default).
double quantile_sorted(const std::vector<double>& v, double p) {
  if (v.empty()) return NaN;
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - std::floor(h)) * (v[hi] - v[lo]);
}

// Percentile interval of the finite resampled values; NaN when fewer than half are finite
// (the statistic is then too often undefined for an interval to mean anything).
void percentile_interval(std::vector<double> boot, std::size_t resamples, Change& c, double level = 0.95) {
  boot.erase(std::remove_if(boot.begin(), boot.end(), [](double v) { return !std::isfinite(v); }), boot.end());
  if (boot.empty() || 2 * boot.size() < resamples) return;
  std::sort(boot.begin(), boot.end());
  const double tail = (1 - level) / 2;
  c.lo = quantile_sorted(boot, tail);
  c.hi = quantile_sorted(boot, 1 - tail);
}

// One point's replicates reduced to what the two statistics need.
struct PointData {
  PooledSurvival survival;
  std::vector<double> gain, recipient_months;  // per replicate
  std::vector<double> ok;                      // 1 where the run succeeded
  long long failed = 0;

  double active(const std::vector<double>& w) const { return survival.at(w); }
  double income(const std::vector<double>& w) const { return pooled_ratio(gain, recipient_months, w); }
};

PointData read_point(const ResultFile& f, std::size_t c) {
  const std::size_t R = f.replicates();
  const auto months = static_cast<double>(f.months());
  const auto failed_runs = f.failed();
  // Follow-up of funded groups, as analysis::outcomes counts it.
  const auto rep = f.column("replicate", c);
  const auto funded = f.column("funded_month", c);
  const auto failed = f.column("failed_month", c);
  std::vector<std::vector<double>> times(R);
  std::vector<std::vector<int>> events(R);
  for (std::size_t i = 0; i < rep.size(); ++i) {
    if (funded[i] < 0) continue;
    const auto r = static_cast<std::size_t>(rep[i]);
    if (r >= R) throw sim::InputError(f.path().string() + ": /groups/replicate out of range (damaged file?)");
    const bool ev = failed[i] >= 0;
    times[r].push_back(ev ? failed[i] - funded[i] : months - funded[i]);
    events[r].push_back(ev ? 1 : 0);
  }
  PointData d{PooledSurvival(times, events, OAT_HORIZON), std::vector<double>(R, 0.0), std::vector<double>(R, 0.0),
              std::vector<double>(R, 0.0), 0};
  const Matrix a = f.matrix("series", "income_members", c), b = f.matrix("series", "income_members_cf", c),
               n = f.matrix("series", "recipients", c);
  for (std::size_t r = 0; r < R; ++r) {
    const bool ok = failed_runs[c * R + r] == 0;
    d.ok[r] = ok ? 1.0 : 0.0;
    d.failed += ok ? 0 : 1;
    for (std::size_t m = 0; ok && m < a.cols; ++m) {
      const double g = a.at(r, m) - b.at(r, m), k = n.at(r, m);
      if (!std::isfinite(g) || !std::isfinite(k)) continue;
      d.gain[r] += g * k;
      d.recipient_months[r] += k;
    }
  }
  return d;
}

// a[i] b[i]: resample multiplicities masked to the runs that succeeded.
std::vector<double> masked(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) out[i] = a[i] * b[i];
  return out;
}

// The change from the reference to a point of one statistic, at the replicates where both
// ran, and its bootstrap interval; each resample weights both sides alike.
// A statistic of the reference point on every resample, computed once for all points
// whose runs all succeeded where the reference's did.
struct ReferenceBoot {
  double value = NaN;
  std::vector<double> boot;
};

template <class Stat>
ReferenceBoot reference_boot(const PointData& ref, const std::vector<std::vector<double>>& weights, Stat stat) {
  ReferenceBoot out;
  out.value = stat(ref, ref.ok);
  for (const auto& w : weights) out.boot.push_back(stat(ref, masked(w, ref.ok)));
  return out;
}

template <class Stat>
Change paired_change(const PointData& ref, const ReferenceBoot& cached, const PointData& point,
                     const std::vector<std::vector<double>>& weights, Stat stat) {
  const std::vector<double> mask = masked(ref.ok, point.ok);
  const bool same = mask == ref.ok;
  Change c;
  c.value = stat(point, mask) - (same ? cached.value : stat(ref, mask));
  std::vector<double> boot;
  boot.reserve(weights.size());
  for (std::size_t b = 0; b < weights.size(); ++b) {
    const auto wm = masked(weights[b], mask);
    boot.push_back(stat(point, wm) - (same ? cached.boot[b] : stat(ref, wm)));
  }
  percentile_interval(std::move(boot), weights.size(), c);
  return c;
}

Change own_value(const ReferenceBoot& r, std::size_t resamples) {
  Change c;
  c.value = r.value;
  percentile_interval(r.boot, resamples, c);
  return c;
}

std::string change_label(const std::string& scale, double reference, double value, double fraction,
                         const std::string& reference_text) {
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.4g%%", 100 * fraction);
  if (scale == "boolean" || reference_text == "true" || reference_text == "false") return "flipped";
  if (scale != "linear") return "other option";
  if (reference == 0) return std::string(value < 0 ? "-" : "+") + pct + " of range";
  return std::string(value / reference < 1 ? "-" : "+") + pct;
}

// Whole numbers with thousands separators: 21,345.
std::string grouped(double v, bool sign) {
  if (!std::isfinite(v)) return "n/a";
  const long long n = std::llround(std::fabs(v));
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (v < 0 && n != 0 ? "-" : sign ? "+" : "") + out;
}

std::string pp(double share, bool sign) { return format::number(100 * share, sign ? "%+.1f" : "%.1f"); }

std::string with_interval(const Change& c, bool percent_points, bool sign) {
  if (!std::isfinite(c.value)) return "n/a";
  auto f = [&](double v) { return percent_points ? pp(v, sign) : grouped(v, sign); };
  return f(c.value) + " [" + f(c.lo) + ", " + f(c.hi) + "]";
}

// A share as "42.8% [41.0, 44.7]".
std::string share_with_interval(const Change& c) {
  if (!std::isfinite(c.value)) return "n/a";
  return pp(c.value, false) + "% [" + pp(c.lo, false) + ", " + pp(c.hi, false) + "]";
}

std::string json_change(const Change& c) {
  return "{\"value\": " + format::json_number(c.value) + ", \"lo\": " + format::json_number(c.lo) +
         ", \"hi\": " + format::json_number(c.hi) + "}";
}

// A JSON value from its text: numbers and booleans as they are, anything else quoted.
std::string json_value(const std::string& text) {
  if (text == "true" || text == "false") return text;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (!text.empty() && end && *end == '\0' && std::isfinite(v)) return text;
  return format::json_string(text);
}

const char* LEAD_PAIRED =
    "Each change is paired with the reference point by replicate: every point shares the reference's households "
    "and shocks (common random numbers).";
const char* LEAD_MC =
    "Intervals [95% MC]: percentile bootstrap over replicates, the same replicates drawn for the point and the "
    "reference. They show simulation (Monte Carlo) precision only, not uncertainty about the parameters.";
const char* LEAD_OUTCOMES =
    "Survival: groups active 36 months after funding, Kaplan-Meier pooled over the replicates' funded groups, "
    "change in percentage points. Income: recipients' lasting income gain per recipient-month (income minus "
    "income without the program, times recipients, over recipient-months; a shared-out grant is not income), "
    "change in Rp.";

}  // namespace

PooledSurvival::PooledSurvival(const std::vector<std::vector<double>>& time, const std::vector<std::vector<int>>& event,
                               double horizon)
    : horizon_(horizon), max_follow_up_(time.size(), -std::numeric_limits<double>::infinity()) {
  std::vector<double> grid;
  for (std::size_t r = 0; r < time.size(); ++r)
    for (std::size_t i = 0; i < time[r].size(); ++i) {
      max_follow_up_[r] = std::max(max_follow_up_[r], time[r][i]);
      if (event[r][i] && time[r][i] <= horizon) grid.push_back(time[r][i]);
    }
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  times_ = grid.size();
  events_.assign(time.size() * times_, 0.0);
  at_risk_.assign(time.size() * times_, 0.0);
  for (std::size_t r = 0; r < time.size(); ++r)
    for (std::size_t i = 0; i < time[r].size(); ++i) {
      const double t = time[r][i];
      // At risk at every event time up to its own; an event at its own time.
      const auto end = static_cast<std::size_t>(std::upper_bound(grid.begin(), grid.end(), t) - grid.begin());
      for (std::size_t k = 0; k < end; ++k) at_risk_[r * times_ + k] += 1;
      if (event[r][i] && end > 0 && grid[end - 1] == t) events_[r * times_ + end - 1] += 1;
    }
}

double PooledSurvival::at(const std::vector<double>& weight) const {
  double s = 1.0, follow_up = -std::numeric_limits<double>::infinity();
  for (std::size_t r = 0; r < weight.size() && r < max_follow_up_.size(); ++r)
    if (weight[r] > 0) follow_up = std::max(follow_up, max_follow_up_[r]);
  if (!std::isfinite(follow_up)) return NaN;  // no groups at all
  for (std::size_t k = 0; k < times_; ++k) {
    double d = 0, n = 0;
    for (std::size_t r = 0; r < max_follow_up_.size(); ++r) {
      const double w = r < weight.size() ? weight[r] : 0.0;
      if (w == 0) continue;
      d += w * events_[r * times_ + k];
      n += w * at_risk_[r * times_ + k];
    }
    if (d > 0) s *= 1.0 - d / n;
  }
  // Once every group has ended, S stays 0; otherwise it is unknown past the follow-up.
  if (s <= 0) return 0.0;
  return horizon_ > follow_up ? NaN : s;
}

double pooled_ratio(const std::vector<double>& num, const std::vector<double>& den, const std::vector<double>& weight) {
  double a = 0, b = 0;
  for (std::size_t r = 0; r < num.size() && r < weight.size(); ++r) {
    if (weight[r] == 0) continue;
    a += weight[r] * num[r];
    b += weight[r] * den[r];
  }
  return b > 0 ? a / b : NaN;
}

std::vector<std::vector<double>> bootstrap_weights(std::size_t replicates, int resamples, std::uint64_t seed) {
  std::vector<std::vector<double>> out;
  if (replicates == 0) return out;
  // Its own key, apart from the model's streams and Sobol's bootstrap ("oat-boot").
  sim::Stream rng(sim::combine(0x6f61742d626f6f74ULL, seed));
  boost::random::uniform_int_distribution<std::size_t> pick(0, replicates - 1);
  for (int b = 0; b < resamples; ++b) {
    std::vector<double> w(replicates, 0.0);
    for (std::size_t i = 0; i < replicates; ++i) w[pick(rng)] += 1;
    out.push_back(std::move(w));
  }
  return out;
}

bool is_oat(const std::filesystem::path& file) {
  const ResultFile f(file);
  return f.kind() == "sweep" && f.root().exists("design") && f.root().open_group("design").attr_string("kind") == "oat";
}

OatSummary oat_summary(const std::filesystem::path& file) {
  const ResultFile f(file);
  if (f.kind() != "sweep" || !f.root().exists("design") || f.root().open_group("design").attr_string("kind") != "oat")
    throw sim::InputError(file.string() + ": not a one-at-a-time screen (written by 'berdaya sensitivity'); "
                          "'berdaya summary' prints its table.");
  const auto d = f.root().open_group("design");
  OatSummary s;
  s.file = file.string();
  s.experiment = f.attr("experiment");
  s.scenario = f.attr("scenario");
  s.created = f.attr("created");
  s.git_commit = f.attr("git_commit");
  s.fraction = d.attr_double("fraction");
  s.points = static_cast<long long>(f.cases().size());
  s.replicates = static_cast<long long>(f.replicates());
  s.seed = f.root().attr_int("seed");
  s.months = f.months();
  const auto factors = d.open("factor").read_strings();
  s.parameters = static_cast<long long>(factors.size());
  const auto values = d.open("value").read_f64();
  const auto block = d.open("block").read_f64();
  const auto scale = d.open("scale").read_strings();
  const auto point_text = d.open("point_text").read_strings();
  const auto reference_text = d.open("reference_text").read_strings();
  if (d.exists("skipped")) s.skipped = d.open("skipped").read_strings();
  const std::size_t P = f.cases().size(), K = factors.size();
  if (block.size() != P || point_text.size() != P || reference_text.size() != K || values.size() != P * K || P == 0 ||
      block[0] != -1)
    throw sim::InputError(file.string() + ": /design does not describe a one-at-a-time screen (damaged file?)");

  const auto weights = bootstrap_weights(f.replicates(), s.resamples, static_cast<std::uint64_t>(s.seed));
  auto active = [](const PointData& p, const std::vector<double>& w) { return p.active(w); };
  auto income = [](const PointData& p, const std::vector<double>& w) { return p.income(w); };
  const PointData ref = read_point(f, 0);
  s.failed_runs = ref.failed;
  const ReferenceBoot ref_active = reference_boot(ref, weights, active), ref_income = reference_boot(ref, weights, income);
  s.reference_active_36 = own_value(ref_active, weights.size());
  s.reference_income_gain = own_value(ref_income, weights.size());
  s.reference_change_active_36 = paired_change(ref, ref_active, ref, weights, active);
  s.reference_change_income_gain = paired_change(ref, ref_income, ref, weights, income);
  for (std::size_t p = 1; p < P; ++p) {
    if (!(block[p] >= 0 && block[p] < static_cast<double>(K)))
      throw sim::InputError(file.string() + ": /design/block names no factor at point " + std::to_string(p));
    const auto j = static_cast<std::size_t>(block[p]);
    if (j >= K) throw sim::InputError(file.string() + ": /design/block names no factor at point " + std::to_string(p));
    const PointData data = read_point(f, p);
    OatRow row;
    row.point = p;
    row.parameter = factors[j];
    row.value = point_text[p];
    row.reference = reference_text[j];
    row.change = change_label(scale[j], values[j], values[p * K + j], s.fraction, row.reference);
    row.failed_runs = data.failed;
    s.failed_runs += data.failed;
    row.active_36 = paired_change(ref, ref_active, data, weights, active);
    row.income_gain = paired_change(ref, ref_income, data, weights, income);
    s.rows.push_back(std::move(row));
  }
  // Largest absolute change in survival first, undefined ones last; then by income.
  auto key = [](const Change& c) { return std::isfinite(c.value) ? std::fabs(c.value) : -1.0; };
  std::stable_sort(s.rows.begin(), s.rows.end(), [&](const OatRow& a, const OatRow& b) {
    if (key(a.active_36) != key(b.active_36)) return key(a.active_36) > key(b.active_36);
    return key(a.income_gain) > key(b.income_gain);
  });
  return s;
}

std::string to_text(const OatSummary& s) {
  std::ostringstream o;
  o << "berdaya: sensitivity of '" << s.scenario << "', one parameter at a time by " << format::number(100 * s.fraction, "%.4g")
    << "%: " << s.parameters << " parameters, " << s.points << " points x " << s.replicates << " replicates, seed "
    << s.seed << ", " << s.months << " months\n";
  o << "results: " << s.file << "\n";
  if (s.failed_runs) o << "WARNING: " << s.failed_runs << " runs FAILED; their messages are in /runs/message.\n";
  o << "Reference point (the scenario as written): groups active 36 months after funding "
    << share_with_interval(s.reference_active_36) << "; recipients' lasting income gain Rp "
    << with_interval(s.reference_income_gain, false, false) << " per recipient-month.\n";
  o << LEAD_PAIRED << "\n" << LEAD_MC << "\n\n";
  std::size_t wp = 9, wc = 6, wv = 5, wr = 9;
  for (const auto& r : s.rows) {
    wp = std::max(wp, r.parameter.size());
    wc = std::max(wc, r.change.size());
    wv = std::max(wv, r.value.size());
    wr = std::max(wr, r.reference.size());
  }
  auto line = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d,
                  const std::string& e, const std::string& g) {
    char buf[1024];
    std::snprintf(buf, sizeof buf, "  %-*s  %-*s  %-*s  %-*s  %-32s  %s\n", static_cast<int>(wp), a.c_str(),
                  static_cast<int>(wc), b.c_str(), static_cast<int>(wv), c.c_str(), static_cast<int>(wr), d.c_str(),
                  e.c_str(), g.c_str());
    o << buf;
  };
  line("parameter", "change", "value", "reference", "active at 36 months, pp [95% MC]",
       "income gain, Rp/recipient-month [95% MC]");
  for (const auto& r : s.rows)
    line(r.parameter, r.change, r.value, r.reference, with_interval(r.active_36, true, true),
         with_interval(r.income_gain, false, true) + (r.failed_runs ? "  (" + std::to_string(r.failed_runs) + " runs failed)" : ""));
  if (!s.skipped.empty()) {
    o << "\nNot in the screen (" << s.skipped.size() << "):\n";
    for (const auto& m : s.skipped) o << "  " << m << "\n";
  }
  return o.str();
}

std::string to_json(const OatSummary& s) {
  std::ostringstream o;
  o << "{\"kind\": \"sensitivity\", \"design\": \"oat\", \"experiment\": " << format::json_string(s.experiment)
    << ", \"scenario\": " << format::json_string(s.scenario) << ", \"file\": " << format::json_string(s.file)
    << ", \"fraction\": " << format::json_number(s.fraction) << ", \"parameters\": " << s.parameters
    << ", \"points\": " << s.points << ", \"replicates\": " << s.replicates << ", \"seed\": " << s.seed
    << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs << ", \"resamples\": " << s.resamples
    << ", \"git_commit\": " << format::json_string(s.git_commit)
    << ", \"interval\": \"95% percentile bootstrap over replicates: simulation (Monte Carlo) precision\""
    << ", \"units\": {\"active_36\": \"share\", \"income_gain\": \"Rp/recipient-month\"}"
    << ", \"reference\": {\"active_36\": " << json_change(s.reference_active_36)
    << ", \"income_gain\": " << json_change(s.reference_income_gain) << "}, \"reference_change\": {\"active_36\": "
    << json_change(s.reference_change_active_36) << ", \"income_gain\": " << json_change(s.reference_change_income_gain)
    << "}, \"changes\": [";
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    const auto& r = s.rows[i];
    o << (i ? ", " : "") << "{\"point\": " << r.point << ", \"parameter\": " << format::json_string(r.parameter)
      << ", \"change\": " << format::json_string(r.change) << ", \"value\": " << json_value(r.value)
      << ", \"reference\": " << json_value(r.reference) << ", \"failed_runs\": " << r.failed_runs
      << ", \"active_36\": " << json_change(r.active_36) << ", \"income_gain\": " << json_change(r.income_gain) << "}";
  }
  o << "], \"skipped\": [";
  for (std::size_t i = 0; i < s.skipped.size(); ++i) o << (i ? ", " : "") << format::json_string(s.skipped[i]);
  o << "]}";
  return o.str();
}

std::string to_markdown(const OatSummary& s) {
  auto cell = [](std::string t) {
    std::string out;
    for (char c : t) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::ostringstream o;
  o << "Scenario `" << s.scenario << "`, every parameter moved alone by " << format::number(100 * s.fraction, "%.4g")
    << "% either way (choices to each other option, booleans flipped): " << s.points << " points x " << s.replicates
    << " replicates, seed " << s.seed << ", " << s.months << " months"
    << (s.git_commit.empty() ? "" : ", commit " + s.git_commit) << ".\n\n";
  o << "Reference point: groups active 36 months after funding " << share_with_interval(s.reference_active_36)
    << "; recipients' lasting income gain Rp " << with_interval(s.reference_income_gain, false, false)
    << " per recipient-month.\n\n"
    << LEAD_OUTCOMES << " " << LEAD_PAIRED << " " << LEAD_MC << "\n\n";
  if (s.failed_runs) o << "**" << s.failed_runs << " runs failed**; their messages are in /runs/message.\n\n";
  o << "| parameter | change | value | reference | groups active at 36 months, pp [95% MC] | lasting income gain, "
       "Rp/recipient-month [95% MC] |\n|---|---|---|---|---|---|\n";
  for (const auto& r : s.rows)
    o << "| `" << r.parameter << "` | " << cell(r.change) << " | " << cell(r.value) << " | " << cell(r.reference)
      << " | " << with_interval(r.active_36, true, true) << " | " << with_interval(r.income_gain, false, true) << " |\n";
  if (!s.skipped.empty()) {
    o << "\nNot in the screen:\n\n";
    for (const auto& m : s.skipped) o << "- " << m << "\n";
  }
  return o.str();
}

}  // namespace analysis
