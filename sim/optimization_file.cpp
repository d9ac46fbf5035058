#include "sim/optimization_file.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "sim/error.h"
#include "sim/experiment_file.h"
#include "sim/output.h"
#include "sim/posterior.h"
#include "sim/toml_file.h"

namespace sim {
namespace fs = std::filesystem;

Value DecisionVariable::value(double x) const {
  if (is_choice) {
    const auto i =
        static_cast<std::size_t>(std::clamp(std::llround(x), 0LL, static_cast<long long>(choices.size()) - 1));
    return choices[i];
  }
  if (kind == Kind::Integer) return Value{std::llround(x)};
  return Value{x};
}

std::string DecisionVariable::text(double x) const { return format_value(value(x)); }

std::string Optimization::method() const {
  if (search.algorithm != "auto") return search.algorithm;
  return objectives.size() > 1 ? "nsga2" : "gaco";
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

const toml::table& table_of(const TomlFile& d, const std::string& key, const std::string& example) {
  const toml::node* n = d.table().get(key);
  if (!n) throw InputError(d.file() + ": the [" + key + "] table is missing. Add e.g.\n" + example);
  const auto* t = n->as_table();
  if (!t)
    throw InputError(d.at(*n) + ": " + key + " must be a table: write [" + key + "] on its own line, then its keys.");
  return *t;
}

// A TOML value as a parameter value of `spec`, checked against it.
Value choice_value(const TomlFile& d, const toml::node& n, const ParamSpec& spec) {
  Value v;
  if (auto i = n.value_exact<int64_t>())
    v = static_cast<long long>(*i);
  else if (auto x = n.value_exact<double>())
    v = *x;
  else if (auto b = n.value_exact<bool>())
    v = *b;
  else if (auto s = n.value_exact<std::string>())
    v = *s;
  else
    throw InputError(d.at(n) + ": a choice must be a number, a string or true/false.");
  return check_value(spec, v, d.at(n) + ": choice of " + spec.name);
}

DecisionVariable read_variable(const TomlFile& d, const toml::table& t, const Resolved& base,
                               const std::vector<ParamSpec>& table) {
  d.only(t, {"name", "low", "high", "choices"}, "a [[variable]]");
  DecisionVariable v;
  const std::string here = d.at(t, "name");
  v.name =
      d.text_of(t, "name", true, here, "Give the parameter's dotted name, e.g. name = \"" + table.back().name + "\".");
  const std::string where = d.at(*t.get("name"));
  const ParamSpec* spec = find_spec(table, v.name);
  if (!spec) {
    std::vector<std::string> all;
    for (const auto& s : table) all.push_back(s.name);
    const std::string near = nearest(v.name, all);
    throw InputError(where + ": unknown parameter '" + shorten(v.name) + "'." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Run 'berdaya params' for the list.");
  }
  if (v.name.rfind("run.", 0) == 0)
    throw InputError(where + ": " + v.name +
                     " cannot be a decision variable: months come from the scenario, replicates and seed from "
                     "[search].");
  v.kind = spec->kind;
  v.unit = spec->unit;
  v.description = spec->description;
  v.base = format_value(base.get(table, v.name));
  const toml::node* ch = t.get("choices");
  if (ch) {
    if (t.get("low") || t.get("high")) throw InputError(d.at(*ch) + ": give choices, or low and high, not both.");
    const auto* arr = ch->as_array();
    if (!arr || arr->size() < 2)
      throw InputError(d.at(*ch) + ": choices must be a list of at least two values, e.g. choices = " +
                       (spec->kind == Kind::Choice && spec->options.size() >= 2
                            ? "[\"" + spec->options[0] + "\", \"" + spec->options[1] + "\"]"
                            : std::string("[1, 2, 3]")) +
                       ".");
    v.is_choice = true;
    for (const auto& n : *arr) {
      const Value val = choice_value(d, n, *spec);
      const std::string text = format_value(val);
      if (std::find(v.choice_text.begin(), v.choice_text.end(), text) != v.choice_text.end())
        throw InputError(d.at(n) + ": choice " + text + " is listed twice. List each value once.");
      v.choices.push_back(val);
      v.choice_text.push_back(text);
    }
    return v;
  }
  if (spec->kind != Kind::Real && spec->kind != Kind::Integer)
    throw InputError(where + ": " + v.name + " is a " + kind_name(spec->kind) +
                     " parameter: give its values as a list, e.g. choices = " +
                     (spec->options.size() >= 2 ? "[\"" + spec->options[0] + "\", \"" + spec->options[1] + "\"]"
                                                : std::string("[true, false]")) +
                     ".");
  const std::string range = "[" + format_number(spec->min) + ", " + format_number(spec->max) + "]";
  for (const std::string key : {"low", "high"}) {
    const toml::node* n = t.get(key);
    if (!n)
      throw InputError(where + ": " + v.name + " needs low and high (its valid range is " + range +
                       "), or a list of choices.");
    const double x = d.num(*n, key);
    if (x < spec->min || x > spec->max)
      throw InputError(d.at(*n) + ": " + key + " = " + format_number(x) + " is outside the valid range of " + v.name +
                       " " + range + ". Choose a value inside it.");
    if (spec->kind == Kind::Integer && x != std::floor(x))
      throw InputError(d.at(*n) + ": " + v.name + " is an integer parameter: " + key + " must be a whole number.");
    (key == "low" ? v.low : v.high) = x;
  }
  if (!(v.low < v.high))
    throw InputError(d.at(t, "low") + ": " + v.name + " needs low < high (now " + format_number(v.low) + " and " +
                     format_number(v.high) + ").");
  return v;
}

Budget read_budget(const TomlFile& d, const Model& m) {
  const toml::table& t = table_of(d, "budget", "  [budget]\n  per_year = 2.0e9   # rupiah (or total = ...)");
  d.only(t, {"series", "per_year", "total"}, "[budget]");
  Budget b;
  const Schema& s = m.schema();
  std::vector<std::string> names;
  for (const auto& c : s.series) names.push_back(c.name);
  const bool has_default = std::find(names.begin(), names.end(), "cost_total") != names.end();
  b.series = d.text_of(t, "series", !has_default, d.at(t, "per_year"),
                       "Name the model's cumulative cost series, e.g. series = \"" + names.back() + "\".");
  if (b.series.empty()) b.series = "cost_total";
  if (std::find(names.begin(), names.end(), b.series) == names.end()) {
    const std::string near = nearest(b.series, names);
    throw InputError(d.at(*t.get("series")) + ": the model has no monthly series '" + shorten(b.series) + "'." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Valid: " + join(names) + ".");
  }
  const toml::node *py = t.get("per_year"), *tot = t.get("total");
  if ((py != nullptr) == (tot != nullptr))
    throw InputError((py ? d.at(*tot) : d.at(t, "series")) +
                     ": [budget] needs exactly one of per_year (rupiah per year of the run) or total (rupiah over "
                     "the whole run), e.g. per_year = 2.0e9.");
  b.per_year = py != nullptr;
  b.amount = d.num_of(t, b.per_year ? "per_year" : "total", 0, 0, 1e300, true);
  return b;
}

Robustness read_robustness(const TomlFile& d, const fs::path& file) {
  Robustness r;
  const toml::node* n = d.table().get("robustness");
  if (!n) return r;
  const auto* t = n->as_table();
  if (!t) throw InputError(d.at(*n) + ": robustness must be a table: write [robustness] on its own line.");
  d.only(*t, {"posterior", "draws", "rule", "quantile"}, "[robustness]");
  const std::string post = d.text_of(*t, "posterior", false, "");
  if (!post.empty()) {
    r.posterior = file.parent_path() / post;
    r.posterior_at = d.at(*t->get("posterior"));
    r.draws = d.int_of(*t, "draws", DEFAULT_DRAWS, 1, MAX_DRAWS);
  } else if (const auto* dr = t->get("draws")) {
    throw InputError(d.at(*dr) +
                     ": draws without a posterior: add posterior = \"FILE.h5\" (a calibration file, "
                     "berdaya calibrate), or leave draws out.");
  }
  const std::string rule = d.text_of(*t, "rule", false, "");
  if (rule.empty() || rule == "mean") {
    if (const auto* q = t->get("quantile"))
      throw InputError(d.at(*q) + ": quantile belongs to rule = \"quantile\". Add it, or leave quantile out.");
  } else if (rule == "quantile") {
    if (!t->get("quantile"))
      throw InputError(d.at(*t->get("rule")) +
                       ": rule = \"quantile\" needs quantile, e.g. quantile = 0.2 (the 20th percentile: a mix judged "
                       "by its bad worlds).");
    r.quantile_rule = true;
    r.quantile = d.num_of(*t, "quantile", 0.5, 0, 1, true);
    if (r.quantile >= 1)
      throw InputError(d.at(*t->get("quantile")) + ": quantile must be inside (0, 1), e.g. quantile = 0.2.");
  } else {
    const std::string near = nearest(rule, {"mean", "quantile"});
    throw InputError(d.at(*t->get("rule")) + ": rule = \"" + shorten(rule) + "\" is not known." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Choose \"mean\" or \"quantile\".");
  }
  return r;
}

Search read_search(const TomlFile& d, std::size_t objectives) {
  const toml::table& t =
      table_of(d, "search", "  [search]\n  population = 16\n  generations = 10\n  replicates = 2\n  seed = 1");
  d.only(t, {"algorithm", "population", "generations", "replicates", "seed"}, "[search]");
  Search s;
  s.algorithm = d.text_of(t, "algorithm", false, "");
  if (s.algorithm.empty()) s.algorithm = "auto";
  const std::vector<std::string> algos = {"auto", "nsga2", "gaco"};
  if (std::find(algos.begin(), algos.end(), s.algorithm) == algos.end()) {
    const std::string near = nearest(s.algorithm, algos);
    throw InputError(d.at(*t.get("algorithm")) + ": algorithm = \"" + shorten(s.algorithm) + "\" is not known." +
                     (near.empty() ? "" : " Did you mean '" + near + "'?") + " Choose one of: " + join(algos) + ".");
  }
  if (s.algorithm == "gaco" && objectives > 1)
    throw InputError(d.at(*t.get("algorithm")) + ": gaco optimizes one objective and the file has " +
                     std::to_string(objectives) + ". Use algorithm = \"nsga2\" (or \"auto\").");
  if (s.algorithm == "nsga2" && objectives < 2)
    throw InputError(d.at(*t.get("algorithm")) +
                     ": nsga2 searches several objectives and the file has one. Use algorithm = \"gaco\" (or "
                     "\"auto\"), or add an objective.");
  const bool nsga2 = s.algorithm == "nsga2" || (s.algorithm == "auto" && objectives > 1);
  s.population = d.int_of(t, "population", s.population, 8, 100000);
  if (nsga2 && s.population % 4 != 0)
    throw InputError(d.at(*t.get("population")) + ": NSGA-II needs a population that is a multiple of 4 (now " +
                     std::to_string(s.population) +
                     "). Choose e.g. population = " + std::to_string((s.population / 4 + 1) * 4) + ".");
  s.generations = d.int_of(t, "generations", s.generations, 1, 100000);
  s.replicates = d.int_of(t, "replicates", s.replicates, 1, 100000);
  if (!t.get("seed"))
    throw InputError(d.at(t, "population") +
                     ": [search] has no seed. Add e.g. seed = 20240101: the search and its runs are reproducible "
                     "from it.");
  s.seed = d.int_of(t, "seed", 0, 0, (1LL << 32) - 1);
  return s;
}

}  // namespace

Optimization load_optimization(const fs::path& file) {
  const TomlFile d(file, "optimization file");
  const auto& t = d.table();
  d.only(t, {"name", "description", "scenario", "start", "budget", "robustness", "search", "variable", "objective"},
         "an optimization file");
  Optimization o;
  o.file = file.string();
  o.text = d.text();
  o.name = d.text_of(t, "name", false, o.file, "");
  if (o.name.empty()) o.name = file.stem().string();
  o.description = d.text_of(t, "description", false, o.file, "");
  const std::string scen =
      d.text_of(t, "scenario", true, o.file, "Name the base scenario file, e.g. scenario = \"../kota-batu.toml\".");
  o.scenario_file = file.parent_path() / scen;
  if (!fs::is_regular_file(o.scenario_file))
    throw InputError(d.at(*t.get("scenario")) + ": scenario file '" + shorten(scen) + "' not found (looked for " +
                     o.scenario_file.string() + "). Paths are relative to the optimization file.");
  ModelScenario ms = load_model_scenario(o.scenario_file);
  o.model = ms.model;
  const auto& table = o.model->parameters();

  const toml::node* ol = t.get("objective");
  if (!ol || !ol->as_array() || ol->as_array()->empty())
    throw InputError(o.file +
                     ": no objectives. Add one [[objective]] table per objective, e.g.\n  [[objective]]\n  name = "
                     "\"active-36\"\n  statistic = \"series\"\n  series = \"" +
                     o.model->schema().series.front().name + "\"\n  month = 36\n  direction = \"maximize\"");
  const std::size_t n_objectives = ol->as_array()->size();
  o.search = read_search(d, n_objectives);
  apply_run_settings(ms.resolved, RunSettings{o.search.replicates, o.search.seed, 0}, table, "[search] of " + o.file);
  o.scenario = std::move(ms.resolved);
  const long long months = run_months(o.scenario, *o.model);
  o.budget = read_budget(d, *o.model);
  o.robustness = read_robustness(d, file);

  const toml::node* vl = t.get("variable");
  if (!vl || !vl->as_array() || vl->as_array()->empty())
    throw InputError(o.file +
                     ": no decision variables. Add one [[variable]] table per lever, e.g.\n  [[variable]]\n  name = "
                     "\"" +
                     table.back().name + "\"\n  low = ...\n  high = ...");
  std::set<std::string> seen;
  for (const auto& n : *vl->as_array()) {
    const auto* vt = n.as_table();
    if (!vt) throw InputError(d.at(n) + ": write each decision variable as a [[variable]] table.");
    DecisionVariable v = read_variable(d, *vt, o.scenario, table);
    if (!seen.insert(v.name).second)
      throw InputError(d.at(*vt->get("name")) + ": " + v.name + " is listed twice. List each variable once.");
    o.variables.push_back(std::move(v));
  }

  if (const toml::node* sl = t.get("start")) {
    const auto* arr = sl->as_array();
    if (!arr || arr->empty())
      throw InputError(d.at(*sl) + ": start must be a list of scenario files, e.g. start = [\"../combined.toml\"].");
    if (static_cast<long long>(arr->size()) > o.search.population)
      throw InputError(d.at(*sl) + ": " + std::to_string(arr->size()) + " start scenarios for a population of " +
                       std::to_string(o.search.population) + ". Raise population in [search], or list fewer.");
    for (const auto& n : *arr) {
      const auto rel = n.value_exact<std::string>();
      if (!rel) throw InputError(d.at(n) + ": each start scenario is a file path in quotes.");
      const fs::path p = file.parent_path() / *rel;
      if (!fs::is_regular_file(p))
        throw InputError(d.at(n) + ": scenario file '" + shorten(*rel) + "' not found (looked for " + p.string() +
                         "). Paths are relative to the optimization file.");
      const ModelScenario sm = load_model_scenario(p);
      if (sm.model != o.model)
        throw InputError(d.at(n) + ": start scenario '" + shorten(*rel) + "' is of model \"" + sm.model->name +
                         "\", the base scenario of \"" + o.model->name + "\".");
      StartScenario st{sm.resolved.name, p.string(), {}};
      for (const auto& spec : table) {
        if (spec.name.rfind("run.", 0) == 0 || seen.count(spec.name)) continue;
        if (!(sm.resolved.get(table, spec.name) == o.scenario.get(table, spec.name)))
          throw InputError(d.at(n) + ": start scenario '" + sm.resolved.name + "' sets " + spec.name + " = " +
                           format_value(sm.resolved.get(table, spec.name)) +
                           " (the base: " + format_value(o.scenario.get(table, spec.name)) +
                           "), which is not a decision variable. Make it one, or start from a scenario that "
                           "differs from the base only in the decision variables.");
      }
      for (const auto& v : o.variables) {
        const Value val = sm.resolved.get(table, v.name);
        const std::string text = format_value(val);
        if (v.is_choice) {
          const auto it = std::find(v.choice_text.begin(), v.choice_text.end(), text);
          if (it == v.choice_text.end())
            throw InputError(d.at(n) + ": start scenario '" + st.name + "' has " + v.name + " = " + text +
                             ", not among its choices (" + join(v.choice_text) + "). Add it to the choices.");
          st.x.push_back(static_cast<double>(it - v.choice_text.begin()));
        } else {
          const double x = std::holds_alternative<long long>(val) ? static_cast<double>(std::get<long long>(val))
                                                                  : std::get<double>(val);
          if (x < v.low || x > v.high)
            throw InputError(d.at(n) + ": start scenario '" + st.name + "' has " + v.name + " = " + text +
                             ", outside the variable's [" + format_number(v.low) + ", " + format_number(v.high) +
                             "]. Widen low and high to hold it.");
          st.x.push_back(x);
        }
      }
      o.starts.push_back(std::move(st));
    }
  }

  std::set<std::string> names;
  for (const auto& n : *ol->as_array()) {
    const auto* ot = n.as_table();
    if (!ot) throw InputError(d.at(n) + ": write each objective as an [[objective]] table.");
    Objective obj;
    Target& g = obj.statistic;
    const std::string here = d.at(*ot, "name");
    g.name = d.text_of(*ot, "name", true, here, "Give each objective a name, e.g. name = \"active-36\".");
    if (g.name.empty() || !names.insert(g.name).second)
      throw InputError(d.at(*ot->get("name")) + ": objective name '" + shorten(g.name) +
                       "' is empty or used twice. Give each objective its own name.");
    const std::string where = d.at(*ot->get("name"));
    g.kind = read_statistic_kind(d, *ot, where);
    std::vector<std::string> allowed = {"name", "statistic", "direction"};
    for (const auto& key : statistic_keys(g.kind)) allowed.push_back(key);
    d.only(*ot, allowed, "an [[objective]] of statistic \"" + statistic_name(g.kind) + "\"");
    read_statistic_columns(d, *ot, g, *o.model, months, where);
    const std::string dir =
        d.text_of(*ot, "direction", true, where, "Say which way is better: direction = \"maximize\" or \"minimize\".");
    if (dir != "maximize" && dir != "minimize") {
      const std::string near = nearest(dir, {"maximize", "minimize"});
      throw InputError(d.at(*ot->get("direction")) + ": direction = \"" + shorten(dir) + "\" is not known." +
                       (near.empty() ? "" : " Did you mean '" + near + "'?") + " Choose \"maximize\" or \"minimize\".");
    }
    obj.maximize = dir == "maximize";
    o.objectives.push_back(std::move(obj));
  }
  return o;
}

}  // namespace sim
