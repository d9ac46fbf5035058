// Scenario files: TOML with `extends`, so a scenario is written as its differences from
// a base. Every key is checked against the parameter table, with file:line:column and a
// fix in each message.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/params.h"

namespace sim {

// A scenario file is a few kilobytes; anything near this is the wrong file.
inline constexpr std::size_t MAX_SCENARIO_BYTES = 1 << 20;
// An extends chain deeper than this is a mistake, not a design.
inline constexpr std::size_t MAX_EXTENDS_DEPTH = 32;

// Reads `file` and the chain it extends. Throws InputError for a missing file, malformed
// TOML, an unknown key (naming the nearest valid one), a wrong type, a value out of
// range, or an `extends` cycle.
Resolved load_scenario(const std::filesystem::path& file, const std::vector<ParamSpec>& table);

// The same, from text already in memory (`origin` names it in messages); `extends`
// resolves against `base_dir`.
Resolved load_scenario_text(const std::string& text, const std::string& origin, const std::filesystem::path& base_dir,
                            const std::vector<ParamSpec>& table);

}  // namespace sim
