#include "sim/experiment_file.h"

#include <toml++/toml.h>
#include <algorithm>
#include <set>

#include "sim/config.h"
#include "sim/error.h"
#include "sim/toml_file.h"

namespace sim {
namespace fs = std::filesystem;

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// An experiment file: its TOML, with places in every message.
class Doc : public TomlFile {
 public:
  Doc(const fs::path& file, const std::string& kind) : TomlFile(file, kind + " file") {}
};

RunSettings run_settings(const Doc& d) {
  RunSettings r;
  r.replicates = d.int_of(d.table(), "replicates", 0, 1, 100000);
  if (!d.table().get("replicates"))
    throw InputError(d.file() + ": 'replicates' is missing. Add e.g. replicates = 100 (runs per scenario or point).");
  r.seed = d.int_of(d.table(), "seed", 0, 0, (1LL << 62));
  if (!d.table().get("seed"))
    throw InputError(d.file() + ": 'seed' is missing. Add e.g. seed = 20240101: results are reproducible from it.");
  r.months = d.int_of(d.table(), "months", 0, 1, 600);
  return r;
}

// The keys every experiment file shares; the name defaults to the file's stem.
void read_common(const Doc& d, const fs::path& file, ExperimentFile& e) {
  e.file = file.string();
  e.text = d.text();
  e.name = d.text_of(d.table(), "name", false, "");
  if (e.name.empty()) e.name = file.stem().string();
  // A description in one string, or in both languages (description.id, description.en).
  if (const toml::node* n = d.table().get("description"); n && n->is_table()) {
    const auto* both = n->as_table();
    if (both->size() != 2 || !both->get("id") || !both->get("en") || !both->get("id")->value_exact<std::string>() ||
        !both->get("en")->value_exact<std::string>())
      throw InputError(d.at(*n) +
                       ": description must be one string, or both languages as strings, description.id = "
                       "\"...\" and description.en = \"...\", and nothing else.");
    e.description = *both->get("en")->value_exact<std::string>();
  } else {
    e.description = d.text_of(d.table(), "description", false, "");
  }
  // The title the reports head the experiment with, in both languages (title.id, title.en).
  if (const toml::node* t = d.table().get("title")) {
    const auto* both = t->as_table();
    if (!both || both->size() != 2 || !both->get("id") || !both->get("en") ||
        !both->get("id")->value_exact<std::string>() || !both->get("en")->value_exact<std::string>())
      throw InputError(d.at(*t) +
                       ": title must give both languages as strings, title.id = \"...\" and title.en = "
                       "\"...\", and nothing else.");
    for (const char* lang : {"id", "en"})
      if (both->get(lang)->value_exact<std::string>()->size() > 120)
        throw InputError(d.at(*both->get(lang)) + ": title." + lang + " is longer than 120 characters. Shorten it.");
  }
  e.run = run_settings(d);
}

Value factor_value(const Doc& d, const toml::node& n, const std::string& key) {
  if (auto v = n.value_exact<int64_t>()) return static_cast<long long>(*v);
  if (auto v = n.value_exact<double>()) return *v;
  if (auto v = n.value_exact<bool>()) return *v;
  if (auto v = n.value_exact<std::string>()) return *v;
  throw InputError(d.at(n) + ": " + key + " entries must be numbers, booleans or strings.");
}

}  // namespace

void apply_run_settings(Resolved& r, const RunSettings& run, const std::vector<ParamSpec>& table,
                        const std::string& where) {
  set_from_command_line(r, table, "run.replicates", run.replicates, where);
  set_from_command_line(r, table, "run.seed", run.seed, where);
  if (run.months > 0) set_from_command_line(r, table, "run.months", run.months, where);
}

