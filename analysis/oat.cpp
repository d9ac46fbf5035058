#include "analysis/oat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "analysis/format.h"
#include "analysis/outcomes.h"
#include "analysis/results.h"
#include "sim/error.h"

namespace analysis {

namespace {

std::string change_label(const std::string& scale, double reference, double value, double fraction,
                         const std::string& reference_text) {
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.4g%%", 100 * fraction);
  if (scale == "boolean" || reference_text == "true" || reference_text == "false") return "flipped";
  if (scale != "linear") return "other option";
  if (reference == 0) return std::string(value < 0 ? "-" : "+") + pct + " of range";
  return std::string(value / reference < 1 ? "-" : "+") + pct;
}

// Changes of survival in percentage points, of income in rupiah, both signed; the rest as
// in the comparison table.
std::string survival_change(const Estimate& e) { return format::estimate_cell(e, "%", true); }
std::string income_change(const Estimate& e) { return format::estimate_cell(e, "Rp", true); }

// A JSON value from its text: numbers and booleans as they are, anything else quoted.
std::string json_value(const std::string& text) {
  if (text == "true" || text == "false") return text;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (!text.empty() && end && *end == '\0' && std::isfinite(v)) return text;
  return format::json_string(text);
}

std::string reference_line(const OatSummary& s) {
  return "Reference point (the scenario as written): groups active 36 months after funding, percent: " +
         format::estimate_cell(s.reference_active_36, "%", false) +
         "; recipients' lasting income gain, Rp per recipient-month: " +
         format::estimate_cell(s.reference_income_gain, "Rp", false) + ".";
}

const char* LEAD_PAIRED =
    "Each change is paired with the reference point by replicate: every point shares the reference's households "
    "and shocks (common random numbers), and each resample takes the same replicates for the point and the "
    "reference, as berdaya compare pairs a scenario with its baseline.";
const char* LEAD_OUTCOMES =
    "Survival: groups active 36 months after funding, Kaplan-Meier pooled over the replicates' funded groups, "
    "change in percentage points. Income: recipients' lasting income gain per recipient-month (income minus "
    "income without the program, times recipients, over recipient-months; a shared-out grant is not income), "
    "change in Rp.";

std::string intervals_lead(const OatSummary& s) {
  return interval_note(s.replicates_used, s.resamples, s.bootstrap_batch) +
         " Marked [95% MC]. Not estimable: " + not_estimable_rule() + ".";
}

}  // namespace

OatChange oat_change(const Draws& point, const Draws& reference) {
  return {difference(point, reference, ACTIVE_36), difference(point, reference, INCOME_GAIN)};
}

void sort_rows(std::vector<OatRow>& rows) {
  auto key = [](const Estimate& e) { return e.estimable && std::isfinite(e.mean) ? std::fabs(e.mean) : -1.0; };
  std::stable_sort(rows.begin(), rows.end(), [&](const OatRow& a, const OatRow& b) {
    if (key(a.active_36) != key(b.active_36)) return key(a.active_36) > key(b.active_36);
    return key(a.income_gain) > key(b.income_gain);
  });
}

bool is_oat(const std::filesystem::path& file) {
  const ResultFile f(file);
  return f.kind() == "sweep" && f.root().exists("design") && f.root().open_group("design").attr_string("kind") == "oat";
}

OatSummary oat_summary(const std::filesystem::path& file) {
  const ResultFile f(file);
  if (f.kind() != "sweep" || !f.root().exists("design") || f.root().open_group("design").attr_string("kind") != "oat")
    throw sim::InputError(file.string() +
                          ": not a one-at-a-time screen (written by 'berdaya sensitivity'); "
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
  for (std::size_t p = 1; p < P; ++p)
    if (!(block[p] >= 0 && block[p] < static_cast<double>(K)))
      throw sim::InputError(file.string() + ": /design/block names no factor at point " + std::to_string(p));

  // One plan for the whole screen, as for the scenarios of a comparison: the points are read
  // one at a time, so the plan comes from the replicates each point's runs succeeded in.
  std::vector<std::vector<std::uint32_t>> succeeded;
  for (std::size_t p = 0; p < P; ++p) succeeded.push_back(succeeded_replicates(f, p));
  const EstimationPlan plan =
      estimation_plan_from_succeeded(succeeded, f.replicates(), static_cast<std::uint64_t>(s.seed));
  s.replicates_used = plan.replicates.size();
  s.bootstrap_batch = plan.batch();
  s.resamples = plan.resamples;
  s.bootstrap_seed = plan.seed;

  const Outcomes reference = outcomes(f, 0);
  s.failed_runs = reference.failed_runs;
  const Draws ref = draws(reference, plan);
  s.reference_active_36 = level(ref, ACTIVE_36);
  s.reference_income_gain = level(ref, INCOME_GAIN);
  const OatChange self = oat_change(ref, ref);
  s.reference_change_active_36 = self.active_36;
  s.reference_change_income_gain = self.income_gain;
  for (std::size_t p = 1; p < P; ++p) {
    const auto j = static_cast<std::size_t>(block[p]);
    const Outcomes o = outcomes(f, p);
    const OatChange c = oat_change(draws(o, plan), ref);
    OatRow row;
    row.point = p;
    row.parameter = factors[j];
    row.value = point_text[p];
    row.reference = reference_text[j];
    row.change = change_label(scale[j], values[j], values[p * K + j], s.fraction, row.reference);
    row.failed_runs = o.failed_runs;
    s.failed_runs += o.failed_runs;
    row.active_36 = c.active_36;
    row.income_gain = c.income_gain;
    s.rows.push_back(std::move(row));
  }
  sort_rows(s.rows);
  return s;
}

std::string to_text(const OatSummary& s) {
  std::ostringstream o;
  o << "berdaya: sensitivity of '" << s.scenario << "', one parameter at a time by "
    << format::number(100 * s.fraction, "%.4g") << "%: " << s.parameters << " parameters, " << s.points << " points x "
    << s.replicates << " replicates, seed " << s.seed << ", " << s.months << " months\n";
  o << "results: " << s.file << "\n";
  if (s.failed_runs) o << "WARNING: " << s.failed_runs << " runs FAILED; their messages are in /runs/message.\n";
  o << reference_line(s) << "\n" << LEAD_PAIRED << "\n" << intervals_lead(s) << "\n\n";
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
    line(r.parameter, r.change, r.value, r.reference, survival_change(r.active_36),
         income_change(r.income_gain) + (r.failed_runs ? "  (" + std::to_string(r.failed_runs) + " runs failed)" : ""));
  if (!s.skipped.empty()) {
    o << "\nNot in the screen (" << s.skipped.size() << "):\n";
    for (const auto& m : s.skipped) o << "  " << m << "\n";
  }
  return o.str();
}

std::string to_json(const OatSummary& s) {
  std::ostringstream o;
  auto est = [](const Estimate& e) { return format::json_estimate(e); };
  o << "{\"kind\": \"sensitivity\", \"design\": \"oat\", \"experiment\": " << format::json_string(s.experiment)
    << ", \"scenario\": " << format::json_string(s.scenario) << ", \"file\": " << format::json_string(s.file)
    << ", \"fraction\": " << format::json_number(s.fraction) << ", \"parameters\": " << s.parameters
    << ", \"points\": " << s.points << ", \"replicates\": " << s.replicates << ", \"seed\": " << s.seed
    << ", \"months\": " << s.months << ", \"failed_runs\": " << s.failed_runs << ", \"resamples\": " << s.resamples
    << ", \"git_commit\": " << format::json_string(s.git_commit)
    << ", \"interval\": " << interval_json(s.replicates_used, s.resamples, s.bootstrap_seed, s.bootstrap_batch)
    << ", \"paired\": \"each change is the point minus the reference on the same resamples of the same replicates\""
    << ", \"units\": {\"active_36\": \"share\", \"income_gain\": \"Rp/recipient-month\"}"
    << ", \"reference\": {\"active_36\": " << est(s.reference_active_36)
    << ", \"income_gain\": " << est(s.reference_income_gain)
    << "}, \"reference_change\": {\"active_36\": " << est(s.reference_change_active_36)
    << ", \"income_gain\": " << est(s.reference_change_income_gain) << "}, \"changes\": [";
  for (std::size_t i = 0; i < s.rows.size(); ++i) {
    const auto& r = s.rows[i];
    o << (i ? ", " : "") << "{\"point\": " << r.point << ", \"parameter\": " << format::json_string(r.parameter)
      << ", \"change\": " << format::json_string(r.change) << ", \"value\": " << json_value(r.value)
      << ", \"reference\": " << json_value(r.reference) << ", \"failed_runs\": " << r.failed_runs
      << ", \"active_36\": " << est(r.active_36) << ", \"income_gain\": " << est(r.income_gain) << "}";
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
  o << reference_line(s) << "\n\n" << LEAD_OUTCOMES << " " << LEAD_PAIRED << " " << intervals_lead(s) << "\n\n";
  if (s.failed_runs) o << "**" << s.failed_runs << " runs failed**; their messages are in /runs/message.\n\n";
  o << "| parameter | change | value | reference | groups active at 36 months, pp [95% MC] | lasting income gain, "
       "Rp/recipient-month [95% MC] |\n|---|---|---|---|---|---|\n";
  for (const auto& r : s.rows)
    o << "| `" << r.parameter << "` | " << cell(r.change) << " | " << cell(r.value) << " | " << cell(r.reference)
      << " | " << survival_change(r.active_36) << " | " << income_change(r.income_gain) << " |\n";
  if (!s.skipped.empty()) {
    o << "\nNot in the screen:\n\n";
    for (const auto& m : s.skipped) o << "- " << m << "\n";
  }
  return o.str();
}

}  // namespace analysis
