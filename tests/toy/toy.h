// The toy model: a savings circle, small enough that its answers are known exactly. It
// exists to prove that the engine (sim/) and the commands are generic: it is registered
// beside KUBE in berdaya_toy and goes through run, compare, sweep, sensitivity, summary,
// inspect and report like any program model (docs/adding-a-model.md walks through it).
//
// Each month every member still in the circle deposits `circle.deposit`; then each leaves
// with probability `circle.leave_probability`, on the member's own stream. So with no
// leaving, after month m (counting from 0) the circle holds members * deposit * (m + 1)
// exactly; with leaving, the expected number still in is members * (1 - p)^(m + 1). Two
// scenarios that differ only in the deposit lose the same members at every replicate
// (common random numbers).
#pragma once
#include "sim/model.h"

namespace toy {

sim::Model program();
void register_program();

}  // namespace toy
