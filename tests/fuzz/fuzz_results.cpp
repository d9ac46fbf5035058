// libFuzzer target: result files edited by the fuzzer's bytes, read by every reader.
//
// The bytes are a program of edits applied to a copy of a real result file (its path in
// BERDAYA_FUZZ_TEMPLATE): delete a dataset, replace one with numbers or text of another
// shape, overwrite its values, set a root attribute. The copy is then read without its
// seal (the edits break it on purpose) by the summary, its JSON, inspect and the report.
// Each must either read the file or refuse it with InputError; anything else is a bug.
// Raw byte damage is not fuzzed here: the seal refuses it before HDF5 parses anything.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/comparison.h"
#include "analysis/report.h"
#include "analysis/summary.h"
#include "sim/error.h"
#include "sim/h5.h"

namespace {

namespace fs = std::filesystem;

fs::path g_template, g_copy;
std::vector<std::string> g_datasets;  // "group/name"
const char* const INT_ATTRS[] = {"months", "replicates", "cases", "seed"};
const char* const TEXT_ATTRS[] = {"kind", "case_dimension", "format_version", "baseline", "counterfactual", "model"};

struct Bytes {
  const std::uint8_t* p;
  std::size_t n;
  std::uint8_t byte() { return n ? (--n, *p++) : 0; }
  double number() {
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = bits << 8 | byte();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
};

void collect(const sim::h5::Group& g, const std::string& prefix) {
  for (const auto& name : g.children()) {
    if (g.is_group(name)) collect(g.open_group(name), prefix + name + "/");
    else g_datasets.push_back(prefix + name);
  }
}

void edit(sim::h5::File& f, Bytes& in) {
  const std::uint8_t op = in.byte() % 5;
  if (op == 3) {
    const double x = in.number();
    f.root().set_attr(INT_ATTRS[in.byte() % 4], std::isfinite(x) ? static_cast<long long>(std::fmod(x, 100000.0)) : -1LL);
    return;
  }
  if (op == 4) {
    std::string s(in.byte() % 12, 'x');
    for (auto& c : s) c = static_cast<char>(in.byte());
    f.root().set_attr(TEXT_ATTRS[in.byte() % 6], s);
    return;
  }
  const std::string path = g_datasets[in.byte() % g_datasets.size()];
  const auto slash = path.rfind('/');
  sim::h5::Group g = f.root().open_group(path.substr(0, slash));
  const std::string name = path.substr(slash + 1);
  if (!g.exists(name)) return;
  if (op == 0) {
    g.remove(name);
  } else if (op == 1) {  // numbers of another shape
    const int rank = 1 + in.byte() % 3;
    std::vector<hsize_t> dims;
    std::size_t total = 1;
    for (int i = 0; i < rank; ++i) {
      dims.push_back(1 + in.byte() % 8);
      total *= dims.back();
    }
    std::vector<double> v(total);
    for (auto& x : v) x = in.byte() % 2 ? in.number() : static_cast<double>(in.byte() % 8) - 1;
    g.remove(name);
    g.write(name, v, dims);
  } else {  // text where numbers were, or the other way round
    std::vector<std::string> v(1 + in.byte() % 6);
    for (auto& s : v) s.assign(in.byte() % 5, static_cast<char>('a' + in.byte() % 26));
    g.remove(name);
    g.write(name, v);
  }
}

void read_all(const fs::path& file) {
  auto attempt = [](auto&& f) {
    try {
      f();
    } catch (const sim::InputError& e) {
      if (std::strlen(e.what()) == 0) __builtin_trap();
    }
  };
  attempt([&] { static_cast<void>(analysis::summary_text(file, false)); });
  attempt([&] { static_cast<void>(analysis::summary_text(file, true)); });
  attempt([&] { static_cast<void>(analysis::describe_file(file)); });
  attempt([&] { static_cast<void>(analysis::report_html(file, analysis::Lang::en)); });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* t = std::getenv("BERDAYA_FUZZ_TEMPLATE");
  if (!t || !fs::is_regular_file(t)) {
    std::fprintf(stderr, "fuzz_results: set BERDAYA_FUZZ_TEMPLATE to a small result file\n");
    std::abort();
  }
  g_template = t;
  const auto f = sim::h5::File::open(g_template);
  collect(f.root(), "");
  sim::h5::set_verify_seals(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A fresh name each time: after an edit HDF5 refused, the wrapper leaves that file's
  // handles open (see sim/h5.cpp), so a name is never reused.
  static unsigned long long n = 0;
  std::error_code ec;
  fs::remove(g_copy, ec);
  g_copy = fs::temp_directory_path() / ("berdaya-fuzz-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".h5");
  fs::copy_file(g_template, g_copy, fs::copy_options::overwrite_existing);
  Bytes in{data, size};
  try {
    auto f = sim::h5::File::open_for_edit(g_copy);
    for (int k = 0; k < 4 && in.n > 0; ++k) edit(f, in);
    f.close();
  } catch (const std::exception&) {
    return 0;  // an edit HDF5 refused: nothing to read
  }
  read_all(g_copy);
  return 0;
}
