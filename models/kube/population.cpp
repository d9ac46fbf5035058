#include "models/kube/population.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

#include "sim/error.h"
#include "sim/memory.h"
#include "sim/output.h"
#include "sim/parallel.h"
#include "sim/runner.h"
#include "sim/samplers.h"

namespace kube {

void Households::resize(std::size_t n) {
  size.resize(n);
  flags.resize(n);
  role.resize(n);
  need_months.resize(n);
  group.resize(n);
  base_income.resize(n);
  savings.resize(n);
  skill.resize(n);
  understanding.resize(n);
  motivation.resize(n);
  expectation.resize(n);
  program_cash.resize(n);
  transfer_cash.resize(n);
}

std::uint64_t check_population_size(const Params& p, std::uint64_t villages, std::uint64_t households) {
  const auto per = static_cast<std::uint64_t>(p.population_households_per_village);
  const std::uint64_t n = households ? households : villages * per;  // both at most 10^6 and 10^5: no overflow
  const std::string what = households ? std::to_string(villages) + " villages of population.village_file with " +
                                            std::to_string(n) + " households in all"
                                      : std::to_string(villages) +
                                            " villages x population.households_per_village = " + std::to_string(per) +
                                            " gives " + std::to_string(n) + " households";
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

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// Fields of one line; a field may be quoted ("..."), with "" for a quote inside.
std::vector<std::string> split_fields(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"')
        out.back() += '"', ++i;
      else if (ch == '"')
        quoted = false;
      else
        out.back() += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == sep) {
      out.emplace_back();
    } else {
      out.back() += ch;
    }
  }
  for (auto& f : out) f = trim(f);
  return out;
}

}  // namespace

