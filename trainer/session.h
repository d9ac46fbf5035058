// A trainer session: one scenario stepped month by month with the trainer's levers, and
// beside it the same scenario with its own settings and the same seed (the baseline), so
// every difference on screen comes from the levers alone (common random numbers).
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/kube/model.h"
#include "sim/params.h"
#include "sim/record.h"

namespace trainer {

// A lever: a scenario parameter the page offers, with the range its slider shows. The
// server validates against the parameter table's own range, which may be wider.
struct Lever {
  std::string name;  // dotted parameter name
  double ui_min = 0, ui_max = 0, ui_step = 1;
};
const std::vector<Lever>& levers();
const Lever* find_lever(const std::string& name);

// Something that happened to a group in a month, found by comparing the group before and
// after the step. The page words it in the reader's language.
struct Event {
  int month = 0;  // 0-based
  std::string kind;
  std::uint32_t group = 0;
  double value = 0;   // kind-dependent: members, rupiah, a month, a mentor
  double value2 = 0;  // kind-dependent second figure
};

// Deterministic name of a group from its id: "KUBE Mawar", "KUBE Melati", ...
std::string group_name(std::uint32_t id);

// One run of the model with its record and, for the trainer's run, its events.
class Run {
 public:
  Run(const kube::Params& p, std::uint64_t seed, bool track_events);
  void advance();  // one month
  int months_done() const { return done_; }
  int months_total() const { return static_cast<int>(world_->p.run_months); }
  const kube::World& world() const { return *world_; }
  const sim::RunRecord& record() const { return record_; }
  const std::vector<Event>& events() const { return events_; }
  // A group's figures at the end of each month since it formed (the trainer's run only).
  struct GroupMonth {
    int month = 0;  // 0-based
    float capital = 0, cohesion = 0;
    std::uint8_t members = 0;
  };
  const std::vector<GroupMonth>& history(std::uint32_t group) const;

 private:
  struct Snapshot {
    kube::Stage stage = kube::Stage::Preparing;
    std::uint8_t members = 0;
    std::int32_t flagged_at = -1, need_since = -1;
    bool need_forwarded = false, capture_hidden = false, label = false, permit = false;
    double equipment_in = 0, captured = 0;
  };
  void find_events(int month);
  void record_history(int month);

  std::unique_ptr<kube::World> world_;
  sim::RunRecord record_;
  std::vector<Snapshot> before_;
  std::vector<Event> events_;
  std::vector<std::vector<GroupMonth>> history_;  // by group id
  bool track_events_;
  int done_ = 0;
};

class Session {
 public:
  // `scenario` as loaded; `base_dir` is the scenario file's folder.
  Session(sim::Resolved scenario, std::filesystem::path base_dir, std::uint64_t seed);

  // Validates the levers against the parameter table (InputError naming the lever, the
  // value and the fix) before touching anything: a rejected setup leaves the session as
  // it was. Then rebuilds both runs at month 0.
  void setup(const std::map<std::string, sim::Value>& lever_values, std::uint64_t seed);
  // Steps both runs up to `months` months, never past the scenario's end; returns how many.
  int step(int months);

  const Run& run() const { return *run_; }
  const Run& baseline() const { return *baseline_; }
  std::uint64_t seed() const { return seed_; }
  const std::string& scenario_name() const { return scenario_.name; }
  const sim::Wording& scenario_title() const { return scenario_.title; }  // empty where the file has none
  const std::map<std::string, sim::Value>& lever_values() const { return values_; }
  // The scenario's own value of a lever (what the baseline runs with).
  sim::Value scenario_value(const std::string& name) const;

 private:
  sim::Resolved scenario_;
  std::filesystem::path base_dir_;
  std::uint64_t seed_;
  std::map<std::string, sim::Value> values_;
  std::unique_ptr<Run> run_, baseline_;
};

}  // namespace trainer
