#include "sim/calibration_file.h"

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "sim/error.h"
#include "sim/experiment_file.h"
#include "sim/output.h"
#include "sim/toml_file.h"

namespace sim {
namespace fs = std::filesystem;

std::string prior_name(PriorKind k) {
  switch (k) {
    case PriorKind::Uniform: return "uniform";
    case PriorKind::LogUniform: return "loguniform";
    case PriorKind::Normal: return "normal";
    case PriorKind::Beta: return "beta";
  }
  return "";
}

std::string statistic_name(StatisticKind k) {
  switch (k) {
    case StatisticKind::Series: return "series";
    case StatisticKind::Yearly: return "yearly";
    case StatisticKind::Survival: return "survival";
    case StatisticKind::Hazard: return "hazard";
    case StatisticKind::Share: return "share";
    case StatisticKind::Ratio: return "ratio";
  }
  return "";
}

namespace {

// Four significant digits: enough to recognise an observation in a summary.
std::string short_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

using Reader = TomlFile;

Method read_method(const Reader& d) {
  Method m;
  const toml::node* n = d.table().get("method");
  if (!n)
    throw InputError(d.file() +
                     ": the [method] table is missing. Add e.g.\n  [method]\n  particles = 200\n  "
                     "generations = 8\n  replicates = 2\n  seed = 1");
  const auto* t = n->as_table();
  if (!t) throw InputError(d.at(*n) + ": method must be a table: write [method] on its own line, then its keys.");
  d.only(*t,
         {"particles", "generations", "replicates", "seed", "quantile", "min_tolerance", "min_acceptance", "max_runs",
          "max_attempts"},
         "[method]");
  m.particles = d.int_of(*t, "particles", m.particles, 10, 1000000);
  m.generations = d.int_of(*t, "generations", m.generations, 1, 1000);
  m.replicates = d.int_of(*t, "replicates", m.replicates, 1, 100000);
  if (!t->get("seed"))
    throw InputError(d.at(*t, "particles") +
                     ": [method] has no seed. Add e.g. seed = 20240101: the calibration is "
                     "reproducible from it.");
  m.seed = d.int_of(*t, "seed", 0, 0, (1LL << 53) - 1);
  m.quantile = d.num_of(*t, "quantile", m.quantile, 0, 1, true);
  if (m.quantile >= 1)
    throw InputError(d.at(*t->get("quantile")) +
                     ": quantile = 1 never tightens the tolerance. Choose a value in "
                     "(0, 1), e.g. quantile = 0.5.");
  m.min_tolerance = d.num_of(*t, "min_tolerance", 0, 0, 1e300);
  m.min_acceptance = d.num_of(*t, "min_acceptance", 0, 0, 1);
  m.max_runs = d.int_of(*t, "max_runs", 0, 1, (1LL << 53));
  m.max_attempts = d.int_of(*t, "max_attempts", m.max_attempts, 1, 100000000);
  return m;
}

FreeParameter read_parameter(const Reader& d, const toml::table& t, const std::vector<ParamSpec>& table) {
  d.only(t, {"name", "prior", "low", "high", "mean", "sd", "alpha", "beta"}, "a [[parameter]]");
  FreeParameter p;
  const std::string here = d.at(t, "name");
  p.name =
      d.text_of(t, "name", true, here, "Give the parameter's dotted name, e.g. name = \"circle.leave_probability\".");
  const std::string where = d.at(*t.get("name"));
  const ParamSpec* spec = find_spec(table, p.name);
  if (!spec) {
    std::vector<std::string> all;
    for (const auto& s : table) all.push_back(s.name);
    const std::string near = nearest(p.name, all);
    throw InputError(where + ": unknown parameter '" + shorten(p.name) + "'." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Run 'berdaya params' for the list.");
  }
  if (p.name.rfind("run.", 0) == 0)
    throw InputError(where + ": " + p.name +
                     " cannot be calibrated: months come from the scenario, replicates and "
                     "seed from [method].");
  if (spec->kind != Kind::Real && spec->kind != Kind::Integer)
    throw InputError(where + ": " + p.name + " is a " + kind_name(spec->kind) +
                     "; only real and integer parameters can be calibrated. Set it in the scenario instead.");
  p.kind = spec->kind;
  p.unit = spec->unit;
  const std::string range = "[" + format_number(spec->min) + ", " + format_number(spec->max) + "]";
  const std::string prior =
      d.text_of(t, "prior", true, where, "Choose prior = \"uniform\", \"loguniform\", \"normal\" or \"beta\".");
  const std::vector<std::string> kinds = {"uniform", "loguniform", "normal", "beta"};
  const auto k = std::find(kinds.begin(), kinds.end(), prior);
  if (k == kinds.end()) {
    const std::string near = nearest(prior, kinds);
    throw InputError(d.at(*t.get("prior")) + ": prior = \"" + shorten(prior) + "\" is not known." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Choose one of: " + join(kinds) + ".");
  }
  p.prior.kind = static_cast<PriorKind>(k - kinds.begin());
  auto bound = [&](const std::string& key, double fallback) {
    return d.num_of(t, key, fallback, spec->min, spec->max);
  };
  for (const std::string key : {"low", "high"})
    if (const auto* n = t.get(key)) {
      const double v = d.num(*n, key);
      if (v < spec->min || v > spec->max)
        throw InputError(d.at(*n) + ": " + key + " = " + format_number(v) + " is outside the valid range of " + p.name +
                         " " + range + ". The prior is truncated to that range: choose a value inside it.");
    }
  p.prior.low = bound("low", spec->min);
  p.prior.high = bound("high", spec->max);
  if (!(p.prior.low < p.prior.high))
    throw InputError(d.at(t, "low") + ": the prior of " + p.name + " needs low < high (now " +
                     format_number(p.prior.low) + " and " + format_number(p.prior.high) + ").");
  auto forbid = [&](std::initializer_list<const char*> keys) {
    for (const char* key : keys)
      if (const auto* n = t.get(key))
        throw InputError(d.at(*n) + ": " + key + " has no meaning for a " + prior + " prior. Leave it out.");
  };
  auto need = [&](const char* key, const std::string& example) {
    if (!t.get(key)) throw InputError(where + ": a " + prior + " prior needs " + key + " (e.g. " + example + ").");
  };
  // Wide ranges such as [0, 1e9] are a table's outer bounds, not a belief: a prior spread
  // over them is seldom meant, so uniform and log-uniform priors must say low and high.
  switch (p.prior.kind) {
    case PriorKind::Uniform:
    case PriorKind::LogUniform:
      forbid({"mean", "sd", "alpha", "beta"});
      need("low", "low = " + format_number(spec->min));
      need("high", "high = " + format_number(spec->max));
      if (p.prior.kind == PriorKind::LogUniform && p.prior.low <= 0)
        throw InputError(d.at(*t.get("low")) + ": a log-uniform prior needs low > 0.");
      break;
    case PriorKind::Normal:
      forbid({"alpha", "beta"});
      need("mean", "mean = " + format_value(spec->default_value));
      need("sd", "sd = 0.1");
      p.prior.mean = d.num(*t.get("mean"), "mean");
      p.prior.sd = d.num_of(t, "sd", 1, 0, 1e300, true);
      if (std::erfc((p.prior.low - p.prior.mean) / (p.prior.sd * std::sqrt(2.0))) / 2 -
              std::erfc((p.prior.high - p.prior.mean) / (p.prior.sd * std::sqrt(2.0))) / 2 <
          1e-9)
        throw InputError(d.at(*t.get("mean")) + ": the normal prior of " + p.name + " puts almost no mass inside [" +
                         format_number(p.prior.low) + ", " + format_number(p.prior.high) +
                         "]. Move the mean inside the range or widen sd.");
      break;
    case PriorKind::Beta:
      forbid({"mean", "sd"});
      need("alpha", "alpha = 2");
      need("beta", "beta = 5");
      p.prior.alpha = d.num_of(t, "alpha", 1, 0, 1e6, true);
      p.prior.beta = d.num_of(t, "beta", 1, 0, 1e6, true);
      if (!t.get("low") || !t.get("high"))
        if (spec->max - spec->min > 1e6)
          throw InputError(where + ": a beta prior lies on [low, high]; " + p.name + "'s range " + range +
                           " is too wide to be meant. Give low and high.");
      break;
  }
  return p;
}

// The evidence of a target: binomial counts, a value with its standard error, or an interval.
void read_evidence(const Reader& d, const toml::table& t, Target& g, const std::string& where) {
  const bool counts = t.get("successes") || t.get("trials");
  const bool value = t.get("value") || t.get("sd");
  const bool interval = t.get("interval") != nullptr;
  const bool bound = t.get("at_most") || t.get("at_least");
  if (static_cast<int>(counts) + static_cast<int>(value && !bound) + static_cast<int>(interval) +
          static_cast<int>(bound) !=
      1)
    throw InputError(where + ": target '" + g.name +
                     "' needs exactly one kind of evidence: successes and trials "
                     "(e.g. successes = 7, trials = 61), or value and sd (e.g. value = 0.25, sd = 0.05), or interval "
                     "(e.g. interval = [0.15, 0.35], read as value +- 2 sd), or a bound with its sd (e.g. at_most = "
                     "0.6, sd = 0.05).");
  if (bound) {
    if (t.get("at_most") && t.get("at_least"))
      throw InputError(d.at(*t.get("at_least")) +
                       ": give at_most or at_least, not both: two bounds are an interval "
                       "(interval = [low, high]).");
    if (t.get("value")) throw InputError(d.at(*t.get("value")) + ": a bound takes no value. Leave value out.");
    const char* key = t.get("at_most") ? "at_most" : "at_least";
    if (!t.get("sd"))
      throw InputError(where + ": target '" + g.name + "' gives " + key +
                       " without sd, the scale by which a "
                       "simulation beyond the bound is measured, e.g. sd = 0.05.");
    g.side = t.get("at_most") ? Target::Side::AtMost : Target::Side::AtLeast;
    g.observed = d.num(*t.get(key), key);
    g.sd = d.num_of(t, "sd", 1, 0, 1e300, true);
    g.evidence = std::string(t.get("at_most") ? "at most " : "at least ") + short_number(g.observed);
    return;
  }
  if (counts) {
    if (!t.get("successes") || !t.get("trials"))
      throw InputError(where + ": target '" + g.name + "' gives " + (t.get("trials") ? "trials" : "successes") +
                       " without " + (t.get("trials") ? "successes" : "trials") +
                       ". Give both, e.g. successes = 7, "
                       "trials = 61.");
    const long long n = d.int_of(t, "trials", 1, 1, 1LL << 40);
    const long long s = d.int_of(t, "successes", 0, 0, n);
    if (g.kind != StatisticKind::Survival && g.kind != StatisticKind::Hazard && g.kind != StatisticKind::Share)
      throw InputError(d.at(*t.get("trials")) + ": successes and trials are counts of a share; a " +
                       statistic_name(g.kind) + " statistic takes value and sd, or interval.");
    g.observed = static_cast<double>(s) / static_cast<double>(n);
    // The binomial standard error at a share pulled half a count toward 1/2, so 0 of n
    // and n of n keep a positive error.
    const double p = (static_cast<double>(s) + 0.5) / (static_cast<double>(n) + 1);
    g.sd = std::sqrt(p * (1 - p) / static_cast<double>(n));
    g.evidence = std::to_string(s) + " of " + std::to_string(n);
  } else if (value) {
    if (!t.get("value") || !t.get("sd"))
      throw InputError(where + ": target '" + g.name +
                       "' needs both value and sd (its standard error), e.g. value = "
                       "0.25, sd = 0.05.");
    g.observed = d.num(*t.get("value"), "value");
    g.sd = d.num_of(t, "sd", 1, 0, 1e300, true);
    g.evidence = short_number(g.observed) + " +- " + short_number(g.sd);
  } else {
    const auto* arr = t.get("interval")->as_array();
    if (!arr || arr->size() != 2)
      throw InputError(d.at(*t.get("interval")) + ": interval must be two numbers, e.g. interval = [0.15, 0.35].");
    const double lo = d.num(*arr->get(0), "interval"), hi = d.num(*arr->get(1), "interval");
    if (!(lo < hi)) throw InputError(d.at(*t.get("interval")) + ": interval needs low < high.");
    g.observed = (lo + hi) / 2;
    g.sd = (hi - lo) / 4;
    g.evidence = "[" + short_number(lo) + ", " + short_number(hi) + "]";
  }
}

const ColumnSpec* find_column(const std::vector<ColumnSpec>& v, const std::string& name) {
  for (const auto& c : v)
    if (c.name == name) return &c;
  return nullptr;
}

const ColumnSpec& column(const Reader& d, const toml::table& t, const std::string& key,
                         const std::vector<ColumnSpec>& cols, const std::string& what, const std::string& where,
                         const std::string& example) {
  const std::string name = d.text_of(t, key, true, where, "Name " + what + ", e.g. " + key + " = \"" + example + "\".");
  if (const ColumnSpec* c = find_column(cols, name)) return *c;
  std::vector<std::string> all;
  for (const auto& c : cols) all.push_back(c.name);
  const std::string near = nearest(name, all);
  throw InputError(d.at(*t.get(key)) + ": the model has no " + what + " '" + shorten(name) + "'." +
                   (near.empty() ? "" : " Did you mean '" + near + "'?") + " Valid: " + join(all) + ".");
}

}  // namespace

Calibration load_calibration(const fs::path& file) {
  const Reader d(file, "calibration file");
  const auto& t = d.table();
  d.only(t, {"name", "description", "scenario", "method", "parameter", "target"}, "a calibration file");
  Calibration c;
  c.file = file.string();
  c.text = d.text();
  c.name = d.text_of(t, "name", false, c.file, "");
  if (c.name.empty()) c.name = file.stem().string();
  c.description = d.text_of(t, "description", false, c.file, "");
  c.method = read_method(d);

  const std::string scen =
      d.text_of(t, "scenario", true, c.file, "Name the base scenario file, e.g. scenario = \"../kota-batu.toml\".");
  auto load = [&](const toml::node& at, const std::string& rel) -> std::size_t {
    const fs::path p = file.parent_path() / rel;
    for (std::size_t i = 0; i < c.scenario_files.size(); ++i)
      if (fs::weakly_canonical(c.scenario_files[i]) == fs::weakly_canonical(p)) return i;
    if (!fs::is_regular_file(p))
      throw InputError(d.at(at) + ": scenario file '" + shorten(rel) + "' not found (looked for " + p.string() +
                       "). Paths are relative to the calibration file.");
    ModelScenario ms = load_model_scenario(p);
    if (c.model && ms.model != c.model)
      throw InputError(d.at(at) + ": scenario '" + shorten(rel) + "' is of model \"" + ms.model->name +
                       "\", the base scenario of \"" + c.model->name + "\". A calibration fits one model.");
    c.model = ms.model;
    apply_run_settings(ms.resolved, RunSettings{c.method.replicates, c.method.seed, 0}, c.model->parameters(),
                       "[method] of " + c.file);
    c.scenarios.push_back(std::move(ms.resolved));
    c.scenario_files.push_back(p);
    return c.scenarios.size() - 1;
  };
  load(*t.get("scenario"), scen);
  const auto& table = c.model->parameters();

  const toml::node* pl = t.get("parameter");
  if (!pl || !pl->as_array() || pl->as_array()->empty())
    throw InputError(c.file +
                     ": no free parameters. Add one [[parameter]] table per parameter, e.g.\n  [[parameter]]\n"
                     "  name = \"" +
                     table.back().name + "\"\n  prior = \"uniform\"\n  low = ...\n  high = ...");
  std::set<std::string> seen;
  for (const auto& n : *pl->as_array()) {
    const auto* pt = n.as_table();
    if (!pt) throw InputError(d.at(n) + ": write each free parameter as a [[parameter]] table.");
    FreeParameter p = read_parameter(d, *pt, table);
    if (!seen.insert(p.name).second)
      throw InputError(d.at(*pt->get("name")) + ": " + p.name + " is listed twice. List each parameter once.");
    c.parameters.push_back(std::move(p));
  }

  const toml::node* tl = t.get("target");
  if (!tl || !tl->as_array() || tl->as_array()->empty())
    throw InputError(c.file +
                     ": no targets. Add one [[target]] table per observed statistic, e.g.\n  [[target]]\n  "
                     "name = \"active-36\"\n  statistic = \"survival\"\n  start = \"funded_month\"\n  end = "
                     "\"failed_month\"\n  month = 36\n  successes = 21\n  trials = 42");
  std::set<std::string> names;
  for (const auto& n : *tl->as_array()) {
    const auto* tt = n.as_table();
    if (!tt) throw InputError(d.at(n) + ": write each target as a [[target]] table.");
    Target g;
    const std::string here = d.at(*tt, "name");
    g.name = d.text_of(*tt, "name", true, here, "Give each target a name, e.g. name = \"active-36\".");
    if (g.name.empty() || !names.insert(g.name).second)
      throw InputError(d.at(*tt->get("name")) + ": target name '" + shorten(g.name) +
                       "' is empty or used twice. Give each target its own name.");
    const std::string where = d.at(*tt->get("name"));
    g.kind = read_statistic_kind(d, *tt, where);
    std::vector<std::string> allowed = {"name",   "statistic", "scenario", "versus",   "contrast", "successes",
                                        "trials", "value",     "sd",       "interval", "at_most",  "at_least"};
    for (const auto& key : statistic_keys(g.kind)) allowed.push_back(key);
    const std::string stat = statistic_name(g.kind);
    d.only(*tt, allowed, "a [[target]] of statistic \"" + stat + "\"");
    if (const auto* s = tt->get("scenario")) {
      const auto rel = s->value_exact<std::string>();
      if (!rel) throw InputError(d.at(*s) + ": scenario must be a file path in quotes.");
      g.scenario = load(*s, *rel);
    }
    if (const auto* v = tt->get("versus")) {
      const auto rel = v->value_exact<std::string>();
      if (!rel) throw InputError(d.at(*v) + ": versus must be a scenario file path in quotes.");
      g.versus = load(*v, *rel);
      if (g.versus == g.scenario)
        throw InputError(d.at(*v) +
                         ": versus names the target's own scenario. A contrast compares two scenarios: "
                         "name the other one, or leave versus out.");
    }
    if (const auto* ck = tt->get("contrast")) {
      const auto word = ck->value_exact<std::string>();
      if (!tt->get("versus"))
        throw InputError(d.at(*ck) + ": contrast needs versus = \"SCENARIO.toml\", the scenario it compares with.");
      if (!word || (*word != "difference" && *word != "ratio"))
        throw InputError(d.at(*ck) +
                         ": contrast must be \"difference\" (this scenario's statistic minus the other's) "
                         "or \"ratio\" (over it).");
      g.contrast = *word == "ratio" ? Target::Contrast::Ratio : Target::Contrast::Difference;
    }
    // A contrast's months must exist in both scenarios.
    long long months = static_cast<long long>(run_months(c.scenarios[g.scenario], *c.model));
    if (g.versus != Target::NO_VERSUS)
      months = std::min<long long>(months, static_cast<long long>(run_months(c.scenarios[g.versus], *c.model)));
    read_statistic_columns(d, *tt, g, *c.model, months, where);
    read_evidence(d, *tt, g, where);
    c.targets.push_back(std::move(g));
  }
  return c;
}

StatisticKind read_statistic_kind(const TomlFile& d, const toml::table& t, const std::string& where) {
  const std::vector<std::string> stats = {"series", "yearly", "survival", "hazard", "share", "ratio"};
  const std::string stat = d.text_of(t, "statistic", true, where, "Choose one of: " + join(stats) + ".");
  const auto k = std::find(stats.begin(), stats.end(), stat);
  if (k == stats.end()) {
    const std::string near = nearest(stat, stats);
    throw InputError(d.at(*t.get("statistic")) + ": statistic = \"" + shorten(stat) + "\" is not known." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Choose one of: " + join(stats) + ".");
  }
  return static_cast<StatisticKind>(k - stats.begin());
}

std::vector<std::string> statistic_keys(StatisticKind k) {
  switch (k) {
    case StatisticKind::Series: return {"series", "month"};
    case StatisticKind::Yearly: return {"yearly", "year"};
    case StatisticKind::Survival: return {"start", "end", "month"};
    case StatisticKind::Hazard: return {"start", "end", "year"};
    case StatisticKind::Share: return {"column", "label"};
    case StatisticKind::Ratio: return {"numerator", "denominator", "from", "to"};
  }
  return {};
}

void read_statistic_columns(const TomlFile& d, const toml::table& t, Target& g, const Model& model, long long months,
                            const std::string& where) {
  const Schema& schema = model.schema();
  const long long years = (months + 11) / 12;
  auto need_int = [&](const char* key, long long lo, long long hi, const std::string& why) {
    if (!t.get(key))
      throw InputError(where + ": a " + statistic_name(g.kind) + " target needs " + key + " (" + why + "), e.g. " +
                       key + " = " + std::to_string(std::min(hi, std::max(lo, 12LL))) + ".");
    const toml::node* v = t.get(key);
    const auto i = v->value_exact<int64_t>();
    if (!i) throw InputError(d.at(*v) + ": " + key + " must be a whole number.");
    if (*i < lo || *i > hi)
      throw InputError(d.at(*v) + ": " + key + " = " + std::to_string(*i) + " is outside " + std::to_string(lo) +
                       " .. " + std::to_string(hi) + " (" + why + "; the scenario runs " + std::to_string(months) +
                       " months). Choose a value inside it.");
    return static_cast<long long>(*i);
  };
  switch (g.kind) {
    case StatisticKind::Series:
      g.series = column(d, t, "series", schema.series, "monthly series", where, schema.series.front().name).name;
      g.month = need_int("month", 1, months, "the month, 1-based");
      break;
    case StatisticKind::Yearly:
      if (schema.yearly.empty()) throw InputError(where + ": model \"" + model.name + "\" has no yearly series.");
      g.series = column(d, t, "yearly", schema.yearly, "yearly series", where, schema.yearly.front().name).name;
      g.year = need_int("year", 1, years, "the year, 1-based");
      break;
    case StatisticKind::Survival:
    case StatisticKind::Hazard:
      g.start = column(d, t, "start", schema.table, "table column", where, schema.table.front().name).name;
      g.end = column(d, t, "end", schema.table, "table column", where, schema.table.back().name).name;
      if (g.start == g.end) throw InputError(d.at(*t.get("end")) + ": start and end name the same column.");
      if (g.kind == StatisticKind::Survival)
        g.month = need_int("month", 1, months, "months since start");
      else
        g.year =
            need_int("year", 1, std::max(1LL, months / 12), "whole years since start that fit in the run, 1-based");
      break;
    case StatisticKind::Share: {
      const ColumnSpec& col = column(d, t, "column", schema.table, "table column", where, schema.table.back().name);
      g.column = col.name;
      if (col.labels.size() < 2)
        throw InputError(d.at(*t.get("column")) + ": column '" + col.name +
                         "' has no code labels; a share target counts rows by a labelled code.");
      g.label = d.text_of(t, "label", true, where, "Name one of the codes: " + join(col.labels) + ".");
      const auto it = std::find(col.labels.begin() + 1, col.labels.end(), g.label);
      if (it == col.labels.end()) {
        const std::vector<std::string> valid(col.labels.begin() + 1, col.labels.end());
        const std::string near = nearest(g.label, valid);
        throw InputError(d.at(*t.get("label")) + ": '" + shorten(g.label) + "' is not a code of column '" + col.name +
                         "' (other than its code 0, '" + col.labels.front() + "')." +
                         (near.empty() ? "" : " Did you mean '" + near + "'?") + " Valid: " + join(valid) + ".");
      }
      break;
    }
    case StatisticKind::Ratio:
      g.numerator = column(d, t, "numerator", schema.series, "monthly series", where, schema.series.front().name).name;
      g.denominator =
          column(d, t, "denominator", schema.series, "monthly series", where, schema.series.back().name).name;
      g.from = t.get("from") ? need_int("from", 1, months, "first month summed") : 1;
      g.to = t.get("to") ? need_int("to", g.from, months, "last month summed, not before from") : months;
      break;
  }
}

}  // namespace sim
