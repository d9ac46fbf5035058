#include "models/kube/population.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include <boost/graph/small_world_generator.hpp>
#include <boost/random/poisson_distribution.hpp>

#include "sim/error.h"
#include "sim/output.h"
#include "sim/parallel.h"
#include "sim/runner.h"
#include "sim/samplers.h"

namespace kube {

void Households::resize(std::size_t n) {
  village.resize(n);
  size.resize(n);
  flags.resize(n);
  role.resize(n);
  need_months.resize(n);
  group.assign(n, -1);
  base_income.resize(n);
  savings.resize(n);
  skill.resize(n);
  understanding.resize(n);
  motivation.resize(n);
  expectation.resize(n);
  program_cash.resize(n);
  transfer_cash.resize(n);
}

std::uint64_t check_population_size(const Params& p, std::uint64_t villages) {
  const auto per = static_cast<std::uint64_t>(p.population_households_per_village);
  const std::uint64_t n = villages * per;  // both at most 10^6 and 10^5: no overflow
  const std::string what = std::to_string(villages) +
                           " villages x population.households_per_village = " + std::to_string(per) + " gives " +
                           std::to_string(n) + " households";
  // Households, group members and ties are indexed by 32-bit numbers; about four ties a
  // household must stay below 2^32 too.
  constexpr std::uint64_t MAX_HOUSEHOLDS = 500'000'000;
  if (n > MAX_HOUSEHOLDS)
    throw sim::InputError(what + ", more than the " + std::to_string(MAX_HOUSEHOLDS) +
                          " one run can hold. Lower population.villages (or the rows of population.village_file) or "
                          "population.households_per_village.");
  const double need = (BYTES_PER_HOUSEHOLD +
                       BYTES_PER_TIE_END * (static_cast<double>(p.network_ties_within) + p.network_cross_village)) *
                      static_cast<double>(n);
  const auto have = static_cast<double>(sim::physical_memory());
  if (have > 0 && need > have)
    throw sim::InputError(what + "; one run would need about " +
                          std::to_string(static_cast<long long>(need / 1e9 + 0.5)) + " GB, more than this machine's " +
                          std::to_string(static_cast<long long>(have / 1e9 + 0.5)) +
                          " GB. Lower population.villages or population.households_per_village.");
  return n;
}

void build_villages(World& w) {
  const Params& p = w.p;
  w.villages.clear();
  w.districts.clear();
  if (!p.population_village_file.empty()) {
    const auto path = p.base_dir / p.population_village_file;
    if (!std::filesystem::exists(path))
      throw sim::InputError("population.village_file: '" + sim::shorten(path.string(), 200) +
                            "' not found. The path is relative to the scenario file; set village_file = \"\" "
                            "for synthetic villages.");
    // A million villages fit in well under 64 MiB.
    std::istringstream in = [&] {
      try {
        return std::istringstream(sim::read_text_file(path, 64u << 20, "village file"));
      } catch (const sim::InputError& e) {
        throw sim::InputError(std::string("population.village_file: ") + e.what());
      }
    }();
    std::string line;
    std::getline(in, line);
    if (line.rfind("kecamatan,village", 0) != 0)
      throw sim::InputError(path.string() + ":1: expected the header 'kecamatan,village,kind'.");
    long n = 1;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty() || line == "\r") continue;
      std::stringstream ss(line);
      std::string district, name;
      if (!std::getline(ss, district, ',') || !std::getline(ss, name, ','))
        throw sim::InputError(path.string() + ":" + std::to_string(n) + ": expected 'kecamatan,village,kind'.");
      auto it = std::find(w.districts.begin(), w.districts.end(), district);
      if (it == w.districts.end()) {
        w.districts.push_back(district);
        it = w.districts.end() - 1;
      }
      Village v;
      v.name = name;
      v.district = district;
      v.district_id = static_cast<std::uint32_t>(it - w.districts.begin());
      w.villages.push_back(v);
    }
    if (w.villages.empty()) throw sim::InputError(path.string() + ": no villages listed.");
    check_population_size(p, w.villages.size());
  } else {
    check_population_size(p, static_cast<std::uint64_t>(p.population_villages));
    const auto per = static_cast<std::uint32_t>(p.population_villages_per_district);
    for (long long i = 0; i < p.population_villages; ++i) {
      const auto d = static_cast<std::uint32_t>(i) / per;
      if (d >= w.districts.size()) w.districts.push_back("Kecamatan " + std::to_string(d + 1));
      Village v;
      v.name = "Desa " + std::to_string(i + 1);
      v.district = w.districts[d];
      v.district_id = d;
      w.villages.push_back(v);
    }
  }
  std::uint32_t first = 0;
  for (auto& v : w.villages) {
    v.first = first;
    v.count = static_cast<std::uint32_t>(p.population_households_per_village);
    first += v.count;
  }
  // Blocks of whole villages of at least BLOCK_HOUSEHOLDS households (the last may be
  // smaller): a Kota Batu run is one block, East Java about 15.
  w.blocks.assign(1, 0);
  std::uint32_t in_block = 0;
  for (std::uint32_t v = 0; v < w.villages.size(); ++v) {
    in_block += w.villages[v].count;
    if (in_block >= BLOCK_HOUSEHOLDS || v + 1 == w.villages.size()) {
      w.blocks.push_back(v + 1);
      in_block = 0;
    }
  }
}

