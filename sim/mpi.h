// Distributed runs. Built with BERDAYA_MPI=ON, `mpirun -np N berdaya ...` makes rank 0
// the writer, handing tasks out one at a time to ranks 1..N-1 as they ask for work;
// without a launcher the program never touches MPI.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sim::mpi {

// True when started by mpirun/srun (the launcher's environment is present).
bool launched();

// Initialises MPI for the life of the program when launched; a no-op otherwise.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int rank();  // 0 without MPI
int size();  // 1 without MPI

// Rank 0: hands out `tasks` (the indices given) and passes each encoded result to
// `sink`; returns when all are done or `stop()` says to stop handing out.
void coordinate(const std::vector<std::uint64_t>& tasks,
                const std::function<void(std::uint64_t, const std::string&)>& sink, const std::function<bool()>& stop);
// Ranks 1..N-1: runs tasks until told to stop; `work` returns the encoded result.
void serve(const std::function<std::string(std::uint64_t)>& work);
// Every rank: `bytes` becomes rank 0's (work whose next step depends on the results of the
// last, such as the rounds of a calibration). A no-op in one process.
void broadcast(std::string& bytes);

}  // namespace sim::mpi
