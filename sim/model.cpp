#include "sim/model.h"

#include <toml++/toml.h>
#include <mutex>
#include <stdexcept>

#include "sim/config.h"
#include "sim/error.h"
#include "sim/output.h"

namespace sim {
namespace fs = std::filesystem;

namespace {

// Models are registered once at start-up, before any thread runs; the lock only keeps a
// late registration from racing a lookup.
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::vector<std::unique_ptr<Model>>& registry() {
  static std::vector<std::unique_ptr<Model>> r;
  return r;
}

bool plain_word(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return s[0] >= 'a' && s[0] <= 'z';
}

std::string names() {
  std::string out;
  for (const auto& m : registry()) out += (out.empty() ? "" : ", ") + m->name;
  return out;
}

long long integer_setting(const Resolved& r, const Model& m, const char* name) {
  return std::get<long long>(r.get(m.parameters(), name));
}

}  // namespace

void register_model(Model model) {
  const std::string at = "register_model('" + model.name + "'): ";
  if (!plain_word(model.name)) throw std::logic_error(at + "a model name is a plain lower-case word");
  if (!model.parameters || !model.schema || !model.instantiate)
    throw std::logic_error(at + "parameters, schema and instantiate are required");
  for (const char* run : {"run.months", "run.replicates", "run.seed"}) {
    const ParamSpec* spec = find_spec(model.parameters(), run);
    if (!spec || spec->kind != Kind::Integer)
      throw std::logic_error(at + "the parameter table needs the integer " + std::string(run));
  }
  std::lock_guard lock(registry_mutex());
  for (const auto& m : registry())
    if (m->name == model.name) throw std::logic_error(at + "a model of this name is registered already");
  registry().push_back(std::make_unique<Model>(std::move(model)));
}

std::vector<const Model*> models() {
  std::lock_guard lock(registry_mutex());
  std::vector<const Model*> out;
  for (const auto& m : registry()) out.push_back(m.get());
  return out;
}

const Model& find_model(const std::string& name, const std::string& where) {
  std::lock_guard lock(registry_mutex());
  for (const auto& m : registry())
    if (m->name == name) return *m;
  if (registry().empty()) throw std::logic_error("no model is registered");
  std::vector<std::string> all;
  for (const auto& m : registry()) all.push_back(m->name);
  const std::string near = nearest(name, all);
  throw InputError(where + ": model = \"" + shorten(name, 40) + "\" is not a model of this berdaya." +
                   (near.empty() ? "" : " Did you mean '" + near + "'?") + " Models: " + names() +
                   " ('berdaya models' lists them).");
}

const Model& default_model() {
  std::lock_guard lock(registry_mutex());
  if (registry().empty()) throw std::logic_error("no model is registered");
  return *registry().front();
}

std::string peek_model(const fs::path& file) {
  fs::path at = file;
  std::string model, named_in;
  for (std::size_t depth = 0; depth < MAX_EXTENDS_DEPTH; ++depth) {
    toml::table t;
    try {
      t = toml::parse(read_text_file(at, MAX_SCENARIO_BYTES, "scenario file"), at.string());
    } catch (const std::exception&) {
      break;  // the full loader names what is wrong, and where
    }
    if (auto m = t["model"].value_exact<std::string>()) {
      // Checked here, before any parameter is read against the wrong model's table.
      if (!model.empty() && *m != model)
        throw InputError(shorten(named_in, 200) + ": model = \"" + shorten(model, 40) +
                         "\", but the scenario it extends, " + shorten(at.string(), 200) + ", is of model \"" +
                         shorten(*m, 40) + "\". A scenario extends only scenarios of its own model.");
      if (model.empty()) named_in = at.string();
      model = *m;
    }
    auto ext = t["extends"].value_exact<std::string>();
    if (!ext) break;
    at = at.parent_path() / *ext;
  }
  return model;
}

ModelScenario load_model_scenario(const fs::path& file) {
  const std::string name = peek_model(file);
  const Model& m = name.empty() ? default_model() : find_model(name, shorten(file.string(), 200));
  ModelScenario s{&m, load_scenario(file, m.parameters())};
  s.resolved.model = m.name;
  return s;
}

long long run_months(const Resolved& r, const Model& m) { return integer_setting(r, m, "run.months"); }
long long run_replicates(const Resolved& r, const Model& m) { return integer_setting(r, m, "run.replicates"); }
long long run_seed(const Resolved& r, const Model& m) { return integer_setting(r, m, "run.seed"); }

}  // namespace sim
