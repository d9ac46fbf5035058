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

// Has the kernel fault in the pages of [p, p + bytes) for writing, in pieces on the run's
// threads (sim::threads_within_run), without touching the contents. The thread that first
// writes fresh memory otherwise waits for the kernel to zero every page of it: for the
// network of a million households, some 60 MB, this was the largest part of a build that
// stayed on one thread. Says whether the kernel did it (it needs Linux 5.14 or later);
// where it did not, nothing changed and the pages fault in when they are written.
bool populate_pages(void* p, std::size_t bytes);

}  // namespace sim
