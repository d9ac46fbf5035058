#include "models/kube/params.h"

#include <sstream>
#include <stdexcept>

#include "models/kube/population.h"
#include "sim/error.h"

namespace kube {

namespace {
std::vector<std::string> split_options(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == '|') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}
}  // namespace

const std::vector<sim::ParamSpec>& param_table() {
  using sim::Kind;
#define SPEC_R(sec, key, def, lo, hi, unit, desc, src) \
  {#sec "." #key, Kind::Real, sim::Value(static_cast<double>(def)), lo, hi, {}, unit, desc, src},
#define SPEC_I(sec, key, def, lo, hi, unit, desc, src) \
  {#sec "." #key, Kind::Integer, sim::Value(static_cast<long long>(def)), lo, hi, {}, unit, desc, src},
#define SPEC_B(sec, key, def, unit, desc, src) \
  {#sec "." #key, Kind::Boolean, sim::Value(static_cast<bool>(def)), 0, 1, {}, unit, desc, src},
#define SPEC_C(sec, key, def, opts, unit, desc, src) \
  {#sec "." #key, Kind::Choice, sim::Value(std::string(def)), 0, 0, split_options(opts), unit, desc, src},
#define SPEC_S(sec, key, def, unit, desc, src) \
  {#sec "." #key, Kind::Text, sim::Value(std::string(def)), 0, 0, {}, unit, desc, src},
  static const std::vector<sim::ParamSpec> table = {BERDAYA_PARAMS(SPEC_R, SPEC_I, SPEC_B, SPEC_C, SPEC_S)};
#undef SPEC_R
#undef SPEC_I
#undef SPEC_B
#undef SPEC_C
#undef SPEC_S
  return table;
}

PayoutRule parse_payout_rule(const std::string& option) {
  if (option == "contributors") return PayoutRule::Contributors;
  if (option == "all") return PayoutRule::All;
  throw std::invalid_argument("business.payout_rule: no such option '" + option + "'");
}

Trainees parse_trainees(const std::string& option) {
  if (option == "all") return Trainees::All;
  if (option == "officers") return Trainees::Officers;
  throw std::invalid_argument("training.who: no such option '" + option + "'");
}

Params make_params(const sim::Resolved& r, const std::filesystem::path& base_dir) {
  const auto& t = param_table();
  Params p;
  p.base_dir = base_dir;
  // A path resolves against the file that set it, so a scenario anywhere can extend one
  // that names a data file.
  if (auto it = r.settings.find("population.village_file"); it != r.settings.end() && it->second.file != "command line")
    p.base_dir = std::filesystem::path(it->second.file).parent_path();
#define BIND_R(sec, key, def, lo, hi, unit, desc, src) p.sec##_##key = std::get<double>(r.get(t, #sec "." #key));
#define BIND_I(sec, key, def, lo, hi, unit, desc, src) p.sec##_##key = std::get<long long>(r.get(t, #sec "." #key));
#define BIND_B(sec, key, def, unit, desc, src) p.sec##_##key = std::get<bool>(r.get(t, #sec "." #key));
#define BIND_C(sec, key, def, opts, unit, desc, src) p.sec##_##key = std::get<std::string>(r.get(t, #sec "." #key));
#define BIND_S(sec, key, def, unit, desc, src) p.sec##_##key = std::get<std::string>(r.get(t, #sec "." #key));
  BERDAYA_PARAMS(BIND_R, BIND_I, BIND_B, BIND_C, BIND_S)
#undef BIND_R
#undef BIND_I
#undef BIND_B
#undef BIND_C
#undef BIND_S

  p.payout_rule = parse_payout_rule(p.business_payout_rule);
  p.trainees = parse_trainees(p.training_who);

  // Relations between parameters, reported at the later of the two settings.
  auto where = [&](const std::string& name) {
    auto it = r.settings.find(name);
    if (it == r.settings.end()) return std::string(r.files.empty() ? "scenario" : r.files.front());
    return sim::located(it->second.file, it->second.line, it->second.column, "");
  };
  // A relation is reported where the scenario set one of its parameters (the later
  // one when both are set), so the message carries a line number.
  auto fail = [&](const std::string& name, const std::string& what, const std::string& other = "") {
    std::string pick = name;
    auto a = r.settings.find(name), b = other.empty() ? r.settings.end() : r.settings.find(other);
    if (a == r.settings.end() && b != r.settings.end()) pick = other;
    else if (a != r.settings.end() && b != r.settings.end() && a->second.file == b->second.file &&
             b->second.line > a->second.line) pick = other;
    std::string w = where(pick);
    if (w.size() >= 2 && w.substr(w.size() - 2) == ": ") w.resize(w.size() - 2);
    throw sim::InputError(w + ": " + what);
  };
  if (p.household_shock_cost_min > p.household_shock_cost_max)
    fail("household.shock_cost_max", "household.shock_cost_min (" + sim::format_number(p.household_shock_cost_min) +
                                         ") is above household.shock_cost_max (" +
                                         sim::format_number(p.household_shock_cost_max) + "). Make min <= max.",
         "household.shock_cost_min");
  if (p.business_loss_min > p.business_loss_max)
    fail("business.loss_min", "business.loss_min is above business.loss_max. Make min <= max.", "business.loss_max");
  if (p.network_strength_within_min > p.network_strength_within_max)
    fail("network.strength_within_min", "network.strength_within_min is above network.strength_within_max. Make min <= max.",
         "network.strength_within_max");
  if (p.network_strength_cross_min > p.network_strength_cross_max)
    fail("network.strength_cross_min", "network.strength_cross_min is above network.strength_cross_max. Make min <= max.",
         "network.strength_cross_max");
  if (p.mentors_quality_min > p.mentors_quality_max)
    fail("mentors.quality_min", "mentors.quality_min is above mentors.quality_max. Make min <= max.",
         "mentors.quality_max");
  if (p.business_iks_share + p.business_reinvest_share > 1.0)
    fail("business.reinvest_share", "business.iks_share + business.reinvest_share = " +
                                        sim::format_number(p.business_iks_share + p.business_reinvest_share) +
                                        " exceeds 1: nothing would be left to pay out. Lower one of them.",
         "business.iks_share");
  if (p.business_mix_livestock + p.business_mix_food + p.business_mix_trade + p.business_mix_services +
          p.business_mix_crafts <= 0)
    fail("business.mix_livestock", "all business.mix_* weights are 0. Give at least one business type a weight.");
  if (p.status_min_contributors > p.program_group_size)
    fail("status.min_contributors", "status.min_contributors exceeds program.group_size: every group would fail.",
         "program.group_size");
  if (p.program_enabled && p.program_cohorts > 0 && p.program_groups_per_cohort > 0 &&
      p.population_village_file.empty() && p.population_villages < 1)
    fail("population.villages", "no villages: set population.village_file or population.villages.");
  // A village file's households are checked once it is read (build_villages).
  if (p.population_village_file.empty()) {
    try {
      check_population_size(p, static_cast<std::uint64_t>(p.population_villages));
    } catch (const sim::InputError& e) {
      fail("population.households_per_village", e.what(), "population.villages");
    }
  }
  return p;
}

std::string parameters_markdown() {
  std::ostringstream o;
  o << "# Parameters\n\n"
    << "Generated by `berdaya params --markdown` from models/kube/param_list.h, the one source of truth; "
       "a test fails when this file is stale.\n\n"
    << "Confidence: **H** regulation, official statistic or peer-reviewed result; **M** one local study or "
       "officials quoted; **L** anecdote, derivation or assumption. Every L number is a parameter. "
       "The keys in square brackets are entries of [sources.md](sources.md).\n\n"
    << "Set any of them in a scenario file under its section, e.g. `[household]` then `shock_prob = 0.03`.\n";
  std::string section;
  for (const auto& s : param_table()) {
    const auto dot = s.name.find('.');
    const std::string sec = s.name.substr(0, dot);
    if (sec != section) {
      section = sec;
      o << "\n## [" << sec << "]\n\n| key | type | default | range | unit | description | source |\n"
        << "|---|---|---|---|---|---|---|\n";
    }
    std::string range;
    if (s.kind == sim::Kind::Real || s.kind == sim::Kind::Integer)
      range = sim::format_number(s.min) + " .. " + sim::format_number(s.max);
    else if (s.kind == sim::Kind::Choice)
      for (const auto& opt : s.options) range += (range.empty() ? "" : ", ") + opt;
    std::string def = sim::format_value(s.default_value);
    if (s.kind == sim::Kind::Choice || s.kind == sim::Kind::Text) def = "\"" + def + "\"";
    o << "| `" << s.name.substr(dot + 1) << "` | " << sim::kind_name(s.kind) << " | " << def << " | " << range
      << " | " << s.unit << " | " << s.description << " | " << s.source << " |\n";
  }
  return o.str();
}

}  // namespace kube
