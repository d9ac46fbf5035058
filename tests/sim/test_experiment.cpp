#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim/error.h"
#include "sim/experiment.h"
#include "sim/spool.h"

namespace fs = std::filesystem;

namespace {

sim::Plan plan(std::size_t cases, std::size_t replicates, const std::string& fingerprint = "plan A") {
  sim::Plan p;
  p.kind = "compare";
  p.case_dim = "scenario";
  for (std::size_t c = 0; c < cases; ++c) p.cases.push_back("case" + std::to_string(c));
  p.replicates = replicates;
  p.months = 12;
  p.fingerprint = fingerprint;
  return p;
}

// A result that depends only on (case, replicate).
sim::RunRecord result(std::size_t c, std::size_t r) {
  sim::RunRecord rec;
  rec.months = 12;
  rec.years = 1;
  for (int m = 0; m < 12; ++m) rec.series.push_back(static_cast<double>(c) * 1000 + static_cast<double>(r) + m / 16.0);
  rec.yearly = {static_cast<double>(c + r)};
  rec.table = {{static_cast<double>(c)}, {static_cast<double>(r)}};
  return rec;
}

fs::path output(const std::string& name) {
  const auto d = fs::temp_directory_path() / ("berdaya-experiment-" + std::to_string(::getpid()));
  fs::create_directories(d);
  const auto out = d / (name + ".h5");
  fs::remove(sim::spool_path(out));
  return out;
}

std::string spool_bytes(const fs::path& out, const sim::Plan& p) {
  auto s = sim::Spool::resume(sim::spool_path(out), p.fingerprint);
  std::string all;
  for (std::uint64_t t = 0; t < p.tasks(); ++t) all += sim::encode(t, s.read(t));
  return all;
}

}  // namespace

TEST_CASE("a plan maps tasks to cases and replicates, case-major") {
  const auto p = plan(3, 4);
  CHECK(p.tasks() == 12);
  CHECK(p.case_of(0) == 0);
  CHECK(p.replicate_of(0) == 0);
  CHECK(p.case_of(7) == 1);
  CHECK(p.replicate_of(7) == 3);
  CHECK(p.case_of(11) == 2);
  CHECK(sim::spool_path("out/r.h5") == fs::path("out/r.h5.spool"));
}

TEST_CASE("every task runs once, and the spool is the same for 1 and 4 threads") {
  const auto p = plan(3, 5);
  std::string bytes[2];
  int k = 0;
  for (unsigned threads : {1u, 4u}) {
    const auto out = output("threads" + std::to_string(threads));
    std::atomic<int> calls{0};
    const auto o = sim::execute(p,
                                [&](std::size_t c, std::size_t r) {
                                  ++calls;
                                  return result(c, r);
                                },
                                out, {threads, false, "test"});
    CHECK(o.total == 15);
    CHECK(o.ran == 15);
    CHECK(o.resumed == 0);
    CHECK(o.failed == 0);
    CHECK_FALSE(o.interrupted);
    CHECK(o.writer);
    CHECK(calls == 15);
    bytes[k++] = spool_bytes(out, p);
    fs::remove(sim::spool_path(out));
  }
  CHECK(bytes[0] == bytes[1]);
  CHECK(!bytes[0].empty());
}

TEST_CASE("a task that throws is recorded as failed with its message; the others go on") {
  const auto p = plan(2, 3);
  const auto out = output("failing");
  const auto o = sim::execute(p,
                              [&](std::size_t c, std::size_t r) -> sim::RunRecord {
                                if (c == 1 && r == 1) throw std::runtime_error("no households in village 3");
                                return result(c, r);
                              },
                              out, {2, false, "test"});
  CHECK(o.ran == 6);
  CHECK(o.failed == 1);
  auto s = sim::Spool::resume(sim::spool_path(out), p.fingerprint);
  const auto bad = s.read(4);
  CHECK(bad.error == "no households in village 3");
  CHECK(bad.months == 12);
  CHECK(bad.years == 1);
  CHECK(s.read(5).error.empty());
  CHECK(s.read(5).yearly == result(1, 2).yearly);
  fs::remove(sim::spool_path(out));
}

