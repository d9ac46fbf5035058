#include "tests/toy/toy.h"

#include <mutex>

#include "sim/error.h"
#include "sim/random.h"

namespace toy {

namespace {

// The model's named streams: one purpose each, so no two draws can share numbers.
enum Stream : std::uint32_t { STREAM_LEAVING = 1, N_STREAMS };

const std::vector<sim::ParamSpec>& table() {
  using sim::Kind;
  static const std::vector<sim::ParamSpec> t = {
      {"run.months", Kind::Integer, 12LL, 1, 600, {}, "month", "Simulated months", "assumption"},
      {"run.replicates", Kind::Integer, 10LL, 1, 100000, {}, "1", "Replicates of the scenario", "assumption"},
      {"run.seed", Kind::Integer, 1LL, 0, 9007199254740991.0, {}, "1", "Master seed", "assumption"},
      {"circle.members", Kind::Integer, 10LL, 1, 100000, {}, "1", "Members at the start", "assumption"},
      {"circle.deposit", Kind::Real, 1000.0, 0, 1e9, {}, "IDR", "Deposit of each member still in, per month",
       "assumption"},
      {"circle.leave_probability", Kind::Real, 0.05, 0, 1, {}, "1", "Chance a member leaves, per month", "assumption"},
  };
  return t;
}

enum Series : std::size_t { S_ACTIVE, S_SAVINGS, N_SERIES };
enum Yearly : std::size_t { Y_DEPOSITS, N_YEARLY };
enum Column : std::size_t { C_REPLICATE, C_LEFT_MONTH, C_DEPOSITED, N_COLUMNS };

const sim::Schema& schema() {
  static const sim::Schema s = [] {
    sim::Schema out;
    out.table_name = "members";
    out.series = {{"active", "1", "Members still in the circle at the end of the month", true, {}, std::nullopt},
                  {"savings", "IDR", "Deposits made so far, all members", false, {}, std::nullopt}};
    out.yearly = {{"deposits", "IDR", "Deposits made in the year", false, {}, std::nullopt}};
    out.table = {{"replicate", "1", "Replicate of the member's run", true, {}, std::nullopt},
                 {"left_month", "month", "Month the member left; -1: never", true, {}, -1.0},
                 {"deposited", "IDR", "Deposits the member made", false, {}, std::nullopt}};
    return out;
  }();
  return s;
}

struct Params {
  long long months = 0, members = 0;
  double deposit = 0, leave = 0;
};

class Instance final : public sim::Instance {
 public:
  explicit Instance(Params p) : p_(p) {}

  sim::RunRecord run(std::uint64_t seed, std::uint64_t replicate) const override {
    sim::RunRecord r;
    r.resize(schema(), static_cast<int>(p_.months));
    const sim::Streams streams(seed, replicate);
    const auto n = static_cast<std::size_t>(p_.members);
    std::vector<double> left(n, -1), deposited(n, 0);
    double savings = 0;
    for (int m = 0; m < p_.months; ++m) {
      double active = 0;
      const auto key = streams.key(STREAM_LEAVING, m);  // key fields: month, then member
      for (std::size_t i = 0; i < n; ++i) {
        if (left[i] >= 0) continue;
        deposited[i] += p_.deposit;
        savings += p_.deposit;
        r.year_at(Y_DEPOSITS, m / 12) += p_.deposit;
        auto s = key.stream(i);
        if (s.bernoulli(p_.leave)) left[i] = m;
        else active += 1;
      }
      r.at(S_ACTIVE, m) = active;
      r.at(S_SAVINGS, m) = savings;
    }
    r.table[C_REPLICATE].assign(n, static_cast<double>(replicate));
    r.table[C_LEFT_MONTH] = left;
    r.table[C_DEPOSITED] = deposited;
    return r;
  }

 private:
  Params p_;
};

std::unique_ptr<const sim::Instance> instantiate(const sim::Resolved& r, const std::filesystem::path&) {
  Params p;
  p.months = std::get<long long>(r.get(table(), "run.months"));
  p.members = std::get<long long>(r.get(table(), "circle.members"));
  p.deposit = std::get<double>(r.get(table(), "circle.deposit"));
  p.leave = std::get<double>(r.get(table(), "circle.leave_probability"));
  // A relation no single range can express, so the toy shows how a model reports one.
  if (p.leave == 1 && p.deposit == 0)
    throw sim::InputError((r.files.empty() ? r.name : r.files.front()) +
                          ": circle.leave_probability = 1 with circle.deposit = 0 is a circle that never exists. "
                          "Give a deposit, or a leave probability below 1.");
  return std::make_unique<const Instance>(p);
}

}  // namespace

sim::Model program() {
  sim::Model m;
  m.name = "toy";
  m.title = "A savings circle whose answers are known exactly (tests/toy: the worked example of a model)";
  m.parameters = table;
  m.schema = schema;
  m.instantiate = instantiate;
  return m;
}

void register_program() {
  static std::once_flag once;
  std::call_once(once, [] { sim::register_model(program()); });
}

}  // namespace toy
