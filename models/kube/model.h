// The KUBE model: builds the world of one replicate and steps it month by month.
#pragma once
#include <cstdint>

#include "models/kube/mechanisms.h"
#include "models/kube/state.h"
#include "sim/record.h"
#include "sim/writer.h"

namespace kube {

// The output schema: monthly series, yearly indicators and the per-group table.
const sim::Schema& schema();

// Labels stored with the results: cause and business-type names, villages.
sim::Labels labels(const Params& p);

// Builds population, network and agencies for (seed, replicate).
void init_world(World& w);

// One month: the phases in their fixed order (docs/ODD.md, process overview).
HouseholdTotals step(World& w);

// Month w.month: the step, then its record (and the year's, when a year ends).
void step_and_record(World& w, sim::RunRecord& r);

// A whole run, recorded by the schema.
sim::RunRecord run(const Params& p, std::uint64_t seed, std::uint64_t replicate);

}  // namespace kube
