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
// (World::blocks): large enough that a block's work outweighs handing it out.
inline constexpr std::uint32_t BLOCK_HOUSEHOLDS = 1u << 16;

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

// Ties of h as a range of (neighbour, strength 0-1) pairs.
template <typename F>
void for_each_tie(const World& w, std::uint32_t h, F&& f) {
  for (auto e : boost::make_iterator_range(boost::out_edges(h, w.net)))
    f(static_cast<std::uint32_t>(boost::target(e, w.net)), (w.net[e].strength + 1) / 256.0f);
}

}  // namespace kube
