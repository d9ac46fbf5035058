// Huge-page advice and populating (sim/memory.h): contents never change; where the kernel
// gives transparent huge pages on request, advised memory is backed by them once touched;
// where it populates on request, a populated range is resident.
#include <doctest/doctest.h>

#include <sys/mman.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/memory.h"
#include "sim/parallel.h"

namespace {

// The bracketed choice of a /sys/kernel/mm/transparent_hugepage setting, or "" where unreadable.
std::string thp_setting(const char* name) {
  std::ifstream in(std::string("/sys/kernel/mm/transparent_hugepage/") + name);
  std::string line;
  std::getline(in, line);
  const auto a = line.find('['), b = line.find(']');
  return a == std::string::npos || b == std::string::npos ? "" : line.substr(a + 1, b - a - 1);
}

// AnonHugePages (kB) of the mapping holding p, from /proc/self/smaps; -1 if not found.
long anon_huge_kb(const void* p) {
  std::ifstream in("/proc/self/smaps");
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-') {
      inside = lo <= at && at < hi;
      continue;
    }
    if (inside && line.rfind("AnonHugePages:", 0) == 0) return std::stol(line.substr(14));
  }
  return -1;
}

}  // namespace

TEST_CASE("advise_huge_pages leaves contents alone and takes any range") {
  sim::advise_huge_pages(nullptr, 0);
  sim::advise_huge_pages(nullptr, 1 << 22);
  std::vector<std::uint32_t> small(100, 7u);
  sim::advise_huge_pages(small.data(), small.size() * sizeof(std::uint32_t));  // no whole huge page
  for (auto x : small) CHECK(x == 7u);
  std::vector<std::uint32_t> big(5u << 20);  // 20 MiB, written before the advice
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint32_t>(i * 2654435761u);
  sim::advise_huge_pages(big.data() + 1, (big.size() - 2) * sizeof(std::uint32_t));  // unaligned ends
  bool same = true;
  for (std::size_t i = 0; i < big.size(); ++i) same = same && big[i] == static_cast<std::uint32_t>(i * 2654435761u);
  CHECK(same);
}

TEST_CASE("advised memory is backed by huge pages where the kernel gives them on request") {
  const std::string enabled = thp_setting("enabled"), defrag = thp_setting("defrag");
  // "madvise" and "always" give huge pages to advised memory; a defrag setting of "never"
  // gives them only when free ones happen to be at hand, which is not a test.
  if ((enabled != "madvise" && enabled != "always") || defrag == "never" || defrag.empty()) {
    MESSAGE("transparent huge pages on request not available here (enabled [" << enabled << "], defrag [" << defrag
                                                                              << "]): skipped");
    return;
  }
  const std::size_t bytes = 18u << 20;  // at least eight whole 2 MiB pages, wherever it starts
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  sim::advise_huge_pages(p, bytes);
  auto* bytes_p = static_cast<volatile unsigned char*>(p);
  for (std::size_t i = 0; i < bytes; i += 4096) bytes_p[i] = 1;
  const long kb = anon_huge_kb(p);
  ::munmap(p, bytes);
  CAPTURE(enabled);
  CAPTURE(defrag);
  CHECK(kb >= 2048);  // one huge page at least (eight if memory is not too fragmented)
}

TEST_CASE("populate_pages faults a range in on the run's threads and leaves its contents alone") {
  CHECK(sim::populate_pages(nullptr, 0));
  const std::size_t page = 4096, bytes = 9u << 20;  // several 2 MiB pieces, the last one partial
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  auto* b = static_cast<unsigned char*>(p);
  for (std::size_t i = 0; i < bytes; i += 3 * page) b[i] = static_cast<unsigned char>(1 + i / page % 200);
  bool populated = false;
  {
    const sim::ThreadsWithinRun within(3);
    populated = sim::populate_pages(b + 100, bytes - 200);  // ends inside the first and last pages
  }
  std::vector<unsigned char> resident(bytes / page);
  REQUIRE(::mincore(p, bytes, resident.data()) == 0);
  bool same = true;
  for (std::size_t i = 0; i < bytes; ++i)
    same = same && b[i] == (i % (3 * page) == 0 ? static_cast<unsigned char>(1 + i / page % 200) : 0);
  CHECK(same);
  if (populated) {
    std::size_t in = 0;
    for (auto r : resident) in += r & 1u;
    CHECK(in == resident.size());
  } else {
    MESSAGE("this kernel does not populate on request (Linux 5.14 or later does): residency not checked");
  }
  ::munmap(p, bytes);
}
