#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <stdexcept>

#include "sim/record.h"

namespace {

sim::RunRecord sample() {
  sim::RunRecord r;
  r.months = 14;
  r.years = 2;
  r.series = {0.5, -0.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 1e-310};
  r.yearly = {3, 4};
  r.table = {{1, 2}, {}, {std::numeric_limits<double>::lowest()}};
  r.error = "";
  return r;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void check_same(const sim::RunRecord& a, const sim::RunRecord& b) {
  CHECK(a.months == b.months);
  CHECK(a.years == b.years);
  CHECK(a.error == b.error);
  CHECK(same_bits(a.series, b.series));
  CHECK(same_bits(a.yearly, b.yearly));
  REQUIRE(a.table.size() == b.table.size());
  for (std::size_t i = 0; i < a.table.size(); ++i) CHECK(same_bits(a.table[i], b.table[i]));
}

}  // namespace

TEST_CASE("encode and decode round-trip every bit, the task and the error message") {
  std::uint64_t task = 0;
  const auto r = sample();
  check_same(sim::decode(sim::encode(7, r), task), r);
  CHECK(task == 7);
  // A failed run: no data, a message with any bytes in it.
  sim::RunRecord failed;
  failed.months = 3;
  failed.years = 1;
  failed.error = std::string("bad\0input\n\xff", 11);
  check_same(sim::decode(sim::encode(~0ULL, failed), task), failed);
  CHECK(task == ~0ULL);
  // An empty record too.
  check_same(sim::decode(sim::encode(0, sim::RunRecord{}), task), sim::RunRecord{});
}

TEST_CASE("resize lays the record out by the schema, and at/year_at index it") {
  sim::Schema s;
  s.series = {{"a", "", "", false, {}, {}}, {"b", "", "", false, {}, {}}};
  s.yearly = {{"y", "", "", false, {}, {}}};
  s.table = {{"t1", "", "", true, {}, {}}, {"t2", "", "", false, {}, {}}, {"t3", "", "", false, {}, {}}};
  sim::RunRecord r;
  r.resize(s, 13);
  CHECK(r.years == 2);
  CHECK(r.series.size() == 26);
  CHECK(r.yearly.size() == 2);
  CHECK(r.table.size() == 3);
  r.at(1, 0) = 5;
  r.year_at(0, 1) = 6;
  CHECK(r.series[13] == 5);
  CHECK(r.yearly[1] == 6);
}

TEST_CASE("every truncation, a bad tag and trailing bytes are refused") {
  const std::string bytes = sim::encode(3, sample());
  std::uint64_t task = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n)
    CHECK_THROWS_AS(sim::decode(bytes.substr(0, n), task), std::runtime_error);
  CHECK_THROWS_WITH(sim::decode(bytes + '\0', task), doctest::Contains("trailing bytes"));
  std::string tag = bytes;
  tag[0] = static_cast<char>(tag[0] ^ 1);
  CHECK_THROWS_WITH(sim::decode(tag, task), doctest::Contains("bad tag"));
}

TEST_CASE("lengths that claim more than the bytes hold are refused, not allocated") {
  // The layout: tag (4), task (8), months (4), years (4), then the error's length (8).
  const std::string bytes = sim::encode(3, sample());
  std::uint64_t task = 0;
  std::string huge = bytes;
  const std::uint64_t big = 1ULL << 60;
  std::memcpy(huge.data() + 20, &big, sizeof big);
  CHECK_THROWS_WITH(sim::decode(huge, task), doctest::Contains("truncated"));
  // The series count follows the (empty) error.
  huge = bytes;
  std::memcpy(huge.data() + 28, &big, sizeof big);
  CHECK_THROWS_WITH(sim::decode(huge, task), doctest::Contains("truncated"));
}
