// What one run hands to the writer: named monthly series, yearly series and a table of
// entities, laid out by a schema the model declares once. The engine writes any schema;
// it knows nothing of what the columns mean.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sim {

struct ColumnSpec {
  std::string name;
  std::string unit;
  std::string description;
  bool integer = false;             // stored as int32 (codes, months, counts)
  std::vector<std::string> labels;  // for codes: label of code 0, 1, ...
  // The value that stands for "missing" in this column (written as _FillValue), if any.
  std::optional<double> missing;
};

struct Schema {
  std::vector<ColumnSpec> series;  // one value per month
  std::vector<ColumnSpec> yearly;  // one value per simulated year
  std::vector<ColumnSpec> table;   // one value per row of the entity table
  std::string table_name = "table";
};

struct RunRecord {
  int months = 0;
  int years = 0;
  std::vector<double> series;              // [series][month]
  std::vector<double> yearly;              // [yearly][year]
  std::vector<std::vector<double>> table;  // [column][row]
  std::string error;                       // non-empty when the run failed

  void resize(const Schema& s, int n_months) {
    months = n_months;
    years = (n_months + 11) / 12;
    series.assign(s.series.size() * static_cast<std::size_t>(months), 0.0);
    yearly.assign(s.yearly.size() * static_cast<std::size_t>(years), 0.0);
    table.assign(s.table.size(), {});
  }
  double& at(std::size_t series_index, int month) {
    return series[series_index * static_cast<std::size_t>(months) + static_cast<std::size_t>(month)];
  }
  double& year_at(std::size_t index, int year) {
    return yearly[index * static_cast<std::size_t>(years) + static_cast<std::size_t>(year)];
  }
};

}  // namespace sim

namespace sim {

// A run as bytes, for the spool and for sending between MPI ranks. Exact: doubles keep
// their bits, so a record read back is identical to the one written.
std::string encode(std::uint64_t task, const RunRecord& r);
// Throws std::runtime_error when the bytes are not a whole record.
RunRecord decode(const std::string& bytes, std::uint64_t& task);

}  // namespace sim
