// Scenario files: TOML with `extends`, so a scenario is written as its differences from
// a base. Every key is checked against the parameter table, with file:line:column and a
// fix in each message.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "sim/params.h"

namespace sim {

// Reads `file` and the chain it extends. Throws InputError for a missing file, malformed
// TOML, an unknown key (naming the nearest valid one), a wrong type, a value out of
// range, or an `extends` cycle.
Resolved load_scenario(const std::filesystem::path& file, const std::vector<ParamSpec>& table);

// The same, from text already in memory (`origin` names it in messages); `extends`
// resolves against `base_dir`.
Resolved load_scenario_text(const std::string& text, const std::string& origin,
                            const std::filesystem::path& base_dir, const std::vector<ParamSpec>& table);

}  // namespace sim
