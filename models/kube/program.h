// KUBE as the engine sees it: its sim::Model (parameters, schema, binding, a run), with
// the KUBE analysis, report and trainer page. register_program() adds it to the registry.
#pragma once
#include "sim/model.h"

namespace kube {

sim::Model program();
// Registers KUBE once; later calls do nothing.
void register_program();

}  // namespace kube
