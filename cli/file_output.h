// What the commands that spool runs and write a result file share: the fingerprint that
// lets only the same work resume a spool; for calibrate and optimize, their work folder,
// the message on an interruption, the file written beside its final name (sealed and
// renamed, nothing half-written left behind), and the formats of their summaries.
#pragma once
#include <unistd.h>

#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "berdaya_build_info.h"
#include "sim/error.h"
#include "sim/h5.h"
#include "sim/random.h"

namespace cli {

// Identifies everything that decides the results (and the engine that computes them), so a
// spool is resumed only by the work that wrote it.
inline std::string fingerprint(const std::string& text) {
  std::uint64_t h = 0x6265726461796121ULL;
  for (unsigned char ch : text) h = sim::combine(h, ch);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return std::string(BERDAYA_VERSION) + "/" + BERDAYA_GIT_COMMIT + "/" + std::to_string(text.size()) + "/" + buf;
}

// A number's exact bits, for fingerprints of the values proposed.
inline std::string bits(double v) {
  std::uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 ",", u);
  return buf;
}

// The folder of spools beside the output (OUTPUT.calibration, OUTPUT.optimization), kept
// until the file is written.
inline std::filesystem::path work_dir(const std::filesystem::path& out, const char* suffix) {
  std::filesystem::path p = out;
  p += suffix;
  return p;
}

// An interruption: where the finished runs are and how to go on.
inline void report_interrupted(const std::filesystem::path& work) {
  std::fprintf(stderr,
               "\nberdaya: interrupted: the finished runs are kept in %s.\n  Continue with the same command and "
               "--resume; only the missing runs are redone.\n",
               work.c_str());
}

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
