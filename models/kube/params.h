// Typed parameters of the KUBE model, generated from param_list.h.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/kube/param_list.h"
#include "sim/params.h"

namespace kube {

// The choice parameters as the mechanisms read them, resolved once by make_params: a
// string compare per member and month would cost, and a misspelt option would never match.
enum class PayoutRule : std::uint8_t { Contributors, All };  // business.payout_rule
enum class Trainees : std::uint8_t { All, Officers };        // training.who

#define BERDAYA_FIELD_R(sec, key, def, lo, hi, unit, desc, src) double sec##_##key = def;
#define BERDAYA_FIELD_I(sec, key, def, lo, hi, unit, desc, src) long long sec##_##key = def;
#define BERDAYA_FIELD_B(sec, key, def, unit, desc, src) bool sec##_##key = def;
#define BERDAYA_FIELD_C(sec, key, def, opts, unit, desc, src) std::string sec##_##key = def;
#define BERDAYA_FIELD_S(sec, key, def, unit, desc, src) std::string sec##_##key = def;

struct Params {
  BERDAYA_PARAMS(BERDAYA_FIELD_R, BERDAYA_FIELD_I, BERDAYA_FIELD_B, BERDAYA_FIELD_C, BERDAYA_FIELD_S)
  // Folder of the scenario file, against which village_file resolves.
  std::filesystem::path base_dir;
  // The choices above as enums (the strings are kept for the record; mechanisms read these).
  PayoutRule payout_rule = PayoutRule::Contributors;
  Trainees trainees = Trainees::All;
};

#undef BERDAYA_FIELD_R
#undef BERDAYA_FIELD_I
#undef BERDAYA_FIELD_B
#undef BERDAYA_FIELD_C
#undef BERDAYA_FIELD_S

// The table the scenario loader validates against and the docs are generated from.
const std::vector<sim::ParamSpec>& param_table();

// The enum of a choice's option text; std::invalid_argument for text that is not an option
// (the scenario loader has already rejected those, so this is a bug where it throws).
PayoutRule parse_payout_rule(const std::string& option);
Trainees parse_trainees(const std::string& option);

// Binds resolved values onto Params and checks relations between parameters that no
// single range can express (InputError naming the scenario file).
Params make_params(const sim::Resolved& resolved, const std::filesystem::path& base_dir);

// docs/parameters.md, generated from the table.
std::string parameters_markdown();

}  // namespace kube
