// The model interface: what a program model (KUBE today; a graduation program or savings
// groups next) hands the engine, and the registry the commands find it in. The engine
// runs, stores and resumes any model that fills in a Model; the command layer, the runner
// and the readers reach a model only through it. docs/adding-a-model.md walks through one.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/params.h"
#include "sim/record.h"
#include "sim/writer.h"

namespace sim {

// One scenario bound to a model: parameters checked and in the model's own typed form,
// ready to run any replicate. Built once per scenario or design point, shared by the
// threads that run its replicates, so run() must not change it.
class Instance {
 public:
  virtual ~Instance() = default;
  // The whole run of one replicate, laid out by the model's schema. The result depends
  // only on (this instance, seed, replicate). May throw: the run is then recorded as failed.
  virtual RunRecord run(std::uint64_t seed, std::uint64_t replicate) const = 0;
  // Names stored under /meta to label codes and rows (villages, causes ...).
  virtual Labels labels() const { return {}; }
  // Data files the scenario reads besides its own TOML chain: an output may never
  // replace one of them.
  virtual std::vector<std::filesystem::path> data_files() const { return {}; }
};

// How a summary is printed: text for people, JSON for programs, Markdown for docs/.
enum class SummaryFormat { Text, Json, Markdown };

struct Model {
  std::string name;   // the scenario key `model = "..."`, and the root attribute `model` of its files
  std::string title;  // one line for `berdaya models` and `berdaya inspect`

  // The parameter table. It must hold the engine's run.months, run.replicates and
  // run.seed (integers), which every experiment sets (register_model checks).
  std::function<const std::vector<ParamSpec>&()> parameters;
  // The output schema every run of this model is recorded by.
  std::function<const Schema&()> schema;
  // Binds a resolved scenario; InputError (naming the scenario file) for relations
  // between parameters that no single range can express. `base_dir` is the folder of the
  // scenario file, against which the scenario's relative data paths resolve.
  std::function<std::unique_ptr<const Instance>(const Resolved&, const std::filesystem::path& base_dir)> instantiate;

  // A comparison must name its no-program scenario (the model's effects are measured
  // against it).
  bool needs_counterfactual = false;

  // Optional parts; where one is empty the engine's generic version serves.
  // docs/parameters.md of the model (generic: a table from `parameters`).
  std::function<std::string()> parameters_markdown;
  // The summary of one of its result files, whatever its kind (generic: every series'
  // last month, per case, with intervals over replicates). "" for a format it does not
  // offer for that file.
  std::function<std::string(const std::filesystem::path& file, SummaryFormat format)> summarize;
  // A self-contained HTML report of a result file, in language `lang` ("id" or "en").
  std::function<void(const std::filesystem::path& file, const std::filesystem::path& out, const std::string& lang,
                     bool replace)>
      report;
  // The trainer page (berdaya serve): returns the exit code.
  struct ServeOptions {
    std::filesystem::path scenario;
    std::string bind;
    int port = 0;
    bool allow_remote = false;
    long long seed = -1;  // -1: the scenario's run.seed
    int sessions = 16;    // browser sessions at once, each its own simulation
  };
  std::function<int(const ServeOptions&)> serve;
  // berdaya init: a ready set of scenario files for an area, from its village file.
  struct InitOptions {
    std::filesystem::path dir, villages;
    std::string name;
    long long groups_per_cohort = -1, cohorts = -1;  // -1: the defaults
    double poverty_line = -1, budget = -1;           // Rp/person/month; Rp a year (-1: none)
    bool force = false;
    // The shipped scenarios/ folder the area's levers are copied from (the command line
    // finds it: the source tree, or the installed share/berdaya).
    std::filesystem::path shipped;
  };
  std::function<int(const InitOptions&)> init;
};

// Adds a model to the registry. The first model registered is the default: the one a
// scenario without a `model` key belongs to. std::logic_error when the name is taken,
// empty or not a plain word, a required part is missing, or the table lacks run.*.
void register_model(Model model);

// All registered models, in registration order.
std::vector<const Model*> models();

// The model of this name; InputError naming `where` and listing the registered models.
const Model& find_model(const std::string& name, const std::string& where);
const Model& default_model();

// A scenario with the model it belongs to: its `model` key (or its base's, through
// `extends`), else the default model.
struct ModelScenario {
  const Model* model = nullptr;
  Resolved resolved;
};
ModelScenario load_model_scenario(const std::filesystem::path& file);

// The model name a scenario file asks for (its own `model` key or the nearest base's),
// "" when none does; InputError when files of its extends chain name different models.
// Other errors in the files are left to the full loader, which names them.
std::string peek_model(const std::filesystem::path& file);

// The run settings every model's table holds.
long long run_months(const Resolved& r, const Model& m);
long long run_replicates(const Resolved& r, const Model& m);
long long run_seed(const Resolved& r, const Model& m);

}  // namespace sim