VillageTable read_village_table(std::istream& in, const std::string& where) {
  static const std::vector<std::string> KNOWN = {"kecamatan", "village", "kind", "households"};
  VillageTable t;
  std::string line;
  if (!std::getline(in, line))
    throw sim::InputError(where +
                          ": empty. The first line names the columns: " + "kecamatan,village[,kind][,households].");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a byte-order mark (Excel's "CSV UTF-8")
  const char separator = line.find(';') != std::string::npos && line.find(',') == std::string::npos ? ';' : ',';
  const auto header = split_fields(line, separator);
  int col[4] = {-1, -1, -1, -1};
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string h = header[i];
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    const auto k = std::find(KNOWN.begin(), KNOWN.end(), h);
    if (k == KNOWN.end())
      throw sim::InputError(where + ":1: unknown column '" + sim::shorten(header[i], 40) +
                            "'. The columns are kecamatan, village, kind (optional) and households (optional: DTKS "
                            "households of the village); rename or remove the column.");
    const auto c = k - KNOWN.begin();
    if (col[c] >= 0) throw sim::InputError(where + ":1: column '" + h + "' twice. Keep one.");
    col[c] = static_cast<int>(i);
  }
  if (col[0] < 0 || col[1] < 0)
    throw sim::InputError(where + ":1: the header needs the columns kecamatan and village (got '" +
                          sim::shorten(line, 80) + "').");
  t.has_households = col[3] >= 0;
  std::set<std::pair<std::string, std::string>> seen;
  long n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (trim(line).empty()) continue;
    const auto f = split_fields(line, separator);
    const std::string at = where + ":" + std::to_string(n) + ": ";
    auto field = [&](int c) -> std::string { return c >= 0 && static_cast<std::size_t>(c) < f.size() ? f[c] : ""; };
    if (f.size() > header.size())
      throw sim::InputError(at + std::to_string(f.size()) + " fields, more than the " + std::to_string(header.size()) +
                            " columns of the header (a separator inside a name? Put the name in quotes).");
    VillageRow row{field(col[0]), field(col[1]), field(col[2]), 0};
    if (row.district.empty() || row.name.empty())
      throw sim::InputError(at + "a village needs its kecamatan and its name.");
    if (!seen.insert({row.district, row.name}).second)
      throw sim::InputError(at + "village '" + sim::shorten(row.name, 60) + "' of kecamatan '" +
                            sim::shorten(row.district, 60) + "' is listed twice. Keep one row per village.");
    if (t.has_households) {
      const std::string h = field(col[3]);
      std::uint32_t v = 0;
      const auto r = std::from_chars(h.data(), h.data() + h.size(), v);
      if (h.empty() || r.ec != std::errc() || r.ptr != h.data() + h.size() || v < 5 || v > 100000)
        throw sim::InputError(at + "households = '" + sim::shorten(h, 20) +
                              "': write the village's DTKS households as a whole number from 5 to 100000.");
      row.households = v;
    }
    t.rows.push_back(std::move(row));
  }
  return t;
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
    const VillageTable table = read_village_table(in, path.string());
    for (const auto& row : table.rows) {
      auto it = std::find(w.districts.begin(), w.districts.end(), row.district);
      if (it == w.districts.end()) {
        w.districts.push_back(row.district);
        it = w.districts.end() - 1;
      }
      Village v;
      v.name = row.name;
      v.district = row.district;
      v.district_id = static_cast<std::uint32_t>(it - w.districts.begin());
      v.count = row.households > 0 ? row.households : static_cast<std::uint32_t>(p.population_households_per_village);
      w.villages.push_back(v);
    }
    if (w.villages.empty()) throw sim::InputError(path.string() + ": no villages listed.");
    std::uint64_t total = 0;
    for (const auto& v : w.villages) total += v.count;
    check_population_size(p, w.villages.size(), total);
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
      v.count = static_cast<std::uint32_t>(p.population_households_per_village);
      w.villages.push_back(v);
    }
  }
  std::uint32_t first = 0;
  for (auto& v : w.villages) {
    v.first = first;
    first += v.count;
  }
  // Blocks of whole villages of at least BLOCK_HOUSEHOLDS households (the last may be
  // smaller): a Kota Batu run is one block, East Java 61.
  w.blocks.assign(1, 0);
  std::uint32_t in_block = 0;
  for (std::uint32_t v = 0; v < w.villages.size(); ++v) {
    in_block += w.villages[v].count;
    if (in_block >= BLOCK_HOUSEHOLDS || v + 1 == w.villages.size()) {
      w.blocks.push_back(v + 1);
      in_block = 0;
    }
  }
  w.block_groups.assign(block_count(w), {});
}

namespace {
// A trait Beta(mean x conc, (1 - mean) x conc), its shapes computed once for all households.
struct Trait {
  sim::GammaShape a, b;
  Trait(double mean, double conc) : a(mean * conc), b((1 - mean) * conc) {}
  float operator()(sim::Stream& s) const { return static_cast<float>(sim::beta(s, a, b)); }
};
}  // namespace

