#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "sim/mpi.h"

namespace {
const char* const LAUNCHER_VARS[] = {"OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_SIZE", "PMIX_RANK",
                                     "PMI_SIZE"};

// Clears the launchers' variables for one scope, then puts them back as they were.
class NoLauncher {
 public:
  NoLauncher() {
    for (const char* v : LAUNCHER_VARS) {
      const char* old = std::getenv(v);
      saved_.push_back({v, old ? old : "", old != nullptr});
      ::unsetenv(v);
    }
  }
  ~NoLauncher() {
    for (const auto& s : saved_)
      if (s.had)
        ::setenv(s.name.c_str(), s.value.c_str(), 1);
      else
        ::unsetenv(s.name.c_str());
  }
  NoLauncher(const NoLauncher&) = delete;
  NoLauncher& operator=(const NoLauncher&) = delete;

 private:
  struct Saved {
    std::string name, value;
    bool had;
  };
  std::vector<Saved> saved_;
};
}  // namespace

TEST_CASE("without a launcher: not launched, one process of rank 0, and the session touches nothing") {
  const NoLauncher none;
  CHECK_FALSE(sim::mpi::launched());
  int argc = 1;
  char name[] = "berdaya_tests";
  char* args[] = {name, nullptr};
  char** argv = args;
  {
    sim::mpi::Session session(argc, argv);
    CHECK(sim::mpi::rank() == 0);
    CHECK(sim::mpi::size() == 1);
  }
  CHECK(argc == 1);
  CHECK(argv == args);
}

TEST_CASE("each launcher's variables say the program was launched") {
  const NoLauncher none;
  for (const char* v : LAUNCHER_VARS) {
    ::setenv(v, "1", 1);
    CHECK_MESSAGE(sim::mpi::launched(), v);
    ::unsetenv(v);
  }
  CHECK_FALSE(sim::mpi::launched());
}

TEST_CASE("in one process, coordinate has no rank to hand work to and returns without a result") {
  int sunk = 0;
  sim::mpi::coordinate(
      {0, 1, 2}, [&](std::uint64_t, const std::string&) { ++sunk; }, [] { return false; });
  CHECK(sunk == 0);
}
