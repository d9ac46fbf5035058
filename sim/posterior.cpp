#include "sim/posterior.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include "sim/error.h"
#include "sim/h5.h"
#include "sim/random.h"

namespace sim {

namespace fs = std::filesystem;

namespace {

std::string file_hash(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::uint64_t h = 0x706f737465726f72ULL;
  std::uint64_t n = 0;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    const auto got = in.gcount();
    for (std::streamsize i = 0; i < got; ++i) h = combine(h, static_cast<unsigned char>(buf[i]));
    n += static_cast<std::uint64_t>(got);
  }
  char out[48];
  std::snprintf(out, sizeof out, "%llu/%016llx", static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(h));
  return out;
}

}  // namespace

std::uint64_t draw_seed(std::uint64_t comparison_seed) { return combine(0x706f73746572696fULL, comparison_seed); }

std::uint64_t draw_run_seed(std::uint64_t comparison_seed, std::size_t draw) {
  return combine(combine(0x72756e2d64726177ULL, comparison_seed), draw) & ((1ULL << 53) - 1);
}

PosteriorDraws draw_posterior(const fs::path& file, std::size_t draws, std::uint64_t seed, const std::string& where) {
  const std::string name = file.string();
  if (!fs::is_regular_file(file))
    throw InputError(where + ": calibration file '" + name +
                     "' not found. Give the file 'berdaya calibrate ... -o FILE.h5' wrote (a path in a comparison "
                     "file is relative to that file).");
  if (draws < 1 || draws > static_cast<std::size_t>(MAX_DRAWS))
    throw InputError(where + ": draws = " + std::to_string(draws) + " is out of range [1, " +
                     std::to_string(MAX_DRAWS) + "]. Choose e.g. 20 draws.");
  const auto f = h5::File::open(file);
  const auto& root = f.root();
  if (!root.has_attr("kind") || root.attr_string("kind") != "calibration" || !root.exists("calibration"))
    throw InputError(where + ": '" + name + "' is not a calibration file (kind '" +
                     (root.has_attr("kind") ? root.attr_string("kind") : std::string()) +
                     "'). Give the file 'berdaya calibrate' wrote.");
  const auto cal = root.open_group("calibration");
  PosteriorDraws p;
  p.file = name;
  p.fingerprint = file_hash(file);
  p.model = root.has_attr("model") ? root.attr_string("model") : "";
  p.experiment = root.has_attr("experiment") ? root.attr_string("experiment") : "";
  p.scenario = root.has_attr("scenario") ? root.attr_string("scenario") : "";
  p.seed = seed;
  p.parameters = cal.open("parameter").read_strings();
  const auto pd = cal.open("particles"), wd = cal.open("weights");
  const auto dims = pd.dims();
  if (dims.size() != 3 || dims[2] != p.parameters.size() || wd.dims().size() != 2 || wd.dims()[0] != dims[0] ||
      wd.dims()[1] != dims[1] || dims[0] == 0 || dims[1] == 0)
    throw InputError(where + ": '" + name +
                     "': /calibration/particles and /calibration/weights do not match (damaged file?).");
  const hsize_t G = dims[0], N = dims[1], K = dims[2];
  p.generation = static_cast<long long>(G - 1);
  const auto x = pd.read_f64_block({G - 1, 0, 0}, {1, N, K});
  const auto w = wd.read_f64_block({G - 1, 0}, {1, N});
  std::vector<double> cumulative(N);
  std::partial_sum(w.begin(), w.end(), cumulative.begin());
  const double total = cumulative.back();
  if (!(total > 0) || std::any_of(w.begin(), w.end(), [](double v) { return !(v >= 0) || !std::isfinite(v); }))
    throw InputError(where + ": '" + name +
                     "': the final generation's weights are not a distribution (damaged file?).");
  Stream s(combine(seed, 0x64726177ULL));
  const double u = s.uniform();
  std::size_t j = 0;
  for (std::size_t k = 0; k < draws; ++k) {
    const double target = (static_cast<double>(k) + u) / static_cast<double>(draws) * total;
    while (j + 1 < N && cumulative[j] < target) ++j;
    p.particle.push_back(j);
    for (std::size_t q = 0; q < K; ++q) p.values.push_back(x[j * K + q]);
  }
  return p;
}

void check_posterior(const PosteriorDraws& p, const std::string& model, const std::vector<ParamSpec>& table,
                     const std::string& where) {
  if (p.model != model)
    throw InputError(where + ": '" + p.file + "' calibrates model \"" + p.model +
                     "\", but the comparison's scenarios are of model \"" + model +
                     "\". Give a calibration of the same model.");
  for (const auto& name : p.parameters) {
    const ParamSpec* spec = find_spec(table, name);
    if (!spec)
      throw InputError(where + ": '" + p.file + "' calibrates parameter '" + name + "', which model \"" + model +
                       "\" does not have (a calibration of another version?). Calibrate again with this berdaya.");
    if (name.rfind("run.", 0) == 0 || (spec->kind != Kind::Real && spec->kind != Kind::Integer))
      throw InputError(where + ": '" + p.file + "' calibrates '" + name +
                       "', which a comparison cannot take from a posterior (a run setting or not a number).");
  }
}

Resolved at_draw(const Resolved& scenario, const std::vector<ParamSpec>& table, const PosteriorDraws& p,
                 std::size_t draw) {
  Resolved r = scenario;
  for (std::size_t k = 0; k < p.parameters.size(); ++k) {
    const ParamSpec* spec = find_spec(table, p.parameters[k]);
    if (!spec) throw InputError(p.file + ": parameter '" + p.parameters[k] + "' is not in the model's table.");
    const double v = p.value(draw, k);
    const Value value = spec->kind == Kind::Integer ? Value{std::llround(v)} : Value{v};
    set_from_command_line(r, table, p.parameters[k], value, p.file + " (posterior draw " + std::to_string(draw) + ")");
  }
  return r;
}

}  // namespace sim
