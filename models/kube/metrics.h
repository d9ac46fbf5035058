// Recording: what the model writes per month, per year and per group, by the enums
// generated from output_list.h (the index of a column in its part of the schema).
#pragma once
#include <cstddef>

#include "models/kube/mechanisms.h"
#include "models/kube/output_list.h"
#include "sim/record.h"

namespace kube {

#define KUBE_OUTPUT_ID(id, name, unit, type, labels, missing, desc) id,
enum Series : std::size_t { KUBE_SERIES(KUBE_OUTPUT_ID) M_COUNT };
enum Yearly : std::size_t { KUBE_YEARLY(KUBE_OUTPUT_ID) Y_COUNT };
enum GroupColumn : std::size_t { KUBE_GROUPS(KUBE_OUTPUT_ID) G_COUNT };
#undef KUBE_OUTPUT_ID

// The failures_* and cost_* series are indexed by cause and cost category.
static_assert(M_FAIL_CATASTROPHE - M_FAIL_SPLIT + 1 == N_CAUSES, "one failures_* series per cause");
static_assert(M_COST_EQUIPMENT - M_COST_GRANTS + 1 == N_COSTS, "one cost_* series per cost category");
static_assert(M_COST_TOTAL == M_COST_EQUIPMENT + 1);

const sim::Schema& output_schema();
void record_month(World& w, const HouseholdTotals& t, sim::RunRecord& r);
void record_year(World& w, int year, sim::RunRecord& r);
void record_groups(const World& w, std::uint64_t replicate, sim::RunRecord& r);

}  // namespace kube
