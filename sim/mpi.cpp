#include "sim/mpi.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#ifdef BERDAYA_MPI
#include <mpi.h>
#endif

namespace sim::mpi {

namespace {

// The launchers' own variables: Open MPI's mpirun, and PMI/PMIx as set by srun.
long launcher_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* v = std::getenv(var)) return std::strtol(v, nullptr, 10);
  return 0;
}

int g_rank = 0, g_size = 1;

#ifdef BERDAYA_MPI
bool g_active = false;
constexpr int TAG_READY = 1, TAG_RESULT = 2, TAG_TASK = 3, TAG_STOP = 4;
#endif

}  // namespace

bool launched() {
  return launcher_size() > 0 || std::getenv("OMPI_COMM_WORLD_RANK") != nullptr || std::getenv("PMIX_RANK") != nullptr;
}

#ifdef BERDAYA_MPI

Session::Session(int& argc, char**& argv) {
  if (!launched()) return;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = true;
}

Session::~Session() {
  if (g_active) MPI_Finalize();
}

void coordinate(const std::vector<std::uint64_t>& tasks,
                const std::function<void(std::uint64_t, const std::string&)>& sink, const std::function<bool()>& stop) {
  std::vector<std::uint64_t> assigned(static_cast<std::size_t>(g_size), 0);
  std::size_t next = 0;
  int running = g_size - 1;  // ranks not yet told to stop
  std::string buf;
  while (running > 0) {
    MPI_Status st;
    MPI_Probe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    int count = 0;
    MPI_Get_count(&st, MPI_CHAR, &count);
    buf.assign(static_cast<std::size_t>(count), '\0');
    MPI_Recv(buf.data(), count, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    const auto src = static_cast<std::size_t>(st.MPI_SOURCE);
    if (st.MPI_TAG == TAG_RESULT) {
      sink(assigned[src], buf);
    }
    // Every message means the rank is free: give it the next task or let it go.
    if (next < tasks.size() && !stop()) {
      assigned[src] = tasks[next++];
      MPI_Send(&assigned[src], 1, MPI_UINT64_T, st.MPI_SOURCE, TAG_TASK, MPI_COMM_WORLD);
    } else {
      const std::uint64_t none = 0;
      MPI_Send(&none, 1, MPI_UINT64_T, st.MPI_SOURCE, TAG_STOP, MPI_COMM_WORLD);
      --running;
    }
  }
}

void serve(const std::function<std::string(std::uint64_t)>& work) {
  MPI_Send(nullptr, 0, MPI_CHAR, 0, TAG_READY, MPI_COMM_WORLD);
  for (;;) {
    std::uint64_t task = 0;
    MPI_Status st;
    MPI_Recv(&task, 1, MPI_UINT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    if (st.MPI_TAG == TAG_STOP) break;
    const std::string bytes = work(task);
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
  }
}

void broadcast(std::string& bytes) {
  if (g_size < 2) return;
  unsigned long long n = bytes.size();
  MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
  bytes.resize(static_cast<std::size_t>(n));
  // In pieces, so a count never passes the int that MPI takes.
  constexpr std::size_t PIECE = 1 << 30;
  for (std::size_t at = 0; at < bytes.size(); at += PIECE)
    MPI_Bcast(bytes.data() + at, static_cast<int>(std::min(PIECE, bytes.size() - at)), MPI_CHAR, 0, MPI_COMM_WORLD);
}

#else

Session::Session(int&, char**&) {
  if (launcher_size() > 1) {
    std::fprintf(stderr,
                 "berdaya: error: started by an MPI launcher with %ld processes, but this berdaya was built without "
                 "MPI. Rebuild with -DBERDAYA_MPI=ON (Debian package libopenmpi-dev), or run one process.\n",
                 launcher_size());
    std::exit(2);
  }
}

Session::~Session() = default;

void coordinate(const std::vector<std::uint64_t>&, const std::function<void(std::uint64_t, const std::string&)>&,
                const std::function<bool()>&) {}
void serve(const std::function<std::string(std::uint64_t)>&) {}
void broadcast(std::string&) {}

#endif

int rank() { return g_rank; }
int size() { return g_size; }

}  // namespace sim::mpi
