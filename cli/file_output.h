// What the commands that write a result file of their own (calibrate, optimize) share: the
// file written beside its final name, sealed and renamed, nothing half-written left behind;
// and the number and string formats of their text and JSON summaries.
#pragma once
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include "sim/error.h"
#include "sim/h5.h"

namespace cli {

// Runs write(tmp) on a temporary file beside `path`, seals it and renames it to `path`. Bad
// input goes on as it is; any other failure (a full disk) becomes an OutputError that says the
// runs are kept in `work` for --resume. The temporary file never stays.
template <class Write>
void write_sealed(const std::filesystem::path& path, const std::filesystem::path& work, Write&& write) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  try {
    write(tmp);
    sim::h5::seal(tmp);
    std::filesystem::rename(tmp, path);
  } catch (const sim::InputError&) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  } catch (const std::exception& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw sim::OutputError(path.string() + ": cannot be written: " + e.what() + ". Every run is kept in " +
                           work.string() + "; free some space and continue with --resume");
  }
}

// Four significant digits, for tables people read.
inline std::string num(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Ten significant digits, null when not finite.
inline std::string json_num(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// A JSON string: quotes, backslashes and control characters escaped.
inline std::string json_str(const std::string& s) {
  std::string q = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\')
      q += '\\', q += static_cast<char>(ch);
    else if (ch == '\n')
      q += "\\n";
    else if (ch < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", ch);
      q += buf;
    } else
      q += static_cast<char>(ch);
  }
  return q + "\"";
}

}  // namespace cli
