#include "models/kube/mechanisms.h"

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "sim/parallel.h"
#include "sim/samplers.h"

namespace kube {

namespace {

// Households go through the month in chunks of CHUNK, in two passes: the draws of every
// household of the chunk (no branches, so the compiler vectorises them), then, LANES
// households at a time, their rare events one by one (a shock, a normal draw outside the
// ziggurat's core) and the arithmetic and sums of all LANES together.
constexpr std::uint32_t CHUNK = 1024;
constexpr std::uint32_t LANES = 8;
// The sums of money run in SUM_LANES partial sums in double, household i of a block adding
// to lane i % SUM_LANES, and the lanes are added in order at the end of the block: a fixed
// order, so the same bits whatever vector width the build uses and whatever the thread
// count. Counts are integers, exact in any order.
constexpr std::uint32_t SUM_LANES = 4;

enum : std::uint8_t { E_OUTSIDE = 1, E_SHOCKED = 2 };

// GCC's (and clang's) vector types. The helpers are internal to this file, so the warning
// that such arguments pass differently with and without AVX (-Wpsabi) concerns no interface.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef float f8 __attribute__((vector_size(32)));
typedef std::int32_t i8 __attribute__((vector_size(32)));
typedef double d4 __attribute__((vector_size(32)));
typedef std::uint8_t u8x8 __attribute__((vector_size(8)));
typedef std::int8_t s8x8 __attribute__((vector_size(8)));

template <typename V, typename T>
V load(const T* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V, typename T>
void store(T* p, const V& v) {
  std::memcpy(p, &v, sizeof v);
}
// mask ? a : b, for masks of all ones or zero.
inline f8 select(i8 mask, f8 a, f8 b) {
  return reinterpret_cast<f8>((mask & reinterpret_cast<i8>(a)) | (~mask & reinterpret_cast<i8>(b)));
}
// std::max(a, b) is (a < b) ? b : a and std::min(a, b) is (b < a) ? b : a: the same here
// lane by lane, and without the branches a compiler makes of them in scalar code.
inline f8 vmax(f8 a, f8 b) { return select(a < b, b, a); }
inline f8 vmin(f8 a, f8 b) { return select(b < a, b, a); }
// Whether any lane's bits are not all zero.
inline bool any_set(f8 v) {
  std::uint64_t q[4];
  std::memcpy(q, &v, sizeof q);
  return (q[0] | q[1] | q[2] | q[3]) != 0;
}

// The sums of one block. The counts of a chunk are packed four to a 32-bit lane (a lane
// counts at most CHUNK / LANES = 128 households a chunk, below 256).
struct Sums {
  enum { INCOME, INCOME_CF, GAP, GAP_CF, INCOME_M, INCOME_M_CF, TRANSFER_M, GAP_M, N_REAL };
  std::array<d4, N_REAL> real{};
  i8 packed_a{}, packed_b{};  // poor, poor_cf, members, poor members | poor members cf, lifted
  std::uint64_t poor = 0, poor_cf = 0, members = 0, poor_m = 0, poor_m_cf = 0, lifted = 0;
  void add(int k, f8 v) {
#if defined(__AVX__)
    // The same conversions, as the two instructions they are (the generic form below
    // compiles to a chain of shuffles).
    const d4 lo = reinterpret_cast<d4>(_mm256_cvtps_pd(_mm256_castps256_ps128(reinterpret_cast<__m256>(v))));
    const d4 hi = reinterpret_cast<d4>(_mm256_cvtps_pd(_mm256_extractf128_ps(reinterpret_cast<__m256>(v), 1)));
#else
    const d4 lo = __builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3), d4);
    const d4 hi = __builtin_convertvector(__builtin_shufflevector(v, v, 4, 5, 6, 7), d4);
#endif
    real[k] = real[k] + lo + hi;
  }
  // One household's value x into lane `lane` of the SUM_LANES, as add does for eight.
  void add_one(int k, std::uint32_t lane, float x) { real[k][lane] += static_cast<double>(x); }
  void unpack() {
    for (std::uint32_t j = 0; j < LANES; ++j) {
      const auto a = static_cast<std::uint32_t>(packed_a[j]), b = static_cast<std::uint32_t>(packed_b[j]);
      poor += a & 0xff;
      poor_cf += (a >> 8) & 0xff;
      members += (a >> 16) & 0xff;
      poor_m += a >> 24;
      poor_m_cf += b & 0xff;
      lifted += (b >> 8) & 0xff;
    }
    packed_a = i8{};
    packed_b = i8{};
  }
};

}  // namespace

