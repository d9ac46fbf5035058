// The state of one run: households as structure of arrays of compact types, the social
// network as a compressed sparse row graph, groups, mentors and the agencies' books.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "models/kube/params.h"
#include "sim/memory.h"
#include "sim/random.h"

namespace kube {

// Named random streams, one per purpose (as OpenMC names its streams). Every draw's
// generator is w.streams.key(STREAM_..., key fields).stream(...) from sim/random.h: a hash of
// (seed, replicate, stream, key fields), so two purposes never share numbers and adding a draw
// to one shifts no other. The key fields of each stream, in order:
enum StreamId : std::uint32_t {
  STREAM_POPULATION,          // (household): eligibility, size, income, savings, traits
  STREAM_NETWORK_VILLAGE,     // (village): the small world within the village, tie strengths
  STREAM_NETWORK_CROSS,       // (household): ties to other villages of the sub-district
  STREAM_MENTOR_HIRING,       // (mentor): quality of a newly hired mentor
  STREAM_FORMATION,           // (cohort, slot): village, founder, targeting, members, business type
  STREAM_SOCIALIZATION,       // (month, group, session, household): attendance at a session
  STREAM_SPLIT_DISBURSEMENT,  // (month, group): sharing the grant out when it arrives
  STREAM_SPLIT_CRISIS,        // (month, group): sharing the capital out in a later crisis
  STREAM_BUSINESS_SHOCKS,     // (month, group): profit shock, livestock disease and its loss
  STREAM_VILLAGE_SHOCKS,      // (month, village): weather or market shock, disaster and its loss
  STREAM_CAPTURE,             // (month, group): capture, and its discovery by members
  STREAM_VISIT_DISCOVERY,     // (month, group): a visiting mentor discovers a hidden capture
  STREAM_COHESION,            // (month, group): conflict, then each member's exit after it
  STREAM_MEMBERSHIP,          // (month, household): a member's exit
  STREAM_NEEDS,               // (month, group): a new need
  STREAM_PROVINCE,            // (month, group): the provincial decision on a proposal
  STREAM_HOUSEHOLD_SHOCKS,    // (month, household): income noise, shock, its cost
  N_STREAMS
};
const char* stream_name(StreamId s);

enum class Stage : std::uint8_t { Preparing, Active, Inactive };
enum class Cause : std::uint8_t { None, GrantSplit, BusinessLosses, MemberWithdrawal, Conflict, Catastrophe };
inline constexpr int N_CAUSES = 5;  // causes other than None
enum class BusinessType : std::uint8_t { Livestock, Food, Trade, Services, Crafts };
inline constexpr int N_BUSINESS = 5;
enum class Role : std::uint8_t { None, Member, Chair, Secretary, Treasurer };

const char* cause_name(Cause c);
const char* business_name(BusinessType b);

struct TieStrength {
  std::uint8_t strength = 0;  // 0-255 maps to (0, 1]
};
using Network = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, TieStrength,
                                                   boost::no_property, std::uint32_t, std::uint32_t>;

// Household flags.
enum : std::uint8_t { H_ELIGIBLE = 1, H_RECIPIENT = 2, H_TAKEN = 4 };

// An allocator whose resize leaves new numbers unset (default-initialised) instead of
// writing zeros: the population's arrays are filled once by build_households, on the run's
// threads, so their memory is first touched there rather than by one thread's zeroing.
// Large arrays ask for huge pages (sim::advise_huge_pages).
template <typename T>
struct Unset : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = Unset<U>;
  };
  Unset() = default;
  template <typename U>
  Unset(const Unset<U>&) noexcept {}
  T* allocate(std::size_t n) {
    T* p = std::allocator<T>::allocate(n);
    sim::advise_huge_pages(p, n * sizeof(T));
    return p;
  }
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <typename T>
using Column = std::vector<T, Unset<T>>;

// A household's village is not stored: villages hold contiguous ranges of households in
// order (Village::first, count), so village_of finds it. Every column is set for every
// household by build_households.
struct Households {
  Column<std::uint8_t> size;
  Column<std::uint8_t> flags;
  Column<std::uint8_t> role;
  Column<std::uint8_t> need_months;                // months left in cash need after an uncovered shock
  Column<std::int32_t> group;                      // current group, -1 for none
  Column<float> base_income;                       // Rp/month
  Column<float> savings;                           // Rp
  Column<float> skill, understanding, motivation;  // 0-1
  Column<float> expectation;                       // Rp/month of payout a member expects; adapts to what is paid
  Column<float> program_cash;                      // this month's lasting income from the program (payouts)
  Column<float> transfer_cash;                     // this month's one-off transfer (a shared-out grant)

  std::size_t count() const { return size.size(); }
  void resize(std::size_t n);
};

struct Village {
  std::string name;
  std::string district;
  std::uint32_t first = 0, count = 0;  // households [first, first+count)
  std::uint32_t district_id = 0;
};

