// Writes the runs of one scenario to an HDF5 file: provenance on the root, monthly
// series as [replicate x month], yearly series as [replicate x year], the entity table,
// with dimension scales so xarray sees named dimensions. The file is written under a
// temporary name and renamed when complete: a crash never leaves a file that looks
// finished.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/record.h"

namespace sim {

inline constexpr const char* FORMAT_NAME = "berdaya-results";
inline constexpr const char* FORMAT_VERSION = "1.0";

struct Provenance {
  std::string engine_version;
  std::string git_commit;
  std::string created;        // ISO 8601, UTC
  std::string command_line;
  long long seed = 0;
  std::string scenario;       // name
  std::string scenario_toml;  // the full resolved scenario text
  std::vector<std::string> scenario_files;
};

// Short lists that label codes and rows, stored under /meta.
using Labels = std::map<std::string, std::vector<std::string>>;

void write_results(const std::filesystem::path& path, const Provenance& prov, const Schema& schema,
                   const std::vector<RunRecord>& runs, const Labels& labels);

// The current time as ISO 8601 UTC.
std::string utc_now();

}  // namespace sim
