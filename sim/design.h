// Experiment designs on the unit hypercube [0,1]^k. The engine knows nothing about a
// model's parameters: a design is a table of numbers in [0, 1], and the caller maps each
// column onto its parameter's range. Random designs are keyed from a seed alone, so the
// same seed gives the same table on any machine and any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sim::design {

enum class Kind { Grid, LatinHypercube, Saltelli, Morris };

struct Design {
  Kind kind = Kind::Grid;
  std::size_t k = 0;         // factors
  std::size_t points = 0;    // rows
  std::vector<double> unit;  // [points x k], row-major, every value in [0, 1]
  // Saltelli: block of each row: 0 = A, 1 = B, 2 + i = AB_i (A with column i from B);
  // group = base row index j in 0..N-1.
  // Morris: group = trajectory index of each row; block = index of the factor changed
  // from the previous row of the trajectory, -1 on the trajectory's first row.
  // Grid / LHS: block = -1, group = row index.
  std::vector<int> block;
  std::vector<std::size_t> group;

  double at(std::size_t row, std::size_t factor) const { return unit[row * k + factor]; }
};

// Block numbers of a Saltelli design's rows.
inline constexpr int SALTELLI_A = 0;
inline constexpr int SALTELLI_B = 1;
constexpr int saltelli_ab(std::size_t factor) noexcept { return 2 + static_cast<int>(factor); }

// Dimensions of Boost.Random's default Sobol table (Joe and Kuo polynomials below 2^16).
// A Saltelli design draws 2k dimensions, so it takes at most SALTELLI_MAX_FACTORS factors.
inline constexpr std::size_t SOBOL_MAX_DIMENSION = 3667;
inline constexpr std::size_t SALTELLI_MAX_FACTORS = SOBOL_MAX_DIMENSION / 2;

// Morris (1991) recommends an even number of levels; four is the usual choice.
inline constexpr int MORRIS_LEVELS = 4;

// "grid", "lhs", "saltelli", "morris".
const char* kind_name(Kind kind);

// Full factorial: levels[i] >= 1 per factor; level l of L maps to l / (L - 1), and to 0.5
// when L == 1. Row order: the last factor varies fastest.
Design grid(const std::vector<int>& levels);

// n points, one in each of the n strata [s/n, (s+1)/n) of every column, uniform within
// its stratum; columns are paired by independent random permutations. Stratum membership
// holds in double arithmetic: static_cast<std::size_t>(value * n) is the stratum.
Design latin_hypercube(std::size_t k, std::size_t n, std::uint64_t seed);

// Saltelli et al. (2010, Comput. Phys. Commun. 181:259-270) scheme for first- and
// total-order Sobol indices. A is the first k and B the last k coordinates of a
// 2k-dimensional Sobol sequence (boost::random::sobol, which skips the all-zeros first
// point), one point per base row. N base rows give N (k + 2) rows, ordered per base row j
// as A_j, AB_j^1 .. AB_j^k, B_j. Deterministic: there is no seed.
Design saltelli(std::size_t k, std::size_t n_base);

// Morris (1991) elementary-effects design: r random trajectories of k + 1 points on a
// p-level grid {0, 1/(p-1), .., 1} (p even), step delta = p / (2 (p - 1)). Each trajectory
// starts at a random grid point and changes every factor exactly once, in random order,
// up or down by delta as the start level allows within [0, 1].
Design morris(std::size_t k, std::size_t trajectories, int levels, std::uint64_t seed);
inline Design morris(std::size_t k, std::size_t trajectories, std::uint64_t seed) {
  return morris(k, trajectories, MORRIS_LEVELS, seed);
}

// The Morris step for p levels.
constexpr double morris_delta(int levels) noexcept { return levels / (2.0 * (levels - 1)); }

}  // namespace sim::design