// The hot loop over every household of the pool. Each household draws the same numbers
// every month whatever its state, from its own stream, so two scenarios at the same
// replicate see the same exogenous incomes and shocks. The stream's first 64-bit number
// gives both: its low 32 bits the income noise (a normal, sim::normal32_*), its high 32 bits
// the shock. The second number is the shock's cost, drawn only when shocked; a normal draw
// outside the ziggurat's core goes on from the third. The counterfactual income (without
// program money) is exact here: base income and its shocks are exogenous, and the program
// only adds cash.
HouseholdTotals run_households(World& w) {
  const Params& p = w.p;
  Households& hh = w.hh;
  const auto key = w.streams.key(STREAM_HOUSEHOLD_SHOCKS, w.month);
  const float noise_sd = static_cast<float>(p.household_income_noise_sd);
  const float line = static_cast<float>(p.population_poverty_line);
  const double cost_lo = p.household_shock_cost_min,
               cost_span = p.household_shock_cost_max - p.household_shock_cost_min;
  const auto need_months = static_cast<std::uint8_t>(p.household_need_months);
  const float save_rate = static_cast<float>(p.household_savings_rate);
  const float save_cap = static_cast<float>(p.household_savings_cap);
  const sim::Chance32 shock(p.household_shock_prob);
  // Blocks of whole villages (a group's members and their shocks stay in one block), each
  // summed on its own and the sums added in block order: the same bits on any number of
  // threads (sim/parallel.h).
  std::vector<HouseholdTotals> part(block_count(w));
  sim::parallel_blocks(part.size(), [&](std::size_t b) {
    // Plain pointers: the byte-wide stores (need_months) may alias anything reached through
    // a reference, which would reload every array's address each household.
    const float* __restrict base_income = hh.base_income.data();
    float* __restrict savings_of = hh.savings.data();
    float* __restrict program_cash = hh.program_cash.data();
    float* __restrict transfer_cash = hh.transfer_cash.data();
    std::uint8_t* __restrict need = hh.need_months.data();
    const std::uint8_t* __restrict size = hh.size.data();
    const std::uint8_t* __restrict flags = hh.flags.data();
    const std::int32_t* __restrict group = hh.group.data();
    Group* const groups = w.groups.data();
    alignas(64) float z[CHUNK];
    alignas(64) std::uint8_t event[CHUNK];
    Sums acc;

    // The events of household h (chunk index i): a normal draw finished from its stream,
    // a shock's cost met from savings, the group's social fund (IKS) and its capital, and
    // what is left by cutting consumption. In household order: a shock draws on its group.
    auto events = [&](std::uint32_t i, std::uint32_t h) {
      sim::Stream s = key.stream(h);
      const auto lo = static_cast<std::uint32_t>(s());
      const double cost_u = s.uniform();
      if (event[i] & E_OUTSIDE) z[i] = sim::normal32_rest(lo, s);
      if (!(event[i] & E_SHOCKED)) return;
      const float base = base_income[h];
      float savings = savings_of[h];
      double cost = base * (cost_lo + cost_span * cost_u);
      const double from_savings = std::min<double>(cost, savings);
      savings -= static_cast<float>(from_savings);
      cost -= from_savings;
      const std::int32_t gid = group[h];
      if (cost > 0 && gid >= 0) {
        Group& g = groups[gid];
        if (g.stage == Stage::Active) {
          const double loan = std::min(cost, p.household_iks_loan_cap * g.iks);
          g.iks -= loan;
          g.iks_out += loan;
          cost -= loan;
          const double stake = g.members > 0 ? std::max(0.0, g.capital) / g.members : 0.0;
          const double withdrawal = std::min(cost, p.household_withdrawal_cap * stake);
          g.capital -= withdrawal;
          g.withdrawals += withdrawal;
          cost -= withdrawal;
        }
      }
      savings_of[h] = savings;
      if (cost > 0) need[h] = need_months;
    };

    // Incomes, savings, poverty and the sums of households h to h + LANES - 1.
    auto lanes = [&](std::uint32_t i, std::uint32_t h) {
      const f8 zero = {}, one = zero + 1.0f;
      const f8 base = load<f8>(base_income + h);
      const f8 income = base * vmax(zero, one + noise_sd * load<f8>(z + i));
      const f8 savings = load<f8>(savings_of + h);
      const f8 cash = load<f8>(program_cash + h);
      const f8 total = income + cash;
      // A shared-out grant is one-off cash: it tops up savings (what exceeds the cap is
      // spent) and is not income, so it lifts no one above the line.
      const f8 transfer = load<f8>(transfer_cash + h);
      store(savings_of + h, vmin(savings + save_rate * total + transfer, vmax(savings, save_cap * base)));
      // The month's cash is spent. Most households get none: their memory is left clean
      // rather than rewritten with the zeros it holds.
      if (any_set(cash)) store(program_cash + h, zero);
      if (any_set(transfer)) store(transfer_cash + h, zero);
      // A month without a shock takes one off the months in need.
      const u8x8 shocked = reinterpret_cast<u8x8>((load<s8x8>(event + i) & static_cast<std::int8_t>(E_SHOCKED)) != 0);
      const u8x8 left = load<u8x8>(need + h);
      store(need + h, (shocked & left) | (~shocked & (left - (reinterpret_cast<u8x8>(left > 0) & 1))));

      // Sizes widened to 32-bit integers first: one conversion each, not eight.
      const f8 hline = line * __builtin_convertvector(__builtin_convertvector(load<u8x8>(size + h), i8), f8);
      const i8 poor = total < hline, poor_cf = income < hline;
      // 1 - total / hline where poor (the quotient is below 1 exactly then), 0 elsewhere.
      const f8 gap = vmax(zero, one - total / hline);
      const f8 gap_cf = vmax(zero, one - income / hline);
      const i8 member =
          __builtin_convertvector((load<u8x8>(flags + h) & static_cast<std::uint8_t>(H_RECIPIENT)) != 0, i8);
      acc.add(Sums::INCOME, total);
      acc.add(Sums::INCOME_CF, income);
      acc.add(Sums::GAP, gap);
      acc.add(Sums::GAP_CF, gap_cf);
      acc.add(Sums::INCOME_M, select(member, total, zero));
      acc.add(Sums::INCOME_M_CF, select(member, income, zero));
      acc.add(Sums::TRANSFER_M, select(member, transfer, zero));
      acc.add(Sums::GAP_M, select(member, gap, zero));
      acc.packed_a += (poor & 1) | ((poor_cf & 1) << 8) | ((member & 1) << 16) | ((member & poor & 1) << 24);
      acc.packed_b += (member & poor_cf & 1) | ((member & poor_cf & ~poor & 1) << 8);
    };

    // The same for one household (the last households of a block), lane by lane as lanes
    // adds: the same operations in the same order, so the same bits.
    auto one = [&](std::uint32_t i, std::uint32_t h, std::uint32_t lane) {
      const float base = base_income[h];
      const float income = base * std::max(0.0f, 1.0f + noise_sd * z[i]);
      const float savings = savings_of[h];
      const float total = income + program_cash[h];
      const float transfer = transfer_cash[h];
      savings_of[h] = std::min(savings + save_rate * total + transfer, std::max(savings, save_cap * base));
      program_cash[h] = 0.0f;
      transfer_cash[h] = 0.0f;
      if (!(event[i] & E_SHOCKED) && need[h] > 0) --need[h];
      const float hline = line * static_cast<float>(size[h]);
      const bool poor = total < hline, poor_cf = income < hline;
      const float gap = std::max(0.0f, 1.0f - total / hline);
      const float gap_cf = std::max(0.0f, 1.0f - income / hline);
      const bool member = (flags[h] & H_RECIPIENT) != 0;
      acc.add_one(Sums::INCOME, lane, total);
      acc.add_one(Sums::INCOME_CF, lane, income);
      acc.add_one(Sums::GAP, lane, gap);
      acc.add_one(Sums::GAP_CF, lane, gap_cf);
      acc.add_one(Sums::INCOME_M, lane, member ? total : 0.0f);
      acc.add_one(Sums::INCOME_M_CF, lane, member ? income : 0.0f);
      acc.add_one(Sums::TRANSFER_M, lane, member ? transfer : 0.0f);
      acc.add_one(Sums::GAP_M, lane, member ? gap : 0.0f);
      acc.poor += poor;
      acc.poor_cf += poor_cf;
      acc.members += member;
      acc.poor_m += member && poor;
      acc.poor_m_cf += member && poor_cf;
      acc.lifted += member && poor_cf && !poor;
    };

    const std::uint32_t begin = block_begin(w, b), end = block_end(w, b);
    for (std::uint32_t h0 = begin; h0 < end; h0 += CHUNK) {
      const std::uint32_t n = std::min(CHUNK, end - h0);
      for (std::uint32_t i = 0; i < n; ++i) {
        sim::Stream s = key.stream(h0 + i);
        const std::uint64_t bits = s();
        const auto lo = static_cast<std::uint32_t>(bits);
        z[i] = sim::normal32_core(lo);
        event[i] = static_cast<std::uint8_t>((sim::normal32_inside(lo) ? 0 : E_OUTSIDE) |
                                             (shock.of(static_cast<std::uint32_t>(bits >> 32)) ? E_SHOCKED : 0));
      }
      // Eight households at a time, their events first (about one eight in five has one).
      const std::uint32_t whole = n - n % LANES;
      for (std::uint32_t i = 0; i < whole; i += LANES) {
        // A shock reads its household's group: brought in ahead, since nothing else here
        // walks that array.
        if (h0 + i + 256 < end) __builtin_prefetch(group + h0 + i + 256);
        if (load<std::uint64_t>(event + i) != 0) {
          for (std::uint32_t j = i; j < i + LANES; ++j)
            if (event[j]) events(j, h0 + j);
        }
        lanes(i, h0 + i);
      }
      // The lane of a household is its place in the block modulo SUM_LANES; whole chunks
      // and whole eights keep that place.
      for (std::uint32_t i = whole; i < n; ++i) {
        if (event[i]) events(i, h0 + i);
        one(i, h0 + i, (h0 - begin + i) % SUM_LANES);
      }
      acc.unpack();
    }
    HouseholdTotals t;
    for (std::uint32_t j = 0; j < SUM_LANES; ++j) {
      t.income_pool += acc.real[Sums::INCOME][j];
      t.income_pool_cf += acc.real[Sums::INCOME_CF][j];
      t.gap_pool += acc.real[Sums::GAP][j];
      t.gap_pool_cf += acc.real[Sums::GAP_CF][j];
      t.income_members += acc.real[Sums::INCOME_M][j];
      t.income_members_cf += acc.real[Sums::INCOME_M_CF][j];
      t.transfer_members += acc.real[Sums::TRANSFER_M][j];
      t.gap_members += acc.real[Sums::GAP_M][j];
    }
    t.poor_pool = static_cast<double>(acc.poor);
    t.poor_pool_cf = static_cast<double>(acc.poor_cf);
    t.n_members = static_cast<double>(acc.members);
    t.poor_members = static_cast<double>(acc.poor_m);
    t.poor_members_cf = static_cast<double>(acc.poor_m_cf);
    t.lifted = static_cast<double>(acc.lifted);
    part[b] = t;
  });
  HouseholdTotals t;
  for (const auto& x : part) t += x;
  t.n_pool = static_cast<double>(hh.count());
  return t;
}

}  // namespace kube
