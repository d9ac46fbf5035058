#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sim/runner.h"

TEST_CASE("a thread count given is kept; 0 means one per core, at least one") {
  CHECK(sim::resolve_threads(3) == 3);
  CHECK(sim::resolve_threads(1) == 1);
  const unsigned hw = std::thread::hardware_concurrency();
  CHECK(sim::resolve_threads(0) == (hw > 0 ? hw : 1));
}

TEST_CASE("physical memory is known on this system and plausible") {
  const auto bytes = sim::physical_memory();
  CHECK(bytes > (64ULL << 20));
  CHECK(bytes % static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE)) == 0);
}

TEST_CASE("progress is quiet when stderr is not a terminal, even ticked from many threads") {
  // stderr goes to a file for the test, so logs and pipes stay clean.
  const auto file = std::filesystem::temp_directory_path() / ("berdaya-progress-" + std::to_string(::getpid()));
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDERR_FILENO);
  {
    sim::Progress p(1000, 10, "test");
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t)
      pool.emplace_back([&p, t] {
        for (std::size_t i = 0; i < 250; ++i) p.tick(10 + static_cast<std::size_t>(t) * 250 + i);
      });
    for (auto& t : pool) t.join();
    p.tick(1000);
  }
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(fd);
  CHECK(std::filesystem::file_size(file) == 0);
  std::filesystem::remove(file);
}