void build_households(World& w) {
  const Params& p = w.p;
  const std::size_t n = w.villages.empty() ? 0 : w.villages.back().first + w.villages.back().count;
  w.hh.resize(n);
  const auto key = w.streams.key(STREAM_POPULATION);
  const double c = p.population_trait_concentration;
  // Members beyond the first, Poisson, cut where the household reaches its largest size.
  const sim::CappedPoisson extra_members(std::max(p.population_household_size - 1.0, 1e-9),
                                         static_cast<int>(p.population_household_size_max) - 1);
  const Trait skill(p.population_skill_mean, c), understanding(p.population_understanding_mean, c),
      motivation(p.population_motivation_mean, c);
  sim::parallel_blocks(block_count(w), [&](std::size_t b) {
    for (std::uint32_t v = w.blocks[b]; v < w.blocks[b + 1]; ++v) {
      for (std::uint32_t h = w.villages[v].first; h < w.villages[v].first + w.villages[v].count; ++h) {
        sim::Stream s = key.stream(h);
        const bool eligible = s.uniform() < p.population_eligible_share;
        const int size = 1 + extra_members(s);
        const double median = p.population_income_median_ratio * p.population_poverty_line * size *
                              (eligible ? 1.0 : p.population_ineligible_income_ratio);
        double income = median * std::exp(p.population_income_log_sd * sim::normal(s));
        income =
            std::min(income, p.population_income_ceiling * (eligible ? 1.0 : p.population_ineligible_income_ratio));
        w.hh.size[h] = static_cast<std::uint8_t>(size);
        w.hh.flags[h] = eligible ? H_ELIGIBLE : 0;
        w.hh.role[h] = static_cast<std::uint8_t>(Role::None);
        w.hh.group[h] = -1;
        w.hh.need_months[h] = 0;
        w.hh.base_income[h] = static_cast<float>(income);
        w.hh.savings[h] = static_cast<float>(income * p.household_initial_savings_max * s.uniform());
        w.hh.skill[h] = skill(s);
        w.hh.understanding[h] = understanding(s);
        w.hh.motivation[h] = motivation(s);
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
// std::lround without the library call (two per tie): for 0 <= y < 2^52, y less its whole
// part is exact, so comparing it with 0.5 rounds halves away from zero as lround does.
long round_half_away(double y) {
  if (!(y >= 0 && y < 0x1p52)) return std::lround(y);
  const auto whole = static_cast<long>(y);
  return whole + (y - static_cast<double>(whole) >= 0.5 ? 1 : 0);
}

std::uint8_t tie_strength(double lo, double hi, double u) {
  const double x = lo + (hi - lo) * u;
  return static_cast<std::uint8_t>(std::clamp(round_half_away(x * 256.0) - 1, 0L, 255L));
}
}  // namespace

void build_network(World& w) {
  const Params& p = w.p;
  const std::size_t n = w.hh.count();
  // The ties are generated twice from their streams, the same both times: once to count
  // each household's ties, once to put them straight into the graph's arrays. No edge
  // list is held, so the peak is the graph itself (5 bytes a tie end and 4 a household).
  // The rows are sized here, not by the graph's constructor: one zeroing of memory advised
  // to huge pages (the graph has as many vertices as row starts less one).
  w.net = Network();
  auto& csr = w.net.m_forward;
  auto& slot = csr.m_rowstart;  // counts, then each row's next free place, then row starts
  slot.clear();
  slot.reserve(n + 1);
  sim::advise_huge_pages(slot.data(), (n + 1) * sizeof(std::uint32_t));
  (void)sim::populate_pages(slot.data(), (n + 1) * sizeof(std::uint32_t));
  slot.assign(n + 1, 0);
  bool placing = false;
  // The ties within villages are generated block by block of villages on the run's threads,
  // each touching only its own households' rows; the ties across villages next, also by
  // block, where the far end may lie in another block, so their places are taken with atomic
  // increments. The places a row's ties get thus vary with the threads, but each row is
  // sorted at the end, so the graph is the same.
  auto tie = [&](std::uint32_t a, std::uint32_t b, std::uint8_t st, bool shared) {
    auto take = [&](std::uint32_t h) {
      return shared ? std::atomic_ref(slot[h]).fetch_add(1, std::memory_order_relaxed) : slot[h]++;
    };
    if (!placing) {
      take(a);
      take(b);
      return;
    }
    const auto i = take(a), j = take(b);
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
  const sim::CappedPoisson cross_count(std::max(p.network_cross_village / 2, 1e-9), std::numeric_limits<int>::max());
  auto generate = [&] {
    // Within villages: a Watts-Strogatz small world per village (Boost.Graph generator).
    sim::parallel_blocks(block_count(w), [&](std::size_t block) {
      for (std::uint32_t v = w.blocks[block]; v < w.blocks[block + 1]; ++v) {
        const auto& vil = w.villages[v];
        if (vil.count < 3) continue;
        long long k = std::min<long long>(p.network_ties_within, vil.count - 2);
        k -= k % 2;
        if (k < 2) continue;
        const double rewire = (vil.count > static_cast<std::uint32_t>(k) + 2) ? p.network_rewire : 0.0;
        sim::Stream s = key.stream(v);
        small_world_ties(s, vil.count, static_cast<std::uint32_t>(k), rewire, [&](std::uint32_t i, std::uint32_t j) {
          if (i == j) return;
          tie(vil.first + i, vil.first + j,
              tie_strength(p.network_strength_within_min, p.network_strength_within_max, s.uniform()), false);
        });
      }
    });
    // Across villages of the same sub-district: a few weaker ties, drawn household by
    // household from each household's own stream.
    if (p.network_cross_village <= 0 || w.villages.size() < 2) return;
    // A tie's far end may be another block's household: places are taken atomically when
    // blocks run on several threads.
    const bool shared = sim::threads_within_run() > 1 && block_count(w) > 1;
    sim::parallel_blocks(block_count(w), [&](std::size_t block) {
      for (std::uint32_t home = w.blocks[block]; home < w.blocks[block + 1]; ++home) {
        const auto& peers = by_district[w.villages[home].district_id];
        if (peers.size() < 2) continue;
        const std::uint32_t first = w.villages[home].first, last = first + w.villages[home].count;
        for (std::uint32_t h = first; h < last; ++h) {
          sim::Stream s = cross_key.stream(h);
          for (int t = cross_count(s); t > 0; --t) {
            const auto v = peers[static_cast<std::size_t>(s.uniform() * static_cast<double>(peers.size()))];
            if (v == home) continue;
            const auto& vil = w.villages[v];
            const auto other = vil.first + static_cast<std::uint32_t>(s.uniform() * vil.count);
            tie(h, other, tie_strength(p.network_strength_cross_min, p.network_strength_cross_max, s.uniform()),
                shared);
          }
        }
      }
    });
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
  // Room first, advised to huge pages and faulted in on the run's threads before the zeros
  // of resize touch it.
  csr.m_column.reserve(total);
  csr.m_edge_properties.reserve(total);
  sim::advise_huge_pages(csr.m_column.data(), total * sizeof(std::uint32_t));
  sim::advise_huge_pages(csr.m_edge_properties.data(), total * sizeof(TieStrength));
  (void)sim::populate_pages(csr.m_column.data(), total * sizeof(std::uint32_t));
  (void)sim::populate_pages(csr.m_edge_properties.data(), total * sizeof(TieStrength));
  csr.m_column.resize(total);
  csr.m_edge_properties.resize(total);
  placing = true;
  generate();
  // Each row's next free place is now the next row's start: shift back by one.
  for (std::size_t h = n; h > 0; --h) slot[h] = slot[h - 1];
  slot[0] = 0;
  // Each household's ties in a canonical order (by neighbour, then strength), block by block.
  sim::parallel_blocks(block_count(w), [&](std::size_t block) {
    std::vector<std::pair<std::uint32_t, std::uint8_t>> row;
    auto* column = csr.m_column.data();
    auto* strength = csr.m_edge_properties.data();
    for (std::size_t h = block_begin(w, block); h < block_end(w, block); ++h) {
      const auto b = csr.m_rowstart[h], e = csr.m_rowstart[h + 1];
      if (e - b <= 32) {
        // A row of the usual length: sorted where it lies, by insertion.
        for (auto i = b + 1; i < e; ++i) {
          const auto c = column[i];
          const auto st = strength[i].strength;
          auto j = i;
          for (; j > b && (column[j - 1] > c || (column[j - 1] == c && strength[j - 1].strength > st)); --j) {
            column[j] = column[j - 1];
            strength[j] = strength[j - 1];
          }
          column[j] = c;
          strength[j].strength = st;
        }
        continue;
      }
      row.clear();
      for (auto i = b; i < e; ++i) row.emplace_back(csr.m_column[i], csr.m_edge_properties[i].strength);
      std::sort(row.begin(), row.end());
      for (auto i = b; i < e; ++i) {
        csr.m_column[i] = row[i - b].first;
        csr.m_edge_properties[i].strength = row[i - b].second;
      }
    }
  });
}

}  // namespace kube
