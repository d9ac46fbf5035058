// Derived random streams: a generator's state is a hash of (seed, replicate, stream id, key
// fields such as month and entity), never stored and never shared, so a result does not
// depend on thread count, rank count or the order in which entities are visited, and a draw
// added in one mechanism cannot shift another mechanism's numbers.
#pragma once
#include <concepts>
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
  // The counter: Stream(counter()) goes on with the numbers this one would give next.
  constexpr std::uint64_t counter() const noexcept { return state_; }
  // Uniform on [0, 1) with 53 random bits.
  constexpr double uniform() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  constexpr bool bernoulli(double p) noexcept { return uniform() < p; }

 private:
  std::uint64_t state_;
};

// The key of a stream, and of the finer streams under it. Every generator of a run starts
// from one of these, made by the one derivation `with`: the key of (seed, replicate), then
// the stream id, then the stream's key fields (a month, an entity id, ...) folded in one by
// one. For a fixed prefix, combine is a bijection of the next field, so keys that differ in
// a field differ; two different purposes differ in the stream id and never share numbers.
class StreamKey {
 public:
  explicit constexpr StreamKey(std::uint64_t value) noexcept : value_(value) {}
  template <std::integral... Fields>
  constexpr StreamKey with(Fields... fields) const noexcept {
    std::uint64_t k = value_;
    ((k = combine(k, static_cast<std::uint64_t>(fields))), ...);
    return StreamKey(k);
  }
  // The generator of this key with `fields` folded in. A loop over millions of entities
  // takes the key of (stream, month) once and calls stream(entity) per entity.
  template <std::integral... Fields>
  constexpr Stream stream(Fields... fields) const noexcept {
    return Stream(with(fields...).value_);
  }
  constexpr std::uint64_t value() const noexcept { return value_; }

 private:
  std::uint64_t value_;
};

// The streams of one replicate. A model names its streams (an enum of stream ids, one per
// purpose) and lists each stream's key fields in a fixed order.
class Streams {
 public:
  constexpr Streams(std::uint64_t seed, std::uint64_t replicate) noexcept
      : base_(StreamKey(0x6265726461796121ULL).with(seed, replicate)) {}
  template <std::integral... Fields>
  constexpr StreamKey key(std::uint32_t stream, Fields... fields) const noexcept {
    return base_.with(stream, fields...);
  }
  template <std::integral... Fields>
  constexpr Stream get(std::uint32_t stream, Fields... fields) const noexcept {
    return key(stream, fields...).stream();
  }

 private:
  StreamKey base_;
};

}  // namespace sim
