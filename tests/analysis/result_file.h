// A small KUBE result file for the analysis tests, written through the whole pipeline of
// 'berdaya run' (plan, runner, spool, writer) from a few replicates of a small world.
#pragma once
#include <unistd.h>

#include <filesystem>
#include <string>

#include "models/kube/world.h"
#include "sim/experiment.h"
#include "sim/writer.h"

namespace test {

inline std::filesystem::path write_result_file(const kube::Params& p, const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".h5");
  std::filesystem::remove(path);
  std::filesystem::remove(sim::spool_path(path));
  sim::Plan plan;
  plan.kind = "run";
  plan.case_dim = "scenario";
  plan.cases = {"small"};
  plan.replicates = static_cast<std::size_t>(p.run_replicates);
  plan.months = static_cast<int>(p.run_months);
  plan.fingerprint = "test/" + name;
  sim::ExecOptions eo;
  eo.threads = 2;
  const auto seed = static_cast<std::uint64_t>(p.run_seed);
  sim::execute(
      plan, [&](std::size_t, std::size_t rep) { return kube::run(p, seed, rep); }, path, eo);
  sim::Provenance prov;
  prov.engine_version = "test";
  prov.git_commit = "abc123";
  prov.created = sim::utc_now();
  prov.command_line = "berdaya test";
  prov.seed = p.run_seed;
  prov.experiment = prov.scenario = "small";
  prov.scenario_toml = "name = \"small\"\n";
  sim::write_results(path, prov, plan, kube::schema(), kube::labels(p), sim::CaseTable{{"d"}, {"t"}}, nullptr);
  return path;
}

// The parameters of the file: the small world, 8 replicates of 36 months.
inline kube::Params result_params() {
  return small("run.months = 36\nrun.replicates = 8\nrun.seed = 77\n");
}

}  // namespace test
