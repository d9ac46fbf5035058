// Global sensitivity estimators over model outputs already computed on a design: Sobol'
// indices from the Saltelli sampling scheme and Morris elementary effects. Both take the
// outputs (and, for Morris, the unit design) as plain vectors; running the design is the
// caller's business.
#pragma once
#include <cstdint>
#include <vector>

namespace analysis {

struct IndexEstimate {
  double value, lo, hi;  // point estimate and bootstrap percentile interval
};

struct SobolIndices {
  IndexEstimate first, total;
};

// First- and total-order Sobol' indices of each of the k factors, from outputs on the
// Saltelli design: f_a[j] = f(A_j), f_b[j] = f(B_j), f_ab[i][j] = f(AB_i,j), where AB_i is A
// with column i taken from B. Rows j where any of these outputs is not finite are left out.
// Intervals: percentile bootstrap over rows at the given level, with `resamples` resamples
// drawn from a sim::Stream keyed by `seed`, so they are reproducible.
std::vector<SobolIndices> sobol_indices(const std::vector<double>& f_a, const std::vector<double>& f_b,
                                        const std::vector<std::vector<double>>& f_ab, int resamples = 1000,
                                        std::uint64_t seed = 0, double level = 0.95);

struct MorrisEffect {
  double mu;       // mean elementary effect
  double mu_star;  // mean absolute elementary effect
  double sigma;    // sample standard deviation of the elementary effects; NaN when n < 2
  int n;           // elementary effects used
};

// Morris screening of k factors from outputs y[p] on the points x[p] (p points of k
// coordinates in the unit hypercube) and the trajectory each point belongs to. A trajectory
// is k + 1 consecutive rows, each step changing exactly one factor. Steps with a
// non-finite output are left out. Throws std::invalid_argument on a malformed design.
std::vector<MorrisEffect> morris_effects(const std::vector<double>& y, const std::vector<std::vector<double>>& x,
                                         const std::vector<int>& trajectory);

}  // namespace analysis
