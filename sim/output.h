// Input and output files: inputs are read with their errors reported, outputs are checked
// before any work and written whole or not at all.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace sim {

// The whole of a regular file, at most `max_bytes`; InputError naming `what` and the
// file when it is missing, not a regular file (a folder, a FIFO, a device), larger than
// the limit, or cannot be read (with the system's reason).
std::string read_text_file(const std::filesystem::path& file, std::size_t max_bytes, const std::string& what);

// The rules every command applies to the files it writes (docs/experiments.md, "Output
// files"): `out` names a file in an existing folder; never one of the command's
// `inputs`; never an existing folder, pipe, device or other non-regular file; and an
// existing file only when `replace` (--force, or --resume of an interrupted run).
// InputError otherwise, saying which rule and the fix; `example` is a file name the
// message suggests when `out` is a folder.
void check_output_path(const std::filesystem::path& out, const std::string& example,
                       const std::vector<std::filesystem::path>& inputs = {}, bool replace = true);

// Temporary files `OUT.tmp-PID` beside `out` left by a process that no longer runs (a
// kill during the write): removed, each named on stderr.
void remove_stale_temporaries(const std::filesystem::path& out);

// Writes `text` under a temporary name beside `out`, then renames it: a reader never
// sees half a file. InputError when it cannot be written.
void write_text_atomically(const std::filesystem::path& out, const std::string& text);

// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote or a
// line break.
std::string csv_field(const std::string& s);

}  // namespace sim
