// Typed parameters of the KUBE model, generated from param_list.h.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "models/kube/param_list.h"
#include "sim/params.h"

namespace kube {

#define BERDAYA_FIELD_R(sec, key, def, lo, hi, unit, desc, src) double sec##_##key = def;
#define BERDAYA_FIELD_I(sec, key, def, lo, hi, unit, desc, src) long long sec##_##key = def;
#define BERDAYA_FIELD_B(sec, key, def, unit, desc, src) bool sec##_##key = def;
#define BERDAYA_FIELD_C(sec, key, def, opts, unit, desc, src) std::string sec##_##key = def;
#define BERDAYA_FIELD_S(sec, key, def, unit, desc, src) std::string sec##_##key = def;

struct Params {
  BERDAYA_PARAMS(BERDAYA_FIELD_R, BERDAYA_FIELD_I, BERDAYA_FIELD_B, BERDAYA_FIELD_C, BERDAYA_FIELD_S)
  // Folder of the scenario file, against which village_file resolves.
  std::filesystem::path base_dir;
};

#undef BERDAYA_FIELD_R
#undef BERDAYA_FIELD_I
#undef BERDAYA_FIELD_B
#undef BERDAYA_FIELD_C
#undef BERDAYA_FIELD_S

// The table the scenario loader validates against and the docs are generated from.
const std::vector<sim::ParamSpec>& param_table();

// Binds resolved values onto Params and checks relations between parameters that no
// single range can express (InputError naming the scenario file).
Params make_params(const sim::Resolved& resolved, const std::filesystem::path& base_dir);

// docs/parameters.md, generated from the table.
std::string parameters_markdown();

}  // namespace kube
