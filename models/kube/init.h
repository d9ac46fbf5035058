// berdaya init for KUBE (models/kube/init.cpp).
#pragma once
#include <filesystem>

#include "sim/model.h"

namespace kube {

// Writes the scenario set of an area into o.dir; `shipped` is the folder of the shipped
// scenarios whose levers it copies. Returns the exit code.
int init_area(const sim::Model::InitOptions& o, const std::filesystem::path& shipped);

}  // namespace kube