Comparison load_comparison(const fs::path& file) {
  const Doc d(file, "comparison");
  const auto& t = d.table();
  d.only(t,
         {"name", "title", "description", "scenarios", "baseline", "counterfactual", "replicates", "seed", "months",
          "posterior", "draws"},
         "a comparison file");
  Comparison c;
  read_common(d, file, c);
  const toml::node* list = t.get("scenarios");
  if (!list || !list->as_array() || list->as_array()->empty())
    throw InputError((list ? d.at(*list) : d.file()) +
                     ": 'scenarios' must list the scenario files to compare, e.g. scenarios = [\"../kota-batu.toml\", "
                     "\"../training.toml\"] (paths relative to this file).");
  std::set<std::string> names;
  for (const auto& n : *list->as_array()) {
    auto path = n.value_exact<std::string>();
    if (!path) throw InputError(d.at(n) + ": each entry of scenarios must be a file path in quotes.");
    const fs::path p = file.parent_path() / *path;
    if (!fs::is_regular_file(p))
      throw InputError(d.at(n) + ": scenario file '" + *path + "' not found (looked for " + p.string() +
                       "). Paths are relative to the comparison file.");
    ModelScenario ms = load_model_scenario(p);
    if (c.model && ms.model != c.model)
      throw InputError(d.at(n) + ": scenario '" + *path + "' is of model \"" + ms.model->name +
                       "\", the ones before it of \"" + c.model->name +
                       "\". A comparison compares scenarios of one model.");
    c.model = ms.model;
    Resolved r = std::move(ms.resolved);
    if (!names.insert(r.name).second)
      throw InputError(d.at(n) + ": two scenarios are named '" + r.name + "'. Give each a distinct name = \"...\".");
    c.scenarios.push_back(std::move(r));
    c.scenario_files.push_back(p);
  }
  auto find = [&](const std::string& key, const std::string& fix) {
    const std::string want = d.text_of(t, key, true, fix);
    for (std::size_t i = 0; i < c.scenarios.size(); ++i)
      if (c.scenarios[i].name == want) return i;
    std::vector<std::string> all;
    for (const auto& s : c.scenarios) all.push_back(s.name);
    throw InputError(d.at(*t.get(key)) + ": " + key + " = \"" + want + "\" is not one of the scenarios (" + join(all) +
                     "). Name a scenario listed in scenarios.");
  };
  c.baseline = find("baseline", "Name the scenario the others are compared with, e.g. baseline = \"kota-batu\".");
  if (t.get("counterfactual") || c.model->needs_counterfactual)
    c.counterfactual = find("counterfactual",
                            "Name the no-program scenario, e.g. counterfactual = \"no-program\", and "
                            "list its file: model \"" +
                                c.model->name + "\" measures effects against it.");
  const std::string post =
      d.text_of(t, "posterior", false, "Name the calibration file, e.g. posterior = \"../calibration/kota-batu.h5\".");
  if (!post.empty()) {
    c.posterior = (file.parent_path() / post).lexically_normal();
    c.posterior_at = d.at(*t.get("posterior"));
  }
  if (const toml::node* n = t.get("draws")) {
    c.draws_at = d.at(*n);
    if (post.empty())
      throw InputError(c.draws_at +
                       ": draws without posterior. Add posterior = \"FILE.h5\" (a calibration file), "
                       "or leave out draws.");
  }
  c.draws = d.int_of(t, "draws", 0, 1, 100000);
  return c;
}

