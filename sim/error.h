// Errors the user can fix (bad scenario files, bad arguments, foreign result files) are
// InputError and end the program with exit code 2; anything else is a bug or an
// environment failure and ends it with code 1.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace sim {

inline constexpr int EXIT_BAD_INPUT = 2;

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line:column: what. fix" in one line, the way compilers report.
std::string located(const std::string& file, long line, long column, const std::string& what);

// The valid name closest to `given` by edit distance, or "" when nothing is close.
std::string nearest(const std::string& given, const std::vector<std::string>& valid);

}  // namespace sim
