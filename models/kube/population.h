// Builds the pool of DTKS households of a scenario and their social network. Draws only
// from the population and network streams, so every scenario at the same replicate
// gets the same households and ties (common random numbers).
#pragma once
#include <boost/range/iterator_range.hpp>

#include "models/kube/state.h"

namespace kube {

// What one run holds at its peak, for the memory check, with a margin over what bench/
// measures (72 bytes a household at the default four ties): per household, its arrays and
// the graph's row start; per tie end, the graph's neighbour and strength (5 bytes).
inline constexpr double BYTES_PER_HOUSEHOLD = 100;
inline constexpr double BYTES_PER_TIE_END = 10;

// The smallest block of villages that the loops over households hand to one thread
// (World::blocks): large enough that a block's work outweighs handing it out, small enough
// that the blocks split evenly over the threads (East Java's 61 split 31 to 30 on two,
// where blocks of 65,536 made 15, split 8 to 7).
inline constexpr std::uint32_t BLOCK_HOUSEHOLDS = 1u << 14;

// The households of a scenario with `villages` villages. InputError naming the
// parameters when the count does not fit the model's 32-bit indices or one run would
// need more memory than this machine has.
// `households`: the total of a village file's households column (0: villages x
// population.households_per_village).
std::uint64_t check_population_size(const Params& p, std::uint64_t villages, std::uint64_t households = 0);

// A village file: CSV with a header naming its columns, kecamatan and village required,
// kind and households optional (households: DTKS households of the village; without it,
// population.households_per_village for every village). Comma or semicolon separated (the
// header's separator), UTF-8 with or without a byte-order mark. InputError naming the line
// and the fix for unknown columns, missing fields, bad counts and duplicate villages.
struct VillageRow {
  std::string district, name, kind;
  std::uint32_t households = 0;  // 0: not given
};
struct VillageTable {
  std::vector<VillageRow> rows;
  bool has_households = false;
};
VillageTable read_village_table(std::istream& in, const std::string& where);

// Villages from population.village_file (CSV: kecamatan,village,kind) or synthetic.
void build_villages(World& w);
void build_households(World& w);
void build_network(World& w);

// The ties of a Watts-Strogatz small world on households 0 .. n-1, each tied to its k/2 next
// neighbours on a ring and each tie rewired to a household drawn uniformly with probability
// `rewire`: the ties, in their order, and the draws of Boost.Graph's small_world_iterator
// (without self-loops) on the same stream, written out so that a tie constructs none of
// Boost's distributions and copies no generator. tie(a, b) is called for each and may draw
// from s in between, as a loop over Boost's iterator may. n >= 3, 2 <= k <= n - 2.
template <typename Tie>
void small_world_ties(sim::Stream& s, std::uint32_t n, std::uint32_t k, double rewire, Tie&& tie) {
  // boost::uniform_int<std::uint32_t>(0, n - 1) on 64-bit numbers: a number's bucket of
  // (2^64 - 1) / n (one more when the remainder is n - 1), drawn again past the last.
  const std::uint64_t brange = ~std::uint64_t{0};
  std::uint64_t bucket = brange / n;
  if (brange % n == n - 1) ++bucket;
  auto household = [&] {
    for (;;) {
      const std::uint64_t r = s() / bucket;
      if (r <= n - 1) return static_cast<std::uint32_t>(r);
    }
  };
  // The iterator's first tie is set by its constructor, without a draw; each step after it
  // draws whether to rewire (boost::uniform_01: the number times 2^-64, drawn again when it
  // rounds to 1), the last step too, that reaches the end.
  std::uint32_t source = 0, target = 1, a = 0, b = 1;
  for (;;) {
    tie(a, b);
    target = (target + 1) % n;
    if (target == (source + k / 2 + 1) % n) {
      ++source;
      target = (source + 1) % n;
    }
    a = source;
    double x;
    do x = static_cast<double>(s()) * 0x1p-64;
    while (!(x < 1.0));
    if (x < rewire) {
      const std::uint32_t lower = (source + n - k / 2) % n, upper = (source + k / 2) % n;
      do b = household();
      while ((b >= lower && b <= upper) || (upper < lower && (b >= lower || b <= upper)));
    } else {
      b = target;
    }
    if (source == n) return;
  }
}

// Ties of h as a range of (neighbour, strength 0-1) pairs.
template <typename F>
void for_each_tie(const World& w, std::uint32_t h, F&& f) {
  for (auto e : boost::make_iterator_range(boost::out_edges(h, w.net)))
    f(static_cast<std::uint32_t>(boost::target(e, w.net)), (w.net[e].strength + 1) / 256.0f);
}

}  // namespace kube
