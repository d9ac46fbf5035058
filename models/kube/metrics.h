// Recording: what the model writes per month, per year and per group.
#pragma once
#include "models/kube/mechanisms.h"
#include "sim/record.h"

namespace kube {

const sim::Schema& output_schema();
void record_month(World& w, const HouseholdTotals& t, sim::RunRecord& r);
void record_year(World& w, int year, sim::RunRecord& r);
void record_groups(const World& w, std::uint64_t replicate, sim::RunRecord& r);

}  // namespace kube