Sweep load_sweep(const fs::path& file) {
  const Doc d(file, "sweep");
  const auto& t = d.table();
  d.only(t,
         {"name", "title", "description", "scenario", "design", "replicates", "seed", "months", "samples",
          "trajectories", "levels", "design_seed", "factor"},
         "a sweep file");
  Sweep s;
  read_common(d, file, s);
  const std::string scen =
      d.text_of(t, "scenario", true, "Name the base scenario file, e.g. scenario = \"../kota-batu.toml\".");
  s.base_file = file.parent_path() / scen;
  if (!fs::is_regular_file(s.base_file))
    throw InputError(d.at(*t.get("scenario")) + ": scenario file '" + scen + "' not found (looked for " +
                     s.base_file.string() + "). The path is relative to the sweep file.");
  ModelScenario ms = load_model_scenario(s.base_file);
  s.model = ms.model;
  s.base = std::move(ms.resolved);
  const auto& table = s.model->parameters();

  const std::vector<std::string> designs = {"grid", "lhs", "saltelli", "morris"};
  s.design = d.text_of(t, "design", true, "Choose one of: grid, lhs, saltelli, morris.");
  if (std::find(designs.begin(), designs.end(), s.design) == designs.end())
    throw InputError(d.at(*t.get("design")) + ": design = \"" + s.design +
                     "\" is not known. Choose one of: " + join(designs) + ".");
  s.samples = d.int_of(t, "samples", 0, 1, 1000000);
  s.trajectories = d.int_of(t, "trajectories", 0, 1, 100000);
  s.levels = d.int_of(t, "levels", 4, 2, 1000);
  s.design_seed = d.int_of(t, "design_seed", s.run.seed, 0, (1LL << 62));
  if ((s.design == "lhs" || s.design == "saltelli") && s.samples == 0)
    throw InputError(d.file() + ": design \"" + s.design + "\" needs samples = N (" +
                     (s.design == "lhs" ? "the number of points" : "base rows: N * (factors + 2) points") + ").");
  if (s.design == "morris" && s.trajectories == 0)
    throw InputError(d.file() + ": design \"morris\" needs trajectories = r (r * (factors + 1) points), e.g. 10.");
  if (s.design == "morris" && s.levels % 2 != 0)
    throw InputError(d.at(*t.get("levels")) + ": Morris needs an even number of levels, e.g. levels = 4.");

  const toml::node* fl = t.get("factor");
  if (!fl || !fl->as_array() || fl->as_array()->empty())
    throw InputError(d.file() +
                     ": no factors. Add one [[factor]] table per parameter, e.g.\n  [[factor]]\n  name = "
                     "\"membership.motivation_rate\"\n  low = 0.005\n  high = 0.03");
  std::set<std::string> seen;
  for (const auto& n : *fl->as_array()) {
    const auto* ft = n.as_table();
    if (!ft) throw InputError(d.at(n) + ": write each factor as a [[factor]] table.");
    d.only(*ft, {"name", "low", "high", "scale", "levels", "values"}, "a [[factor]]");
    Factor f;
    f.name = d.text_of(*ft, "name", true, "Give the parameter's dotted name, e.g. name = \"training.hours\".");
    const std::string where = d.at(*ft->get("name"));
    const ParamSpec* spec = find_spec(table, f.name);
    if (!spec) {
      std::vector<std::string> all;
      for (const auto& p : table) all.push_back(p.name);
      const std::string near = nearest(f.name, all);
      throw InputError(where + ": unknown parameter '" + f.name + "'." +
                       (near.empty() ? "" : " Did you mean '" + near + "'?") + " Run 'berdaya params' for the list.");
    }
    if (f.name.rfind("run.", 0) == 0)
      throw InputError(where + ": " + f.name +
                       " cannot be swept: replicates, seed and months are set for the whole sweep.");
    if (!seen.insert(f.name).second)
      throw InputError(where + ": " + f.name + " is listed twice. List each factor once.");
    if (const auto* vals = ft->get("values")) {
      if (s.design != "grid")
        throw InputError(d.at(*vals) +
                         ": explicit values only work with design = \"grid\"; give low and high instead.");
      if (!vals->as_array() || vals->as_array()->empty())
        throw InputError(d.at(*vals) + ": values must be a non-empty list, e.g. values = [1, 2, 3].");
      for (const auto& v : *vals->as_array())
        f.values.push_back(check_value(*spec, factor_value(d, v, "values"), d.at(v)));
    } else {
      if (spec->kind != Kind::Real && spec->kind != Kind::Integer)
        throw InputError(where + ": " + f.name + " is a " + kind_name(spec->kind) +
                         "; sweep it with design = \"grid\" and values = [...].");
      const toml::node* lo = ft->get("low");
      const toml::node* hi = ft->get("high");
      if (!lo || !hi)
        throw InputError(where + ": factor " + f.name + " needs low and high (valid range [" +
                         format_number(spec->min) + ", " + format_number(spec->max) + "]).");
      f.low = d.num(*lo, "low");
      f.high = d.num(*hi, "high");
      for (auto [node, v] : {std::pair{lo, f.low}, std::pair{hi, f.high}})
        if (v < spec->min || v > spec->max)
          throw InputError(d.at(*node) + ": " + format_number(v) + " is outside the valid range of " + f.name + " [" +
                           format_number(spec->min) + ", " + format_number(spec->max) + "].");
      if (!(f.low < f.high)) throw InputError(d.at(*lo) + ": low must be below high for " + f.name + ".");
      const std::string sc = d.text_of(*ft, "scale", false, "Choose \"linear\" or \"log\".");
      if (!sc.empty() && sc != "linear" && sc != "log")
        throw InputError(d.at(*ft->get("scale")) + ": scale = \"" + sc +
                         "\" is not known. Choose \"linear\" or \"log\".");
      f.log = sc == "log";
      if (f.log && f.low <= 0) throw InputError(d.at(*lo) + ": a log scale needs low > 0.");
      f.levels = static_cast<int>(d.int_of(*ft, "levels", 0, 1, 10000));
      if (s.design == "grid" && f.levels == 0)
        throw InputError(where + ": on a grid, give factor " + f.name +
                         " levels = n (points across the range) or values = [...].");
    }
    s.factors.push_back(std::move(f));
  }
  return s;
}

}  // namespace sim
