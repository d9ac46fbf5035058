// A sweep's design points: the design drawn on the unit hypercube (sim/design.h), mapped
// to each factor's range or list of values, and each point turned into a scenario.
#pragma once
#include "sim/experiment_file.h"
#include "sim/writer.h"

namespace sim {

// The design of a sweep with every point's parameter values.
DesignTable expand(const Sweep& sweep, const std::vector<ParamSpec>& table);

// The base scenario with point `i`'s values set, named after the sweep file.
Resolved point_scenario(const Sweep& sweep, const DesignTable& design, std::size_t i,
                        const std::vector<ParamSpec>& table);

}  // namespace sim
