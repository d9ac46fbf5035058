#include "trainer/session.h"

#include <algorithm>
#include <array>

#include "models/kube/params.h"
#include "sim/error.h"
#include "trainer/api.h"

namespace trainer {

const std::vector<Lever>& levers() {
  // Slider ranges cover what a planner would try; the parameter table allows more.
  static const std::vector<Lever> list = {
      {"socialization.sessions", 0, 8, 1},    {"socialization.refresher_interval", 0, 24, 1},
      {"training.hours", 0, 120, 4},          {"training.who", 0, 0, 0},
      {"monitoring.interval", 1, 24, 1},      {"mentors.groups_per_mentor", 2, 30, 1},
      {"mentors.visits_per_month", 0, 10, 1}, {"program.grant_per_member", 0, 5000000, 250000},
      {"labels.per_year", 0, 24, 1},          {"permits.per_year", 0, 24, 1},
  };
  return list;
}

const Lever* find_lever(const std::string& name) {
  for (const auto& l : levers())
    if (l.name == name) return &l;
  return nullptr;
}

std::string group_name(std::uint32_t id) {
  // Flowers and plants of East Java's villages and of Batu's orchards.
  static const std::array<const char*, 40> names = {
      "Mawar",         "Melati",      "Anggrek",   "Kenanga",  "Cempaka", "Teratai", "Kamboja",  "Dahlia",
      "Kemuning",      "Seruni",      "Flamboyan", "Asoka",    "Bakung",  "Kantil",  "Tanjung",  "Sedap Malam",
      "Wijaya Kusuma", "Bougenville", "Lavender",  "Krisan",   "Apel",    "Jeruk",   "Stroberi", "Salak",
      "Pandan",        "Sirih",       "Jahe",      "Kunyit",   "Kencur",  "Serai",   "Kemangi",  "Padi",
      "Jagung",        "Kelapa",      "Bambu",     "Beringin", "Cendana", "Jati",    "Cemara",   "Nangka"};
  static const std::array<const char*, 6> rounds = {"", " II", " III", " IV", " V", " VI"};
  std::string out = std::string("KUBE ") + names[id % names.size()];
  const std::size_t round = id / names.size();
  if (round < rounds.size())
    out += rounds[round];
  else
    out += " " + std::to_string(round + 1);
  return out;
}

Run::Run(const kube::Params& p, std::uint64_t seed, bool track_events)
    : world_(std::make_unique<kube::World>(p, seed, 0)), track_events_(track_events) {
  kube::init_world(*world_);
  record_.resize(kube::schema(), static_cast<int>(p.run_months));
}

// The same order as kube::run, so the trainer's month m is replicate 0's month m of
// `berdaya run` with the same scenario and seed.
void Run::advance() {
  if (done_ >= months_total()) return;
  kube::World& w = *world_;
  w.month = done_;
  if (track_events_) {
    before_.resize(w.groups.size());
    for (std::size_t i = 0; i < w.groups.size(); ++i) {
      const auto& g = w.groups[i];
      before_[i] = {g.stage,          g.members, g.flagged_at, g.need_since,   g.need_forwarded,
                    g.capture_hidden, g.label,   g.permit,     g.equipment_in, g.captured};
    }
  }
  kube::step_and_record(w, record_);
  if (track_events_) {
    find_events(w.month);
    record_history(w.month);
  }
  ++done_;
}

const std::vector<Run::GroupMonth>& Run::history(std::uint32_t group) const {
  static const std::vector<GroupMonth> none;
  return group < history_.size() ? history_[group] : none;
}

void Run::record_history(int month) {
  const kube::World& w = *world_;
  history_.resize(w.groups.size());
  for (const auto& g : w.groups) {
    // An ended group's history stops at the month it ended; nothing changes after it.
    if (g.stage == kube::Stage::Inactive && g.failed >= 0 && g.failed < month) continue;
    history_[g.id].push_back({month, static_cast<float>(g.capital), g.cohesion, g.members});
  }
}

void Run::find_events(int month) {
  const kube::World& w = *world_;
  auto add = [&](const char* kind, const kube::Group& g, double value = 0, double value2 = 0) {
    events_.push_back({month, kind, g.id, value, value2});
  };
  for (const auto& g : w.groups) {
    const bool is_new = g.id >= before_.size();
    const Snapshot b = is_new ? Snapshot{} : before_[g.id];
    if (is_new) add("formed", g, g.size_formed, g.mentor);
    if (g.funded == month) add("funded", g, g.grant_in);
    // A visit is reported where it matters: a group flagged at risk got its follow-up.
    if (!is_new && g.last_visit == month && b.flagged_at >= 0 && b.flagged_at < month)
      add("visit_at_risk", g, g.mentor, b.flagged_at);
    if (g.flagged_at == month && b.flagged_at != month) add("flagged", g, g.mentor, g.cohesion);
    if (b.capture_hidden && !g.capture_hidden) add("capture_found", g, g.captured);
    if (g.need_since == month && b.need_since != month) add("need", g);
    if (g.need_forwarded && !b.need_forwarded) add("forwarded", g, g.mentor);
    if (b.need_since >= 0 && g.need_since < 0)
      add(g.equipment_in > b.equipment_in ? "approved" : "declined", g, g.equipment_in - b.equipment_in,
          month - b.need_since);
    if (g.label && !b.label) add("label", g);
    if (g.permit && !b.permit) add("permit", g);
    if (g.stage == kube::Stage::Active && g.members < b.members) add("left", g, b.members - g.members, g.members);
    if (g.stage == kube::Stage::Inactive && b.stage != kube::Stage::Inactive) {
      // Why the grant was shared out: the members' view of it, or their need for cash.
      double und = 0, need = 0, n = 0;
      for (auto i = g.member_begin; i < g.member_end; ++i) {
        const auto h = w.members[i];
        und += w.hh.understanding[h];
        need += w.hh.need_months[h] > 0;
        ++n;
      }
      add((std::string("failed_") + kube::cause_name(g.cause)).c_str(), g, n > 0 ? und / n : 0, n > 0 ? need / n : 0);
    }
  }
}

Session::Session(sim::Resolved scenario, std::filesystem::path base_dir, std::uint64_t seed)
    : scenario_(std::move(scenario)), base_dir_(std::move(base_dir)), seed_(seed) {
  setup({}, seed);
}

sim::Value Session::scenario_value(const std::string& name) const { return scenario_.get(kube::param_table(), name); }

void Session::setup(const std::map<std::string, sim::Value>& lever_values, std::uint64_t seed) {
  const auto& table = kube::param_table();
  sim::Resolved with_levers = scenario_;
  std::map<std::string, sim::Value> checked;
  for (const auto& [name, value] : lever_values) {
    if (!find_lever(name)) {
      std::string names;
      std::vector<std::string> valid;
      for (const auto& l : levers()) {
        names += (names.empty() ? "" : ", ") + l.name;
        valid.push_back(l.name);
      }
      const std::string near = sim::nearest(name, valid);
      throw sim::InputError("unknown lever '" + clip(name, 80) + "'." +
                            (near.empty() ? "" : " Did you mean '" + near + "'?") + " The levers are: " + names + ".");
    }
    const sim::ParamSpec* spec = sim::find_spec(table, name);
    checked[name] = sim::check_value(*spec, value, "lever");
    with_levers.settings[name] = sim::Setting{checked[name], "lever " + name, 0, 0};
  }
  sim::check_value(*sim::find_spec(table, "run.seed"), static_cast<long long>(seed), "seed");
  // Both are built before either is kept, so a failure leaves the session untouched.
  const kube::Params p = kube::make_params(with_levers, base_dir_);
  const kube::Params base = kube::make_params(scenario_, base_dir_);
  auto run = std::make_unique<Run>(p, seed, true);
  auto baseline = std::make_unique<Run>(base, seed, false);
  run_ = std::move(run);
  baseline_ = std::move(baseline);
  values_ = std::move(checked);
  seed_ = seed;
}

int Session::step(int months) {
  int n = 0;
  while (n < months && run_->months_done() < run_->months_total()) {
    run_->advance();
    baseline_->advance();
    ++n;
  }
  return n;
}

}  // namespace trainer
