// Memory of the large per-run arrays (households, the network's ties).
#pragma once

#include <cstddef>

namespace sim {

// Asks the kernel to back the whole 2 MiB pages inside [p, p + bytes) with huge pages
// before they are first touched. Where transparent huge pages are enabled only on request
// (the "madvise" setting, the default of many distributions), a 50 MB array otherwise
// takes some 12,000 page faults of 4 KiB, a large share of building a million-household
// population in a virtual machine. Only a hint: where huge pages are off, or the range
// holds no whole huge page, nothing changes; the contents never do.
void advise_huge_pages(void* p, std::size_t bytes) noexcept;

}  // namespace sim
