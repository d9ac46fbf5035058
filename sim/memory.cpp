#include "sim/memory.h"

#include "sim/parallel.h"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace sim {

void advise_huge_pages(void* p, std::size_t bytes) noexcept {
#ifdef MADV_HUGEPAGE
  constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1), last = (begin + bytes) & ~(huge - 1);
  if (p == nullptr || last <= first) return;
  // The status is ignored on purpose: a kernel without transparent huge pages refuses the
  // advice (EINVAL), and the pages are then the usual ones.
  (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)p;
  (void)bytes;
#endif
}

bool populate_pages(void* p, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  constexpr std::uintptr_t page = 4096, piece = std::uintptr_t{1} << 21;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  if (p == nullptr || bytes == 0) return true;
  // Whole pages from the one holding the first byte to the one holding the last, in
  // pieces of 2 MiB (one huge page each where huge pages back the range).
  const std::uintptr_t first = begin & ~(page - 1), last = (begin + bytes + page - 1) & ~(page - 1);
  const std::uintptr_t from = first & ~(piece - 1);
  const std::size_t pieces = static_cast<std::size_t>((last - from + piece - 1) / piece);
  std::atomic<bool> refused{false};
  sim::parallel_blocks(pieces, [&](std::size_t k) {
    const std::uintptr_t a = std::max(first, from + k * piece), b = std::min(last, from + (k + 1) * piece);
    if (::madvise(reinterpret_cast<void*>(a), b - a, MADV_POPULATE_WRITE) != 0) refused.store(true);
  });
  return !refused.load();
#else
  (void)p;
  (void)bytes;
  return false;
#endif
}

}  // namespace sim
