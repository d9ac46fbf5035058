#include "sim/sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

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

namespace {

struct OatChange {
  Value value;
  int direction = 0;  // -1 down, +1 up, 0 another option
  std::string side;   // "-25%", "+25% of range", "other option", "flipped"
};

std::string format_significant(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%%", 100 * fraction);
  return buf;
}

double numeric(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<long long>(&v)) return static_cast<double>(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  return std::numeric_limits<double>::quiet_NaN();
}

// The changes of one parameter, and why a side is left out.
std::vector<OatChange> oat_changes(const ParamSpec& spec, const Value& ref, double f,
                                   std::vector<std::string>& skipped) {
  std::vector<OatChange> out;
  if (spec.kind == Kind::Boolean) {
    out.push_back({!std::get<bool>(ref), 0, "flipped"});
  } else if (spec.kind == Kind::Choice) {
    for (const auto& o : spec.options)
      if (o != std::get<std::string>(ref)) out.push_back({o, 0, "other option"});
    if (out.empty()) skipped.push_back(spec.name + ": a choice with a single option");
  } else {
    const double x = numeric(ref);
    for (int dir : {-1, +1}) {
      // A zero value has no proportional neighbour: it moves by f of the valid range.
      const double raw = x != 0 ? x * (1 + dir * f) : x + dir * f * (spec.max - spec.min);
      std::string side = (dir < 0 ? "-" : "+") + percent(f) + (x != 0 ? "" : " of range");
      double v = std::clamp(raw, spec.min, spec.max);
      if (spec.kind == Kind::Integer) {
        v = std::clamp(static_cast<double>(std::llround(v)), spec.min, spec.max);
      } else {
        // Twelve significant digits: 0.05 x 0.75 is written 0.0375, not 0.037500000000000006.
        v = std::clamp(std::stod(format_significant(v)), spec.min, spec.max);
      }
      if (v == x) {
        const bool bound = raw < spec.min || raw > spec.max;
        skipped.push_back(spec.name + " " + side + ": " +
                          (bound
                               ? std::string(dir < 0 ? "already at its lower bound " : "already at its upper bound ") +
                                     format_value(ref)
                               : format_number(raw) + " rounds back to " + format_value(ref)));
        continue;
      }
      const int direction = v < x ? -1 : +1;
      if (spec.kind == Kind::Integer)
        out.push_back({static_cast<long long>(v), direction, side});
      else
        out.push_back({v, direction, side});
    }
  }
  return out;
}

// Where a value lies in the unit interval: over the valid range, or among the options.
double unit_of(const ParamSpec& spec, const Value& v) {
  if (spec.kind == Kind::Choice) {
    const auto& o = spec.options;
    const auto i = static_cast<double>(std::find(o.begin(), o.end(), std::get<std::string>(v)) - o.begin());
    return o.size() > 1 ? i / static_cast<double>(o.size() - 1) : 0.5;
  }
  if (spec.kind == Kind::Boolean) return numeric(v);
  return spec.max > spec.min ? (numeric(v) - spec.min) / (spec.max - spec.min) : 0.5;
}

}  // namespace

OatScreen oat_screen(const Resolved& reference, const std::vector<ParamSpec>& table, double fraction,
                     const PointCheck& check) {
  if (!(fraction > 0 && fraction <= 1))
    throw InputError("the sensitivity fraction " + format_number(fraction) +
                     " is outside (0, 1]. Give e.g. 0.25 to move each parameter by 25% either way.");
  struct Point {
    std::size_t spec;
    OatChange change;
    Resolved scenario;
  };
  std::vector<Point> points;
  std::vector<std::string> skipped, run_settings;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const ParamSpec& spec = table[i];
    if (spec.name.rfind("run.", 0) == 0) {
      run_settings.push_back(spec.name);
      continue;
    }
    if (spec.kind == Kind::Text) {
      skipped.push_back(spec.name + ": text (" + spec.unit + "), not varied");
      continue;
    }
    const Value& ref = reference.get(table, spec.name);
    for (auto& c : oat_changes(spec, ref, fraction, skipped)) {
      Resolved r = reference;
      set_from_command_line(r, table, spec.name, c.value, "sensitivity point " + spec.name + " " + c.side);
      try {
        check(r);
      } catch (const InputError& e) {
        skipped.push_back(spec.name + " " + c.side + " = " + format_value(c.value) +
                          ": the scenario would be invalid: " + e.what());
        continue;
      }
      points.push_back({i, std::move(c), std::move(r)});
    }
  }
  if (!run_settings.empty()) {
    std::string names;
    for (const auto& n : run_settings) names += (names.empty() ? "" : ", ") + n;
    skipped.insert(skipped.begin(), names + ": run settings, the same for every point");
  }

  // One column per parameter with at least one point, in table order.
  std::vector<std::size_t> columns;
  for (const auto& p : points)
    if (columns.empty() || columns.back() != p.spec) columns.push_back(p.spec);
  OatScreen out;
  DesignTable& d = out.design;
  d.kind = "oat";
  d.skipped = skipped;
  const std::size_t K = columns.size(), P = points.size() + 1;
  for (std::size_t c : columns) {
    const ParamSpec& spec = table[c];
    d.factors.push_back(spec.name);
    const bool range = spec.kind == Kind::Real || spec.kind == Kind::Integer;
    d.scale.push_back(range ? "linear" : spec.kind == Kind::Boolean ? "boolean" : "choice");
    d.low.push_back(range ? spec.min : spec.kind == Kind::Boolean ? 0.0 : std::nan(""));
    d.high.push_back(range ? spec.max : spec.kind == Kind::Boolean ? 1.0 : std::nan(""));
    d.reference_text.push_back(format_value(reference.get(table, spec.name)));
  }
  d.unit.resize(P * K);
  d.values.resize(P * K);
  for (std::size_t p = 0; p < P; ++p) {
    const Resolved& r = p == 0 ? reference : points[p - 1].scenario;
    for (std::size_t j = 0; j < K; ++j) {
      const ParamSpec& spec = table[columns[j]];
      const Value& v = r.get(table, spec.name);
      d.unit[p * K + j] = unit_of(spec, v);
      d.values[p * K + j] = numeric(v);
    }
  }
  d.block.push_back(-1);
  d.group.push_back(0);
  d.point_text.push_back("");
  out.points.push_back(reference);
  out.description.push_back("reference point: the scenario as written");
  for (auto& p : points) {
    const auto col = static_cast<int>(std::find(columns.begin(), columns.end(), p.spec) - columns.begin());
    d.block.push_back(col);
    d.group.push_back(p.change.direction);
    d.point_text.push_back(format_value(p.change.value));
    out.description.push_back(table[p.spec].name + " " + p.change.side + ": " +
                              d.reference_text[static_cast<std::size_t>(col)] + " -> " + d.point_text.back());
    out.points.push_back(std::move(p.scenario));
  }
  for (std::size_t p = 0; p < P; ++p) out.points[p].name = reference.name + "/" + std::to_string(p);
  d.settings["factors"] = static_cast<long long>(K);
  d.settings["points"] = static_cast<long long>(P);
  d.real_settings["fraction"] = fraction;
  return out;
}

}  // namespace sim
