// Output files: checked before any work, and written whole or not at all.
#pragma once
#include <filesystem>
#include <string>

namespace sim {

// InputError unless `out` names a file in an existing folder; `example` is a file name
// the message suggests when `out` is a folder.
void check_output_path(const std::filesystem::path& out, const std::string& example);

// Writes `text` under a temporary name beside `out`, then renames it: a reader never
// sees half a file. InputError when it cannot be written.
void write_text_atomically(const std::filesystem::path& out, const std::string& text);

}  // namespace sim
