// berdaya export: what a result file holds, as tables a spreadsheet opens. The tables are
// the file's summary (the same numbers as `berdaya summary --json`: each list of records
// a table, the rest in "about"), and for files of runs the mean of every monthly series
// over the successful replicates per case and month ("series").
#pragma once
#include <string>
#include <variant>
#include <vector>

namespace cli {

// An empty cell, a number or a text.
using Cell = std::variant<std::monostate, double, std::string>;

struct Table {
  std::string name;
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

// The tables of a result file (InputError for a file that is not one).
std::vector<Table> export_tables(const std::string& file);

struct ExportOptions {
  std::string file, output, table;
  bool force = false;
};

// Writes OUTPUT.xlsx (every table, a sheet each) or OUTPUT.csv (one table: --table, by
// default the summary's first), in full or not at all.
int export_file(const ExportOptions& o);

}  // namespace cli
