#include "tests/toy/ventures.h"

#include <mutex>

#include "sim/random.h"

namespace ventures {

namespace {

enum Stream : std::uint32_t { STREAM_FAIL = 1, STREAM_CAUSE, STREAM_PROFIT };

const std::vector<sim::ParamSpec>& table() {
  using sim::Kind;
  static const std::vector<sim::ParamSpec> t = {
      {"run.months", Kind::Integer, 60LL, 1, 600, {}, "month", "Simulated months", "assumption"},
      {"run.replicates", Kind::Integer, 4LL, 1, 100000, {}, "1", "Replicates of the scenario", "assumption"},
      {"run.seed", Kind::Integer, 1LL, 0, 9007199254740991.0, {}, "1", "Master seed", "assumption"},
      {"ventures.groups",
       Kind::Integer,
       120LL,
       1,
       100000,
       {},
       "groups",
       "Groups funded, in 12 monthly cohorts",
       "assumption"},
      {"ventures.early_hazard",
       Kind::Real,
       0.05,
       0,
       1,
       {},
       "1/month",
       "Chance an active group fails in a month of its first year",
       "assumption"},
      {"ventures.late_hazard",
       Kind::Real,
       0.01,
       0,
       1,
       {},
       "1/month",
       "Chance an active group fails in a month after its first year",
       "assumption"},
      {"ventures.market_share", Kind::Real, 0.5, 0, 1, {}, "1", "Share of failures caused by the market", "assumption"},
      {"ventures.profit",
       Kind::Real,
       100.0,
       0,
       1e6,
       {},
       "IDR/month",
       "Mean monthly profit of an active group",
       "assumption"},
      {"ventures.savings_rate", Kind::Real, 0.1, 0, 1, {}, "1", "Share of profit saved", "assumption"},
      {"ventures.grant",
       Kind::Real,
       1000.0,
       0,
       1e9,
       {},
       "IDR",
       "Grant paid to a group when it is funded",
       "assumption"},
  };
  return t;
}

enum Series : std::size_t { S_ACTIVE, S_PROFIT, S_SAVINGS, S_COST };
enum Column : std::size_t { C_REPLICATE, C_FUNDED, C_FAILED, C_CAUSE };

const sim::Schema& schema() {
  static const sim::Schema s = [] {
    sim::Schema out;
    out.table_name = "groups";
    out.series = {{"active", "groups", "Funded groups still active at the end of the month", true, {}, std::nullopt},
                  {"profit", "IDR", "Profit of the active groups this month", false, {}, std::nullopt},
                  {"savings", "IDR", "Profit saved so far, all groups", false, {}, std::nullopt},
                  {"cost", "IDR", "Grants paid so far (the program's cost)", false, {}, std::nullopt}};
    out.yearly = {{"failures", "groups", "Groups that failed in the year", true, {}, std::nullopt}};
    out.table = {{"replicate", "1", "Replicate of the group's run", true, {}, std::nullopt},
                 {"funded_month", "month", "Month of funding (1-based)", true, {}, std::nullopt},
                 {"failed_month", "month", "Month the group failed (1-based); -1: still active", true, {}, -1.0},
                 {"cause", "code", "Cause of failure", true, {"none", "market", "quarrel"}, std::nullopt}};
    return out;
  }();
  return s;
}

struct Params {
  long long months = 0, groups = 0;
  double early = 0, late = 0, market = 0, profit = 0, savings = 0, grant = 0;
};

class Instance final : public sim::Instance {
 public:
  explicit Instance(Params p) : p_(p) {}

  sim::RunRecord run(std::uint64_t seed, std::uint64_t replicate) const override {
    sim::RunRecord r;
    r.resize(schema(), static_cast<int>(p_.months));
    const sim::Streams streams(seed, replicate);
    const auto n = static_cast<std::size_t>(p_.groups);
    std::vector<double> funded(n), failed(n, -1), cause(n, 0);
    for (std::size_t i = 0; i < n; ++i) funded[i] = static_cast<double>(1 + i % 12);
    double saved = 0, cost = 0;
    for (int m = 1; m <= p_.months; ++m) {
      for (std::size_t i = 0; i < n; ++i)
        if (funded[i] == m) cost += p_.grant;
      double active = 0, profit = 0;
      // Key fields: month, then group.
      const auto fail_key = streams.key(STREAM_FAIL, m);
      const auto profit_key = streams.key(STREAM_PROFIT, m);
      for (std::size_t i = 0; i < n; ++i) {
        if (funded[i] > m || failed[i] >= 0) continue;
        // Months since funding, counted from 1 in the month after it.
        const double age = m - funded[i];
        if (age >= 1) {
          auto s = fail_key.stream(i);
          if (s.bernoulli(age <= 12 ? p_.early : p_.late)) {
            failed[i] = m;
            auto c = streams.get(STREAM_CAUSE, i);
            cause[i] = c.bernoulli(p_.market) ? 1 : 2;
            r.year_at(0, (m - 1) / 12) += 1;
            continue;
          }
        }
        active += 1;
        auto s = profit_key.stream(i);
        profit += p_.profit * (0.5 + s.uniform());
      }
      saved += p_.savings * profit;
      r.at(S_ACTIVE, m - 1) = active;
      r.at(S_PROFIT, m - 1) = profit;
      r.at(S_SAVINGS, m - 1) = saved;
      r.at(S_COST, m - 1) = cost;
    }
    r.table[C_REPLICATE].assign(n, static_cast<double>(replicate));
    r.table[C_FUNDED] = funded;
    r.table[C_FAILED] = failed;
    r.table[C_CAUSE] = cause;
    return r;
  }

 private:
  Params p_;
};

std::unique_ptr<const sim::Instance> instantiate(const sim::Resolved& r, const std::filesystem::path&) {
  Params p;
  p.months = std::get<long long>(r.get(table(), "run.months"));
  p.groups = std::get<long long>(r.get(table(), "ventures.groups"));
  p.early = std::get<double>(r.get(table(), "ventures.early_hazard"));
  p.late = std::get<double>(r.get(table(), "ventures.late_hazard"));
  p.market = std::get<double>(r.get(table(), "ventures.market_share"));
  p.profit = std::get<double>(r.get(table(), "ventures.profit"));
  p.savings = std::get<double>(r.get(table(), "ventures.savings_rate"));
  p.grant = std::get<double>(r.get(table(), "ventures.grant"));
  return std::make_unique<const Instance>(p);
}

}  // namespace

sim::Model program() {
  sim::Model m;
  m.name = "ventures";
  m.title = "Funded groups that fail at known hazards (tests/toy: the model calibrations are checked on)";
  m.parameters = table;
  m.schema = schema;
  m.instantiate = instantiate;
  return m;
}

void register_program() {
  static std::once_flag once;
  std::call_once(once, [] { sim::register_model(program()); });
}

}  // namespace ventures