TEST_CASE("an existing spool needs --resume; resuming runs only what is missing") {
  const auto p = plan(2, 4);
  const auto out = output("resume");
  {
    auto s = sim::Spool::create(sim::spool_path(out), p.fingerprint);
    for (std::uint64_t t : {0u, 3u, 6u}) s.append(t, result(p.case_of(t), p.replicate_of(t)));
  }
  auto task = [&](std::size_t c, std::size_t r) { return result(c, r); };
  CHECK_THROWS_WITH_AS(sim::execute(p, task, out, {1, false, "test"}), doctest::Contains("Continue it with --resume"),
                       sim::InputError);
  // Another experiment's spool is never continued.
  CHECK_THROWS_AS(sim::execute(plan(2, 4, "plan B"), task, out, {1, true, "test"}), sim::InputError);
  std::atomic<int> calls{0};
  const auto o = sim::execute(p,
                              [&](std::size_t c, std::size_t r) {
                                ++calls;
                                return result(c, r);
                              },
                              out, {2, true, "test"});
  CHECK(o.resumed == 3);
  CHECK(o.ran == 5);
  CHECK(calls == 5);
  // The same spool as a run never interrupted.
  const auto fresh = output("resume-fresh");
  sim::execute(p, task, fresh, {1, false, "test"});
  CHECK(spool_bytes(out, p) == spool_bytes(fresh, p));
  fs::remove(sim::spool_path(out));
  fs::remove(sim::spool_path(fresh));
}

TEST_CASE("--resume without a spool starts afresh") {
  const auto p = plan(1, 3);
  const auto out = output("resume-none");
  const auto o = sim::execute(p, [&](std::size_t c, std::size_t r) { return result(c, r); }, out, {1, true, "test"});
  CHECK(o.resumed == 0);
  CHECK(o.ran == 3);
  fs::remove(sim::spool_path(out));
}

TEST_CASE("a progress callback hears the start and every run, on the calling thread, resumed runs counted") {
  const auto p = plan(2, 3);
  const auto out = output("progress");
  const auto caller = std::this_thread::get_id();
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  bool on_caller = true;
  sim::ExecOptions eo{4, false, "test"};
  eo.progress = [&](std::size_t done, std::size_t total) {
    seen.emplace_back(done, total);  // no lock: only the writing thread calls it
    on_caller = on_caller && std::this_thread::get_id() == caller;
  };
  const auto task = [&](std::size_t c, std::size_t r) { return result(c, r); };
  sim::execute(p, task, out, eo);
  CHECK(on_caller);
  REQUIRE(seen.size() == 7);
  for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == std::pair<std::size_t, std::size_t>{i, 6});
  // Resumed: the first call counts the runs the spool already holds.
  seen.clear();
  eo.resume = true;
  sim::execute(p, task, out, eo);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::pair<std::size_t, std::size_t>{6, 6});
  fs::remove(sim::spool_path(out));
}

TEST_CASE("Ctrl-C stops new runs; the finished ones stay in the spool") {
  const auto p = plan(1, 10);
  const auto out = output("interrupt");
  const auto o = sim::execute(p,
                              [&](std::size_t c, std::size_t r) {
                                if (r == 2) std::raise(SIGINT);  // the executor's guard turns it into a stop request
                                return result(c, r);
                              },
                              out, {1, false, "test"});
  CHECK(o.interrupted);
  CHECK(o.ran == 3);  // the run that was going finishes; no new one starts
  auto s = sim::Spool::resume(sim::spool_path(out), p.fingerprint);
  CHECK(s.size() == 3);
  for (std::uint64_t t = 0; t < 3; ++t) CHECK(s.has(t));
  fs::remove(sim::spool_path(out));
}
