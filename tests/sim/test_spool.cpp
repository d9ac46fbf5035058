#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "sim/error.h"
#include "sim/record.h"
#include "sim/spool.h"

namespace {

sim::RunRecord sample(double x, const std::string& error = "") {
  sim::RunRecord r;
  r.months = 3;
  r.years = 1;
  r.series = {x, x + 1, std::numeric_limits<double>::quiet_NaN(), -0.0, 1e300, x * 3};
  r.yearly = {x / 7};
  r.table = {{1, 2, 3}, {x, x, x}};
  r.error = error;
  return r;
}

bool same(const sim::RunRecord& a, const sim::RunRecord& b) {
  auto bits = [](const std::vector<double>& u, const std::vector<double>& v) {
    return u.size() == v.size() && (u.empty() || std::memcmp(u.data(), v.data(), u.size() * sizeof(double)) == 0);
  };
  if (a.months != b.months || a.years != b.years || a.error != b.error || a.table.size() != b.table.size())
    return false;
  for (std::size_t i = 0; i < a.table.size(); ++i)
    if (!bits(a.table[i], b.table[i])) return false;
  return bits(a.series, b.series) && bits(a.yearly, b.yearly);
}

std::filesystem::path temp(const std::string& name) {
  return std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}

}  // namespace

TEST_CASE("a run record survives encoding bit for bit, and a damaged one is refused") {
  const auto r = sample(0.1, "boom: a message");
  std::uint64_t task = 0;
  const std::string bytes = sim::encode(42, r);
  CHECK(same(sim::decode(bytes, task), r));
  CHECK(task == 42);
  CHECK_THROWS(sim::decode(bytes.substr(0, bytes.size() - 1), task));
  CHECK_THROWS(sim::decode(bytes + "x", task));
  CHECK_THROWS(sim::decode(std::string("XXXX") + bytes.substr(4), task));
}

TEST_CASE("a spool keeps whole records, drops a torn tail, and knows its experiment") {
  const auto path = temp("berdaya-spool");
  {
    auto s = sim::Spool::create(path, "experiment A");
    s.append(0, sample(1));
    s.append(5, sample(2, "failed here"));
    s.append(3, sample(3));
  }
  // A kill in the middle of a write: the last record loses its end.
  const auto full = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, full - 5);
  {
    auto s = sim::Spool::resume(path, "experiment A");
    CHECK(s.size() == 2);
    CHECK(s.has(0));
    CHECK(s.has(5));
    CHECK_FALSE(s.has(3));
    CHECK(s.failed() == 1);
    CHECK(same(s.read(5), sample(2, "failed here")));
    // New records follow the last whole one.
    s.append(3, sample(3));
  }
  {
    auto s = sim::Spool::resume(path, "experiment A");
    CHECK(s.size() == 3);
    CHECK(same(s.read(3), sample(3)));
    CHECK(same(s.read(0), sample(1)));
  }
  // A flipped byte inside a record: that record and the ones after it are redone.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(path) - 20));
    f.put('\x7f');
  }
  CHECK(sim::Spool::resume(path, "experiment A").size() == 2);
  CHECK_THROWS_AS(sim::Spool::resume(path, "experiment B"), sim::InputError);
  CHECK_THROWS_AS(sim::Spool::resume(temp("berdaya-no-spool"), "experiment A"), sim::InputError);
  std::filesystem::remove(path);
}