namespace {
float trait(sim::Stream& s, double mean, double conc) {
  return static_cast<float>(sim::beta(s, mean * conc, (1 - mean) * conc));
}
}  // namespace

void build_households(World& w) {
  const Params& p = w.p;
  const std::size_t n = w.villages.empty() ? 0 : w.villages.back().first + w.villages.back().count;
  w.hh.resize(n);
  const auto key = w.streams.key(STREAM_POPULATION);
  const double c = p.population_trait_concentration;
  const boost::random::poisson_distribution<int, double> extra_members(
      std::max(p.population_household_size - 1.0, 1e-9));
  sim::parallel_blocks(block_count(w), [&](std::size_t b) {
    for (std::uint32_t v = w.blocks[b]; v < w.blocks[b + 1]; ++v) {
      for (std::uint32_t h = w.villages[v].first; h < w.villages[v].first + w.villages[v].count; ++h) {
        sim::Stream s = key.stream(h);
        const bool eligible = s.uniform() < p.population_eligible_share;
        auto extra = extra_members;  // stateless: a copy per household keeps the loop's draws its own
        const int size = std::min<int>(1 + extra(s), static_cast<int>(p.population_household_size_max));
        const double median = p.population_income_median_ratio * p.population_poverty_line * size *
                              (eligible ? 1.0 : p.population_ineligible_income_ratio);
        double income = median * std::exp(p.population_income_log_sd * sim::normal(s));
        income =
            std::min(income, p.population_income_ceiling * (eligible ? 1.0 : p.population_ineligible_income_ratio));
        w.hh.village[h] = v;
        w.hh.size[h] = static_cast<std::uint8_t>(size);
        w.hh.flags[h] = eligible ? H_ELIGIBLE : 0;
        w.hh.role[h] = static_cast<std::uint8_t>(Role::None);
        w.hh.need_months[h] = 0;
        w.hh.base_income[h] = static_cast<float>(income);
        w.hh.savings[h] = static_cast<float>(income * p.household_initial_savings_max * s.uniform());
        w.hh.skill[h] = trait(s, p.population_skill_mean, c);
        w.hh.understanding[h] = trait(s, p.population_understanding_mean, c);
        w.hh.motivation[h] = trait(s, p.population_motivation_mean, c);
        w.hh.expectation[h] = 0;
        w.hh.program_cash[h] = 0;
        w.hh.transfer_cash[h] = 0;
      }
    }
  });
}

namespace {
// A tie strength uniform in [lo, hi] of (0, 1], stored in a byte that reads back as
// (byte + 1) / 256 (for_each_tie).
std::uint8_t tie_strength(double lo, double hi, double u) {
  const double x = lo + (hi - lo) * u;
  return static_cast<std::uint8_t>(std::clamp(std::lround(x * 256.0) - 1, 0L, 255L));
}
}  // namespace

