// Builds the pool of DTKS households of a scenario and their social network. Draws only
// from the population and network streams, so every scenario at the same replicate
// gets the same households and ties (common random numbers).
#pragma once
#include <boost/range/iterator_range.hpp>

#include "models/state.h"

namespace kube {

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
