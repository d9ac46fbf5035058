#include "models/kube/program.h"

#include <mutex>

#include "analysis/comparison.h"
#include "analysis/oat.h"
#include "analysis/report.h"
#include "analysis/report_text.h"
#include "models/kube/init.h"
#include "models/kube/model.h"
#include "models/kube/params.h"
#include "trainer/server.h"

namespace kube {

namespace fs = std::filesystem;

namespace {

class Instance final : public sim::Instance {
 public:
  explicit Instance(Params p) : p_(std::move(p)) {}
  sim::RunRecord run(std::uint64_t seed, std::uint64_t replicate) const override {
    return kube::run(p_, seed, replicate);
  }
  // Reads the village file, so a scenario whose file is missing fails before any run.
  sim::Labels labels() const override { return kube::labels(p_); }
  std::vector<fs::path> data_files() const override {
    if (p_.population_village_file.empty()) return {};
    return {p_.base_dir / p_.population_village_file};
  }

 private:
  Params p_;
};

std::string summarize(const fs::path& file, sim::SummaryFormat format) {
  switch (format) {
    case sim::SummaryFormat::Text: return analysis::summary_text(file, false);
    case sim::SummaryFormat::Json: return analysis::summary_text(file, true);
    case sim::SummaryFormat::Markdown:
      return analysis::is_oat(file) ? analysis::to_markdown(analysis::oat_summary(file)) : "";
  }
  return "";
}

}  // namespace

sim::Model program() {
  sim::Model m;
  m.name = "kube";
  m.title = "KUBE joint business groups (Kelompok Usaha Bersama): grants, mentors and the city office";
  m.parameters = []() -> const std::vector<sim::ParamSpec>& { return param_table(); };
  m.schema = []() -> const sim::Schema& { return schema(); };
  m.instantiate = [](const sim::Resolved& r, const fs::path& base_dir) -> std::unique_ptr<const sim::Instance> {
    return std::make_unique<const Instance>(make_params(r, base_dir));
  };
  // Incomes and poverty are measured against the no-program world.
  m.needs_counterfactual = true;
  m.parameters_markdown = parameters_markdown;
  m.summarize = summarize;
  m.report = [](const fs::path& file, const fs::path& out, const std::string& lang, bool replace) {
    analysis::write_report(file, out, analysis::language(lang), replace);
  };
  m.serve = [](const sim::Model::ServeOptions& o) {
    trainer::ServeOptions t;
    t.scenario = o.scenario;
    t.bind = o.bind;
    t.port = o.port;
    t.allow_remote = o.allow_remote;
    if (o.seed >= 0) t.seed = static_cast<std::uint64_t>(o.seed);
    t.max_sessions = static_cast<std::size_t>(o.sessions);
    return trainer::serve(t);
  };
  // The lever scenarios an area's set copies are the shipped ones the command line found.
  m.init = [](const sim::Model::InitOptions& o) { return init_area(o, o.shipped); };
  return m;
}

void register_program() {
  static std::once_flag once;
  std::call_once(once, [] { sim::register_model(program()); });
}

}  // namespace kube
