// Reading a result file (docs/output-format.md): checks that it is a berdaya file of a
// format this version reads, and hands out one case's slice of each dataset.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sim/h5.h"

namespace analysis {

// [replicate x time] values of one case.
struct Matrix {
  std::vector<double> v;
  std::size_t rows = 0, cols = 0;
  std::size_t first = 0;  // the row index of v's first row (a slice of rows: matrix_rows)
  double at(std::size_t r, std::size_t c) const { return v[(r - first) * cols + c]; }
};

class ResultFile {
 public:
  // InputError for a missing file, a file that is not HDF5 or not a berdaya result file,
  // another major format version, or a missing group or dataset.
  explicit ResultFile(const std::filesystem::path& file);

  const std::filesystem::path& path() const { return path_; }
  const sim::h5::Group& root() const { return file_.root(); }
  std::string kind() const { return kind_; }
  const std::vector<std::string>& cases() const { return cases_; }
  std::size_t replicates() const { return replicates_; }
  long long months() const { return months_; }
  std::string attr(const std::string& name) const;          // "" when absent
  const std::string& table_name() const { return table_; }  // the entity table's group

  // One case's [replicate x time] block of /series/NAME or /yearly/NAME.
  Matrix matrix(const std::string& group, const std::string& name, std::size_t case_index) const;
  // Rows first .. first + count - 1 of that matrix only (at() still takes the row index).
  Matrix matrix_rows(const std::string& group, const std::string& name, std::size_t case_index, std::size_t first,
                     std::size_t count) const;
  // One case's rows of an entity-table column.
  std::vector<double> column(const std::string& name, std::size_t case_index) const;
  // Its rows first .. first + count - 1 only, counted from the case's first row.
  std::vector<double> column(const std::string& name, std::size_t case_index, std::size_t first,
                             std::size_t count) const;
  // How many rows of the entity table the case has.
  std::size_t column_rows(std::size_t case_index) const { return case_rows_.at(case_index); }
  std::vector<std::string> column_labels(const std::string& name) const;
  // Runs that failed, per case (size: cases x replicates, row-major), and their messages.
  std::vector<int> failed() const;
  std::vector<std::string> messages() const;
  std::size_t case_index(const std::string& name) const;  // InputError when unknown
  // One string of /cases/NAME per case (empty when the file has no such dataset).
  std::vector<std::string> case_strings(const std::string& name) const;

  // A comparison over posterior draws (/posterior/case_scenario) read as one case per
  // scenario: its draws' runs become its replicates, draw by draw (replicate d x R + r is
  // draw d's replicate r, the same (draw, replicate) in every scenario, so differences stay
  // paired). Per-case strings are the first draw's, its "(posterior draw 0)" taken off the
  // description. False, and nothing changed, for any other file.
  bool pool_posterior_draws();
  std::size_t pooled_draws() const { return pool_; }

 private:
  void validate_layout() const;
  void validate_design() const;
  std::filesystem::path path_;
  sim::h5::File file_;
  std::string kind_, case_dim_, table_;
  std::vector<std::string> cases_;
  std::size_t replicates_ = 0;
  std::size_t pool_ = 1;                        // stored cases per case read (posterior draws pooled)
  std::map<std::string, std::string> renamed_;  // root attributes read otherwise once pooled
  long long months_ = 0;
  // Each case's rows of the entity table: runs are stored case by case, so a case's
  // rows are one block, found from /runs/row_start and /runs/row_count.
  std::vector<hsize_t> case_first_row_, case_rows_;
};

// The number of failed runs in a file.
std::size_t failed_runs(const std::filesystem::path& file);

}  // namespace analysis