struct Group {
  std::uint32_t id = 0, village = 0;
  std::uint32_t block = 0;  // the block of its village (World::blocks)
  BusinessType type = BusinessType::Trade;
  Stage stage = Stage::Preparing;
  Cause cause = Cause::None;
  bool label = false, permit = false, catastrophe = false, at_risk = false, capture_hidden = false;
  std::int16_t cohort = 0;
  std::int32_t formed = -1, disburse_at = -1, funded = -1, failed = -1;  // months (0-based)
  std::uint32_t member_begin = 0, member_end = 0;                        // slice of World::members
  std::uint32_t tie_begin = 0, tie_end = 0;                              // slice of World::group_ties
  std::uint8_t size_formed = 0, members = 0, contributors = 0;
  std::int32_t mentor = -1;
  std::int32_t last_visit = -1000, deter_until = -1, flagged_at = -1;
  std::int32_t low_capital_months = 0, low_contrib_months = 0, sessions_done = 0;
  std::int32_t need_since = -1;  // month a need arose, -1 none
  bool need_forwarded = false;
  std::int32_t office_seen = -1;  // month of the office's last observation
  bool office_seen_active = true;
  double capital = 0, iks = 0, capital_prev = 0, payout_per_member = 0;
  float bookkeeping = 0, cohesion = 0, market_access = 1;
  // Ledger: where the money went, for the conservation invariant.
  double grant_in = 0, leakage = 0, equipment_in = 0, profit = 0, losses = 0, payouts = 0, iks_in = 0, iks_out = 0,
         captured = 0, withdrawals = 0, split_paid = 0;
};

// A tie between two members of a group, by their places in its slice of World::members,
// with the network's strength byte: the group's own copy of the ties among its members,
// made at formation (members never join later), so that a month's peer influence reads a
// few bytes instead of every member's row of the network.
struct GroupTie {
  std::uint8_t from = 0, to = 0;
  TieStrength strength;
};

struct Mentor {
  float quality = 0.5f;
  std::vector<std::uint32_t> groups;
};

struct Proposal {
  std::uint32_t group;
  std::int32_t need_month, forwarded_month;
};

enum CostCategory { C_GRANTS, C_SOCIALIZATION, C_TRAINING, C_VISITS, C_MENTORS, C_LABELS, C_EQUIPMENT, N_COSTS };
const char* cost_name(int c);

// Per-year tallies for the indicators.
struct YearTally {
  std::vector<int> response_months;  // need -> answer, for answers given this year
  int needs_raised = 0, answered_within_3 = 0;
  int flags = 0, flags_visited_1m = 0;
  int reports_on_time = 0;
  double report_error = 0, report_error_rel = 0;
  double income_gain = 0, lifted = 0;  // summed over months of the year
  int months = 0;
  double cost = 0;
};

struct World {
  Params p;
  sim::Streams streams;
  Households hh;
  std::vector<Village> villages;
  std::vector<std::string> districts;
  // Blocks of whole villages for the loops that run on several threads within a run: block
  // b holds villages blocks[b] to blocks[b + 1] - 1. Fixed by the villages alone
  // (population.cpp), never by the thread count.
  std::vector<std::uint32_t> blocks;
  Network net;
  std::vector<Group> groups;
  std::vector<std::uint32_t> members;  // group member lists, slices per group
  std::vector<GroupTie> group_ties;    // ties among members, slices per group, in row order
  // The groups of each block in id order (appended as groups form), and the lists that
  // for_groups_by_block selects from them.
  std::vector<std::vector<std::uint32_t>> block_groups, by_block;
  std::vector<Mentor> mentors;
  std::deque<Proposal> province_queue;
  int province_decided_this_year = 0;
  int labels_this_year = 0, permits_this_year = 0;
  std::array<double, N_COSTS> cost{};
  std::array<int, N_CAUSES + 1> failures{};
  int visits_this_month = 0;
  double captured_total = 0, paid_before = 0;
  std::vector<YearTally> years;
  int month = 0;

  World(const Params& params, std::uint64_t seed, std::uint64_t replicate) : p(params), streams(seed, replicate) {}
  double household_line(std::uint32_t h) const { return p.population_poverty_line * hh.size[h]; }
  double grant(const Group& g) const { return p.program_grant_per_member * g.size_formed; }
  YearTally& year() { return years[static_cast<std::size_t>(month / 12)]; }
};

// The blocks of a world (none before build_villages).
inline std::size_t block_count(const World& w) { return w.blocks.empty() ? 0 : w.blocks.size() - 1; }

// The households of block b (World::blocks).
inline std::uint32_t block_begin(const World& w, std::size_t b) { return w.villages[w.blocks[b]].first; }
inline std::uint32_t block_end(const World& w, std::size_t b) {
  const auto& last = w.villages[w.blocks[b + 1] - 1];
  return last.first + last.count;
}

// The village of household h: the last village starting at or before it.
inline std::uint32_t village_of(const World& w, std::uint32_t h) {
  const auto it = std::upper_bound(w.villages.begin(), w.villages.end(), h,
                                   [](std::uint32_t x, const Village& v) { return x < v.first; });
  return static_cast<std::uint32_t>(it - w.villages.begin()) - 1;
}

// Whether household h lives in village `vil`.
inline bool lives_in(const Village& vil, std::uint32_t h) { return h - vil.first < vil.count; }

// The block of village v.
inline std::size_t block_of_village(const World& w, std::uint32_t v) {
  return static_cast<std::size_t>(std::upper_bound(w.blocks.begin(), w.blocks.end(), v) - w.blocks.begin()) - 1;
}

// Calls f(h) for each current member h of g: the slice of World::members holds everyone
// who ever joined, and a household still belongs while its group id points back.
template <typename W, typename F>
void for_each_member(W& w, const Group& g, F&& f) {
  const auto gid = static_cast<std::int32_t>(g.id);
  for (auto i = g.member_begin; i < g.member_end; ++i) {
    const std::uint32_t h = w.members[i];
    if (w.hh.group[h] == gid) f(h);
  }
}

}  // namespace kube
