// A sweep's design points: the design drawn on the unit hypercube (sim/design.h), mapped
// to each factor's range or list of values, and each point turned into a scenario.
#pragma once
#include <functional>

#include "sim/experiment_file.h"
#include "sim/writer.h"

namespace sim {

// The design of a sweep with every point's parameter values.
DesignTable expand(const Sweep& sweep, const std::vector<ParamSpec>& table);

// The base scenario with point `i`'s values set, named after the sweep file.
Resolved point_scenario(const Sweep& sweep, const DesignTable& design, std::size_t i,
                        const std::vector<ParamSpec>& table);

// A one-at-a-time screen around a reference scenario: the reference itself, then for
// every parameter of the table one point per change of that parameter alone. Reals and
// integers go to x (1 - f) and x (1 + f), clamped to the valid range, integers rounded (a
// value of 0 moves by f of the range instead); choices go to each other option, booleans
// flip. run.* and text parameters are not varied, nor a side that clamps or rounds back to
// the reference value, nor a point that `check` rejects (InputError: a relation between
// parameters broken); each such case is listed in `design.skipped` with the reason.
struct OatScreen {
  DesignTable design;                    // kind "oat": one column per varied parameter
  std::vector<Resolved> points;          // the scenario of each point, the reference first
  std::vector<std::string> description;  // per point, in words
};

using PointCheck = std::function<void(const Resolved&)>;

// f in (0, 1]. The points' names are "<reference name>/<point index>".
OatScreen oat_screen(const Resolved& reference, const std::vector<ParamSpec>& table, double fraction,
                     const PointCheck& check);

}  // namespace sim
