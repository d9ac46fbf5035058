// libberdaya_evolve.so: berdaya optimize's search on pagmo2 (cli/evolve.h).
#include <pagmo/algorithms/gaco.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/batch_evaluators/member_bfe.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/generic.hpp>

#include <random>

#include "cli/evolve.h"

namespace {

// The problem pagmo sees: the job's bounds, integers last, objectives all minimized;
// batch_fitness hands a whole generation to the job's evaluator (pagmo::member_bfe).
struct Problem {
  const cli::EvolveJob* job = nullptr;
  pagmo::vector_double fitness(const pagmo::vector_double& x) const { return job->batch(x, {}); }
  pagmo::vector_double batch_fitness(const pagmo::vector_double& dvs) const { return job->batch(dvs, {}); }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const { return {job->lower, job->upper}; }
  pagmo::vector_double::size_type get_nobj() const { return job->objectives; }
  pagmo::vector_double::size_type get_nix() const { return job->integers; }
  std::string get_name() const { return "berdaya optimization"; }
};

}  // namespace

extern "C" void berdaya_evolve(const cli::EvolveJob& job) {
  Problem udp;
  udp.job = &job;
  const pagmo::problem prob{udp};
  const pagmo::bfe bfe{pagmo::member_bfe{}};
  const unsigned seed = job.seed;
  const std::size_t P = job.population, V = job.lower.size(), O = job.objectives;
  // The first generation: the start scenarios, then random candidates, one batch.
  pagmo::population pop{prob, 0u, seed};
  {
    std::mt19937 rng(seed);
    pagmo::vector_double xs = job.start_x;
    for (std::size_t i = job.start_names.size(); i < P; ++i) {
      const auto x = pagmo::random_decision_vector(prob, rng);
      xs.insert(xs.end(), x.begin(), x.end());
    }
    const auto fs0 = job.batch(xs, job.start_names);
    for (std::size_t i = 0; i < P; ++i)
      pop.push_back(pagmo::vector_double(xs.begin() + static_cast<std::ptrdiff_t>(i * V),
                                         xs.begin() + static_cast<std::ptrdiff_t>((i + 1) * V)),
                    pagmo::vector_double(fs0.begin() + static_cast<std::ptrdiff_t>(i * O),
                                         fs0.begin() + static_cast<std::ptrdiff_t>((i + 1) * O)));
  }
  const auto G = static_cast<unsigned>(job.generations);
  if (job.method == "nsga2") {
    // Mutation of about one variable per child; the other settings are pagmo's defaults.
    pagmo::nsga2 algo(G, 0.95, 10., 1.0 / static_cast<double>(V), 50., seed);
    algo.set_bfe(bfe);
    pop = algo.evolve(pop);
  } else {
    // The solution archive is the population; the other settings are pagmo's defaults.
    pagmo::gaco algo(G, static_cast<unsigned>(P), 1.0, 0., 0.01, 1u, 7u, 100000u, 100000u, 0., false, seed);
    algo.set_bfe(bfe);
    pop = algo.evolve(pop);
  }
}
