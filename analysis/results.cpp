#include "analysis/results.h"

#include "sim/error.h"
#include "sim/writer.h"

namespace analysis {

namespace {

sim::h5::File open_checked(const std::filesystem::path& file) {
  auto f = sim::h5::File::open(file);
  const auto& root = f.root();
  if (!root.has_attr("format") || root.attr_string("format") != sim::FORMAT_NAME)
    throw sim::InputError(file.string() + ": an HDF5 file, but not a berdaya result file (no format='" +
                          std::string(sim::FORMAT_NAME) +
                          "' attribute). Give a file written by 'berdaya run', 'compare' or 'sweep'.");
  const std::string v = root.has_attr("format_version") ? root.attr_string("format_version") : "?";
  const std::string mine = sim::FORMAT_VERSION;
  if (v.substr(0, v.find('.')) != mine.substr(0, mine.find('.')))
    throw sim::InputError(file.string() + ": format version " + v + ", this berdaya reads " + mine +
                          " (docs/output-format.md). Use the berdaya version that wrote the file, or rerun it.");
  return f;
}

}  // namespace

ResultFile::ResultFile(const std::filesystem::path& file) : path_(file), file_(open_checked(file)) {
  const auto& r = root();
  for (const char* a : {"kind", "case_dimension", "replicates", "months"})
    if (!r.has_attr(a))
      throw sim::InputError(file.string() + ": the root attribute '" + std::string(a) +
                            "' is missing (damaged or hand-made file?). Rerun the experiment to rewrite it.");
  kind_ = r.attr_string("kind");
  case_dim_ = r.attr_string("case_dimension");
  replicates_ = static_cast<std::size_t>(r.attr_int("replicates"));
  months_ = r.attr_int("months");
  cases_ = r.open_group("cases").open("name").read_strings();
  for (const char* g : {"series", "yearly", "groups", "runs"}) static_cast<void>(r.open_group(g));
  const auto runs = r.open_group("runs");
  const auto start = runs.open("row_start").read_i64();
  const auto count = runs.open("row_count").read_i64();
  if (start.size() != cases_.size() * replicates_ || count.size() != start.size())
    throw sim::InputError(file.string() + ": /runs/row_start and /runs/row_count do not cover every run (damaged file?)");
  for (std::size_t c = 0; c < cases_.size(); ++c) {
    case_first_row_.push_back(replicates_ ? static_cast<hsize_t>(start[c * replicates_]) : 0);
    hsize_t n = 0;
    for (std::size_t k = 0; k < replicates_; ++k) n += static_cast<hsize_t>(count[c * replicates_ + k]);
    case_rows_.push_back(n);
  }
}

std::string ResultFile::attr(const std::string& name) const {
  return root().has_attr(name) ? root().attr_string(name) : "";
}

Matrix ResultFile::matrix(const std::string& group, const std::string& name, std::size_t c) const {
  const auto d = root().open_group(group).open(name);
  const auto dims = d.dims();
  if (dims.size() != 3 || dims[0] != cases_.size() || dims[1] != replicates_)
    throw sim::InputError(d.path() + ": expected a [" + case_dim_ + " x replicate x time] dataset of " +
                          std::to_string(cases_.size()) + " x " + std::to_string(replicates_) +
                          " x ... (damaged file?)");
  return {d.read_f64_block({c, 0, 0}, {1, dims[1], dims[2]}), dims[1], dims[2]};
}

std::vector<double> ResultFile::column(const std::string& name, std::size_t c) const {
  const auto d = root().open_group("groups").open(name);
  const auto dims = d.dims();
  if (dims.size() != 1 || case_first_row_[c] + case_rows_[c] > dims[0])
    throw sim::InputError(d.path() + ": shorter than /runs/row_start and /runs/row_count say (damaged file?)");
  return d.read_f64_block({case_first_row_[c]}, {case_rows_[c]});
}

std::vector<std::string> ResultFile::column_labels(const std::string& name) const {
  return root().open_group("groups").open(name).attr_strings("labels");
}

std::vector<int> ResultFile::failed() const {
  const auto v = root().open_group("runs").open("failed").read_f64();
  std::vector<int> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] != 0;
  return out;
}

std::vector<std::string> ResultFile::messages() const { return root().open_group("runs").open("message").read_strings(); }

std::size_t ResultFile::case_index(const std::string& name) const {
  for (std::size_t i = 0; i < cases_.size(); ++i)
    if (cases_[i] == name) return i;
  throw sim::InputError(path_.string() + ": no " + case_dim_ + " named '" + name + "' in the file.");
}

std::size_t failed_runs(const std::filesystem::path& file) {
  std::size_t n = 0;
  for (int f : ResultFile(file).failed()) n += static_cast<std::size_t>(f);
  return n;
}

}  // namespace analysis
