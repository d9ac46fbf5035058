// Derived random streams: a generator's state is a hash of (seed, replicate, stream id,
// entity, month), never stored and never shared, so a result does not depend on thread
// count, rank count or the order in which entities are visited, and a draw added in one
// mechanism cannot shift another mechanism's numbers.
#pragma once
#include <cstdint>
#include <limits>

namespace sim {

// splitmix64 finaliser: a bijective 64-bit mixer with full avalanche.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t combine(std::uint64_t key, std::uint64_t value) noexcept {
  return mix64(key ^ (value + 0x9e3779b97f4a7c15ULL + (key << 6) + (key >> 2)));
}

// A counter-based engine: splitmix64 started at a derived key. It satisfies
// UniformRandomBitGenerator, so Boost.Random distributions draw from it directly.
class Stream {
 public:
  using result_type = std::uint64_t;
  explicit constexpr Stream(std::uint64_t key) noexcept : state_(key) {}
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }
  constexpr result_type operator()() noexcept {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  // Uniform on [0, 1) with 53 random bits.
  constexpr double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  constexpr bool bernoulli(double p) noexcept { return uniform() < p; }

 private:
  std::uint64_t state_;
};

// The key of one replicate; streams for a purpose, entity and month hang off it.
class Streams {
 public:
  constexpr Streams(std::uint64_t seed, std::uint64_t replicate) noexcept
      : base_(combine(combine(0x6265726461796121ULL, seed), replicate)) {}
  // Key for (purpose, month); combine with an entity id for that entity's stream. Split in
  // two so a loop over millions of entities hashes the month part once.
  constexpr std::uint64_t key(std::uint32_t purpose, std::uint32_t month) const noexcept {
    return combine(combine(base_, purpose), month);
  }
  static constexpr Stream entity(std::uint64_t purpose_key, std::uint64_t entity) noexcept {
    return Stream(combine(purpose_key, entity));
  }
  constexpr Stream get(std::uint32_t purpose, std::uint64_t entity_id, std::uint32_t month) const noexcept {
    return entity(key(purpose, month), entity_id);
  }

 private:
  std::uint64_t base_;
};

}  // namespace sim
