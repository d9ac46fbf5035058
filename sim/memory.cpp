#include "sim/memory.h"

#include <sys/mman.h>

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

}  // namespace sim
