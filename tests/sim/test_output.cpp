#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/output.h"

namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const std::string& name) {
  const auto d = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
std::string error_of(const fs::path& out, const std::vector<fs::path>& inputs = {}, bool replace = true) {
  try {
    sim::check_output_path(out, "results.h5", inputs, replace);
  } catch (const sim::InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("read_text_file reads a whole file, and names the problem and the file otherwise") {
  const auto d = fresh_dir("berdaya-output-read");
  std::ofstream(d / "a.txt") << "hello\nworld";
  CHECK(sim::read_text_file(d / "a.txt", 100, "scenario") == "hello\nworld");
  CHECK_THROWS_WITH_AS(sim::read_text_file(d / "none.txt", 100, "scenario"),
                       doctest::Contains("none.txt: scenario not found"), sim::InputError);
  CHECK_THROWS_WITH_AS(sim::read_text_file(d, 100, "scenario"), doctest::Contains("is not a regular file"),
                       sim::InputError);
  CHECK_THROWS_WITH_AS(sim::read_text_file(d / "a.txt", 5, "scenario"), doctest::Contains("more than the 5"),
                       sim::InputError);
  ::mkfifo((d / "pipe").c_str(), 0600);
  CHECK_THROWS_WITH_AS(sim::read_text_file(d / "pipe", 100, "scenario"), doctest::Contains("not a regular file"),
                       sim::InputError);
  fs::remove_all(d);
}

TEST_CASE("check_output_path applies each rule for output files, with the fix") {
  const auto d = fresh_dir("berdaya-output-check");
  CHECK(error_of(d / "new.h5").empty());
  CHECK(error_of("").find("empty") != std::string::npos);
  CHECK(error_of(d).find("is a folder. Give a file name, e.g. -o " + (d / "results.h5").string()) != std::string::npos);
  CHECK(error_of(d / "missing" / "x.h5").find("does not exist") != std::string::npos);
  CHECK(error_of(d / std::string(300, 'n')).find("longer than 255") != std::string::npos);
  std::ofstream(d / "old.h5") << "x";
  CHECK(error_of(d / "old.h5", {}, true).empty());
  CHECK(error_of(d / "old.h5", {}, false).find("already exists. Add --force") != std::string::npos);
  std::ofstream(d / "in.toml") << "x";
  CHECK(error_of(d / "in.toml", {d / "in.toml"}).find("is an input of this command") != std::string::npos);
  CHECK(error_of(d / "." / "in.toml", {d / "in.toml"}).find("is an input") != std::string::npos);
  ::mkfifo((d / "pipe").c_str(), 0600);
  CHECK(error_of(d / "pipe").find("not a regular file") != std::string::npos);
  fs::remove_all(d);
}

TEST_CASE("write_text_atomically leaves the whole text and no temporary, or an OutputError") {
  const auto d = fresh_dir("berdaya-output-write");
  sim::write_text_atomically(d / "out.txt", "first");
  sim::write_text_atomically(d / "out.txt", "second, longer");
  std::ifstream in(d / "out.txt");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "second, longer");
  int files = 0;
  for (const auto& e : fs::directory_iterator(d)) files += e.is_regular_file();
  CHECK(files == 1);
  CHECK_THROWS_AS(sim::write_text_atomically(d / "no-such-folder" / "out.txt", "x"), sim::OutputError);
  fs::remove_all(d);
}

TEST_CASE("temporaries of dead processes are removed; those of live ones and other files stay") {
  const auto d = fresh_dir("berdaya-output-stale");
  const auto out = d / "r.h5";
  // 999999999 is above any pid this system hands out.
  const std::vector<std::string> names = {"r.h5.tmp-999999999", "r.h5.tmp-" + std::to_string(::getpid()), "r.h5.tmp-1",
                                          "r.h5.tmp-12ab", "other.tmp-999999999"};
  for (const auto& name : names) std::ofstream(d / name) << "x";
  sim::remove_stale_temporaries(out);
  CHECK_FALSE(fs::exists(d / "r.h5.tmp-999999999"));
  CHECK(fs::exists(d / ("r.h5.tmp-" + std::to_string(::getpid()))));
  CHECK(fs::exists(d / "r.h5.tmp-1"));  // init runs: not ours to judge
  CHECK(fs::exists(d / "r.h5.tmp-12ab"));
  CHECK(fs::exists(d / "other.tmp-999999999"));
  fs::remove_all(d);
}
