#include "sim/design.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/random/sobol.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "sim/random.h"

namespace sim::design {

static_assert(SOBOL_MAX_DIMENSION == boost::random::detail::qrng_tables::sobol::max_dimension,
              "SOBOL_MAX_DIMENSION must follow the Boost.Random Sobol table");

namespace {

// Root key of all design streams, apart from the simulation's own streams ("design!!").
constexpr std::uint64_t DESIGN_KEY = 0x64657369676e2121ULL;

std::uint64_t design_key(Kind kind, std::uint64_t seed) {
  return combine(combine(DESIGN_KEY, static_cast<std::uint64_t>(kind)), seed);
}

std::size_t checked_product(std::size_t a, std::size_t b, const char* what) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
    throw std::invalid_argument(std::string(what) + ": design too large (row count overflows)");
  return a * b;
}

Design make(Kind kind, std::size_t k, std::size_t points, const char* what) {
  Design d;
  d.kind = kind;
  d.k = k;
  d.points = points;
  d.unit.resize(checked_product(points, k, what));
  d.block.assign(points, -1);
  d.group.resize(points);
  return d;
}

// Boost's uniform_int_distribution is header code with a fixed algorithm; std::shuffle and
// std::uniform_int_distribution differ between standard libraries, which would make a
// design depend on the machine.
std::uint64_t below(Stream& s, std::uint64_t n) {
  return boost::random::uniform_int_distribution<std::uint64_t>(0, n - 1)(s);
}

void shuffle(std::vector<std::size_t>& v, Stream& s) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(s, i)]);
}

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Grid: return "grid";
    case Kind::LatinHypercube: return "lhs";
    case Kind::Saltelli: return "saltelli";
    case Kind::Morris: return "morris";
  }
  return "unknown";
}

Design grid(const std::vector<int>& levels) {
  if (levels.empty()) throw std::invalid_argument("grid: needs at least one factor (levels is empty)");
  std::size_t points = 1;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] < 1)
      throw std::invalid_argument("grid: factor " + std::to_string(i) + " has " + std::to_string(levels[i]) +
                                  " levels; every factor needs at least 1");
    points = checked_product(points, static_cast<std::size_t>(levels[i]), "grid");
  }
  const std::size_t k = levels.size();
  Design d = make(Kind::Grid, k, points, "grid");
  for (std::size_t row = 0; row < points; ++row) {
    d.group[row] = row;
    // Mixed-radix digits of the row number, last factor least significant.
    std::size_t rest = row;
    for (std::size_t f = k; f-- > 0;) {
      const auto L = static_cast<std::size_t>(levels[f]);
      const std::size_t l = rest % L;
      rest /= L;
      d.unit[row * k + f] = L == 1 ? 0.5 : static_cast<double>(l) / static_cast<double>(L - 1);
    }
  }
  return d;
}

Design latin_hypercube(std::size_t k, std::size_t n, std::uint64_t seed) {
  if (k == 0) throw std::invalid_argument("latin_hypercube: needs at least one factor (k = 0)");
  if (n == 0) throw std::invalid_argument("latin_hypercube: needs at least one point (n = 0)");
  Design d = make(Kind::LatinHypercube, k, n, "latin_hypercube");
  std::iota(d.group.begin(), d.group.end(), std::size_t{0});
  const std::uint64_t key = design_key(Kind::LatinHypercube, seed);
  const auto nd = static_cast<double>(n);
  std::vector<std::size_t> stratum(n);
  for (std::size_t f = 0; f < k; ++f) {
    // One stream per column, so a column does not change when factors are added after it.
    Stream s(combine(key, f));
    std::iota(stratum.begin(), stratum.end(), std::size_t{0});
    shuffle(stratum, s);
    for (std::size_t row = 0; row < n; ++row) {
      const auto p = static_cast<double>(stratum[row]);
      double x = (p + s.uniform()) / nd;
      // Rounding can put x a hair outside its stratum (1.0 / 49 * 49 < 1); nudge it back
      // so floor(x * n) names the stratum exactly.
      while (x * nd < p) x = std::nextafter(x, 1.0);
      while (x * nd >= p + 1) x = std::nextafter(x, 0.0);
      d.unit[row * k + f] = x;
    }
  }
  return d;
}