void build_network(World& w) {
  const Params& p = w.p;
  const std::size_t n = w.hh.count();
  // The ties are generated twice from their streams, the same both times: once to count
  // each household's ties, once to put them straight into the graph's arrays. No edge
  // list is held, so the peak is the graph itself (5 bytes a tie end and 4 a household).
  w.net = Network(static_cast<std::uint32_t>(n));
  auto& csr = w.net.m_forward;
  auto& slot = csr.m_rowstart;  // counts, then each row's next free place, then row starts
  slot.assign(n + 1, 0);
  bool placing = false;
  auto tie = [&](std::uint32_t a, std::uint32_t b, std::uint8_t st) {
    if (!placing) {
      ++slot[a];
      ++slot[b];
      return;
    }
    const auto i = slot[a]++, j = slot[b]++;
    csr.m_column[i] = b;
    csr.m_edge_properties[i].strength = st;
    csr.m_column[j] = a;
    csr.m_edge_properties[j].strength = st;
  };
  const auto key = w.streams.key(STREAM_NETWORK_VILLAGE);
  std::vector<std::vector<std::uint32_t>> by_district(w.districts.size());
  for (std::uint32_t v = 0; v < w.villages.size(); ++v) by_district[w.villages[v].district_id].push_back(v);
  const auto cross_key = w.streams.key(STREAM_NETWORK_CROSS);
  // Each cross tie has two ends; the mean is only used when positive (Boost asserts it is).
  const boost::random::poisson_distribution<int, double> cross_count(std::max(p.network_cross_village / 2, 1e-9));
  auto generate = [&] {
    // Within villages: a Watts-Strogatz small world per village (Boost.Graph generator).
    for (std::uint32_t v = 0; v < w.villages.size(); ++v) {
      const auto& vil = w.villages[v];
      if (vil.count < 3) continue;
      long long k = std::min<long long>(p.network_ties_within, vil.count - 2);
      k -= k % 2;
      if (k < 2) continue;
      const double rewire = (vil.count > static_cast<std::uint32_t>(k) + 2) ? p.network_rewire : 0.0;
      sim::Stream s = key.stream(v);
      using It = boost::small_world_iterator<sim::Stream, Network>;
      for (It it(s, vil.count, static_cast<std::uint32_t>(k), rewire), end; it != end; ++it) {
        const auto a = vil.first + static_cast<std::uint32_t>(it->first);
        const auto b = vil.first + static_cast<std::uint32_t>(it->second);
        if (a == b) continue;
        tie(a, b, tie_strength(p.network_strength_within_min, p.network_strength_within_max, s.uniform()));
      }
    }
    // Across villages of the same sub-district: a few weaker ties.
    if (p.network_cross_village <= 0 || w.villages.size() < 2) return;
    for (std::uint32_t h = 0; h < n; ++h) {
      sim::Stream s = cross_key.stream(h);
      const auto& peers = by_district[w.villages[w.hh.village[h]].district_id];
      if (peers.size() < 2) continue;
      auto count = cross_count;
      for (int t = count(s); t > 0; --t) {
        const auto v = peers[static_cast<std::size_t>(s.uniform() * static_cast<double>(peers.size()))];
        if (v == w.hh.village[h]) continue;
        const auto& vil = w.villages[v];
        const auto other = vil.first + static_cast<std::uint32_t>(s.uniform() * vil.count);
        tie(h, other, tie_strength(p.network_strength_cross_min, p.network_strength_cross_max, s.uniform()));
      }
    }
  };
  generate();
  // Counts to row starts (exclusive prefix sums), then place. Tie ends are indexed by
  // 32-bit numbers: a network with more is refused before anything is placed.
  std::uint64_t ends = 0;
  for (std::size_t h = 0; h < n; ++h) ends += slot[h];
  if (ends > std::numeric_limits<std::uint32_t>::max())
    throw sim::InputError(std::to_string(n) + " households with network.ties_within = " +
                          std::to_string(p.network_ties_within) + " make " + std::to_string(ends) +
                          " tie ends, more than the 4,294,967,295 one run can index. Lower network.ties_within, "
                          "population.villages or population.households_per_village.");
  std::uint32_t total = 0;
  for (std::size_t h = 0; h <= n; ++h) total += std::exchange(slot[h], total);
  csr.m_column.resize(total);
  csr.m_edge_properties.resize(total);
  placing = true;
  generate();
  // Each row's next free place is now the next row's start: shift back by one.
  for (std::size_t h = n; h > 0; --h) slot[h] = slot[h - 1];
  slot[0] = 0;
  // Each household's ties in a canonical order (by neighbour, then strength).
  std::vector<std::pair<std::uint32_t, std::uint8_t>> row;
  for (std::size_t h = 0; h < n; ++h) {
    const auto b = csr.m_rowstart[h], e = csr.m_rowstart[h + 1];
    row.clear();
    for (auto i = b; i < e; ++i) row.emplace_back(csr.m_column[i], csr.m_edge_properties[i].strength);
    std::sort(row.begin(), row.end());
    for (auto i = b; i < e; ++i) {
      csr.m_column[i] = row[i - b].first;
      csr.m_edge_properties[i].strength = row[i - b].second;
    }
  }
}

}  // namespace kube
