// Errors the user can fix (bad scenario files, bad arguments, foreign result files) are
// InputError and end the program with exit code 2; an output that cannot be written is
// OutputError, exit code 4; anything else is a bug and ends it with code 1.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace sim {

inline constexpr int EXIT_BAD_INPUT = 2;
// An output could not be written (a full disk, a file size limit, permissions): what
// was finished is kept (the spool of runs), and the message says how to go on.
inline constexpr int EXIT_OUTPUT_FAILED = 4;

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line:column: what. fix" in one line, the way compilers report.
std::string located(const std::string& file, long line, long column, const std::string& what);

// The valid name closest to `given` by edit distance, or "" when nothing is close (and
// for a `given` too long to be a misspelling).
std::string nearest(const std::string& given, const std::vector<std::string>& valid);

// `s` cut to at most `max` bytes (on a UTF-8 boundary) with "..." and the full length, so
// a message never echoes a huge key or value whole.
std::string shorten(const std::string& s, std::size_t max = 80);

}  // namespace sim