Design saltelli(std::size_t k, std::size_t n_base) {
  if (k == 0) throw std::invalid_argument("saltelli: needs at least one factor (k = 0)");
  if (n_base == 0) throw std::invalid_argument("saltelli: needs at least one base row (n_base = 0)");
  if (k > SALTELLI_MAX_FACTORS)
    throw std::invalid_argument("saltelli: " + std::to_string(k) + " factors need a " + std::to_string(2 * k) +
                                "-dimensional Sobol sequence; boost::random::sobol supports at most " +
                                std::to_string(SOBOL_MAX_DIMENSION) + " dimensions, so at most " +
                                std::to_string(SALTELLI_MAX_FACTORS) + " factors");
  const std::size_t per_base = k + 2;
  Design d = make(Kind::Saltelli, k, checked_product(n_base, per_base, "saltelli"), "saltelli");
  // boost::random::sobol already starts after the all-zeros point, whose A and B rows would
  // be identical and carry no information about the indices.
  boost::random::sobol qrng(2 * k);
  std::vector<double> a(k), b(k);
  for (std::size_t j = 0; j < n_base; ++j) {
    for (auto& x : a) x = static_cast<double>(qrng()) * 0x1.0p-64;
    for (auto& x : b) x = static_cast<double>(qrng()) * 0x1.0p-64;
    const std::size_t first = j * per_base;
    for (std::size_t r = 0; r < per_base; ++r) {
      const std::size_t row = first + r;
      d.group[row] = j;
      double* out = &d.unit[row * k];
      if (r == 0) {
        d.block[row] = SALTELLI_A;
        std::copy(a.begin(), a.end(), out);
      } else if (r == per_base - 1) {
        d.block[row] = SALTELLI_B;
        std::copy(b.begin(), b.end(), out);
      } else {
        const std::size_t i = r - 1;
        d.block[row] = saltelli_ab(i);
        std::copy(a.begin(), a.end(), out);
        out[i] = b[i];
      }
    }
  }
  return d;
}

Design morris(std::size_t k, std::size_t trajectories, int levels, std::uint64_t seed) {
  if (k == 0) throw std::invalid_argument("morris: needs at least one factor (k = 0)");
  if (trajectories == 0) throw std::invalid_argument("morris: needs at least one trajectory (trajectories = 0)");
  if (levels < 2 || levels % 2 != 0)
    throw std::invalid_argument("morris: levels must be even and at least 2 (got " + std::to_string(levels) +
                                "), so that every level has a partner delta away");
  if (k > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::invalid_argument("morris: too many factors for the block index");
  const std::size_t per_traj = k + 1;
  Design d = make(Kind::Morris, k, checked_product(trajectories, per_traj, "morris"), "morris");
  const auto p = static_cast<std::uint64_t>(levels);
  const std::uint64_t half = p / 2;  // delta in grid steps
  // Division, not multiplication by 1 / (p - 1), so the top level is exactly 1.
  const auto top = static_cast<double>(p - 1);
  const std::uint64_t key = design_key(Kind::Morris, seed);
  std::vector<std::uint64_t> level(k);
  std::vector<std::size_t> order(k);
  for (std::size_t t = 0; t < trajectories; ++t) {
    // One stream per trajectory, so asking for more trajectories keeps the first ones.
    Stream s(combine(key, t));
    // A start level drawn uniformly from all p levels, moving to its partner half the
    // grid away, gives Morris's random base point and random direction in one draw: levels
    // below p/2 can only go up, the others only down.
    for (auto& l : level) l = below(s, p);
    std::iota(order.begin(), order.end(), std::size_t{0});
    shuffle(order, s);
    const std::size_t first = t * per_traj;
    for (std::size_t r = 0; r < per_traj; ++r) {
      const std::size_t row = first + r;
      d.group[row] = t;
      if (r > 0) {
        const std::size_t f = order[r - 1];
        level[f] = level[f] < half ? level[f] + half : level[f] - half;
        d.block[row] = static_cast<int>(f);
      }
      for (std::size_t f = 0; f < k; ++f) d.unit[row * k + f] = static_cast<double>(level[f]) / top;
    }
  }
  return d;
}

}  // namespace sim::design
