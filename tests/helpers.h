// Shared helpers for the doctest suite.
#pragma once
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/kube/model.h"
#include "sim/config.h"

namespace test {

// Bitwise equality, so NaN equals NaN: "identical datasets" means the same bits.
inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

inline std::filesystem::path source_dir() { return BERDAYA_SOURCE_DIR; }

// Params of a scenario file in scenarios/, with extra TOML appended (as a derived file).
inline kube::Params scenario(const std::string& name, const std::string& extra = "") {
  const auto dir = std::filesystem::temp_directory_path() / "berdaya-tests";
  std::filesystem::create_directories(dir);
  // The process id in the name: ctest runs the suites as processes side by side.
  const auto file = dir / ("t-" + name + "-" + std::to_string(std::hash<std::string>{}(extra)) + "-" +
                           std::to_string(::getpid()) + ".toml");
  {
    std::ofstream f(file);
    f << "extends = \"" << (source_dir() / "scenarios" / (name + ".toml")).string() << "\"\nname = \"" << name << "\"\n"
      << extra << "\n";
  }
  const auto r = sim::load_scenario(file, kube::param_table());
  return kube::make_params(r, dir);
}

}  // namespace test
