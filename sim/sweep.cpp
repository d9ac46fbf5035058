#include "sim/sweep.h"

#include <cmath>

#include "sim/design.h"
#include "sim/error.h"

namespace sim {

namespace {

// Grid levels of one factor: its list of values, or `levels` points across the range.
int grid_levels(const Factor& f) { return f.values.empty() ? f.levels : static_cast<int>(f.values.size()); }

double to_range(const Factor& f, double u) {
  if (f.log) return std::exp(std::log(f.low) + u * (std::log(f.high) - std::log(f.low)));
  return f.low + u * (f.high - f.low);
}

// The value run for unit coordinate u; integers are rounded, list entries indexed.
Value value_at(const Factor& f, const ParamSpec& spec, double u) {
  if (!f.values.empty()) {
    const auto n = f.values.size();
    const auto i = std::min(n - 1, static_cast<std::size_t>(std::llround(u * static_cast<double>(n - 1))));
    return f.values[i];
  }
  const double x = to_range(f, u);
  if (spec.kind == Kind::Integer) return static_cast<long long>(std::llround(x));
  return x;
}

double as_number(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<long long>(&v)) return static_cast<double>(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  return std::nan("");  // a choice: its index is in the unit column
}

}  // namespace

DesignTable expand(const Sweep& s, const std::vector<ParamSpec>& table) {
  const std::size_t k = s.factors.size();
  design::Design d;
  try {
    if (s.design == "grid") {
      std::vector<int> levels;
      for (const auto& f : s.factors) levels.push_back(grid_levels(f));
      d = design::grid(levels);
    } else if (s.design == "lhs") {
      d = design::latin_hypercube(k, static_cast<std::size_t>(s.samples), static_cast<std::uint64_t>(s.design_seed));
    } else if (s.design == "saltelli") {
      d = design::saltelli(k, static_cast<std::size_t>(s.samples));
    } else {
      d = design::morris(k, static_cast<std::size_t>(s.trajectories), static_cast<int>(s.levels),
                         static_cast<std::uint64_t>(s.design_seed));
    }
  } catch (const std::invalid_argument& e) {
    throw InputError(s.file + ": the " + s.design + " design cannot be built: " + e.what());
  }
  DesignTable t;
  t.kind = s.design;
  for (const auto& f : s.factors) {
    t.factors.push_back(f.name);
    t.scale.push_back(!f.values.empty() ? "values" : f.log ? "log" : "linear");
    t.low.push_back(f.values.empty() ? f.low : as_number(f.values.front()));
    t.high.push_back(f.values.empty() ? f.high : as_number(f.values.back()));
  }
  t.unit = d.unit;
  t.values.resize(d.unit.size());
  for (std::size_t p = 0; p < d.points; ++p)
    for (std::size_t j = 0; j < k; ++j) {
      const ParamSpec& spec = *find_spec(table, s.factors[j].name);
      t.values[p * k + j] = as_number(value_at(s.factors[j], spec, d.at(p, j)));
    }
  t.block = d.block;
  t.group.assign(d.group.begin(), d.group.end());
  t.settings["factors"] = static_cast<long long>(k);
  t.settings["points"] = static_cast<long long>(d.points);
  if (s.design == "lhs" || s.design == "saltelli") t.settings["samples"] = s.samples;
  if (s.design == "morris") {
    t.settings["trajectories"] = s.trajectories;
    t.settings["levels"] = s.levels;
  }
  if (s.design == "lhs" || s.design == "morris") t.settings["design_seed"] = s.design_seed;
  return t;
}

Resolved point_scenario(const Sweep& s, const DesignTable& t, std::size_t i, const std::vector<ParamSpec>& table) {
  Resolved r = s.base;
  const std::size_t k = s.factors.size();
  for (std::size_t j = 0; j < k; ++j) {
    const Factor& f = s.factors[j];
    const ParamSpec& spec = *find_spec(table, f.name);
    set_from_command_line(r, table, f.name, value_at(f, spec, t.unit[i * k + j]),
                          s.file + " (point " + std::to_string(i) + ")");
  }
  r.name = s.name + "/" + std::to_string(i);
  return r;
}

}  // namespace sim
