// The spool: finished runs appended to a file next to the result file as they arrive,
// so memory does not grow with the number of runs and an interrupted experiment keeps
// every run it finished. Each record carries a checksum; a record torn by a kill or a
// lost node is dropped when the spool is reopened, and only that run is redone. The
// result file is assembled from the spool in task order at the end.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>

#include "sim/record.h"

namespace sim {

class Spool {
 public:
  // A new spool for the experiment identified by `fingerprint` (replaces any old one).
  static Spool create(const std::filesystem::path& path, const std::string& fingerprint);
  // Reopens a spool to continue it. InputError when it belongs to another experiment.
  static Spool resume(const std::filesystem::path& path, const std::string& fingerprint);

  Spool(Spool&&) noexcept;
  Spool& operator=(Spool&&) = delete;
  ~Spool();

  bool has(std::uint64_t task) const { return index_.count(task) > 0; }
  std::size_t size() const { return index_.size(); }
  // Runs recorded as failed (a run redone after a failure counts once, by its last record).
  std::size_t failed() const;
  // Appends one run; durable against the process being killed once it returns.
  void append(std::uint64_t task, const RunRecord& r);
  void append_encoded(std::uint64_t task, const std::string& bytes);
  RunRecord read(std::uint64_t task) const;
  // Flushes to the disk (against losing the machine, not just the process).
  void sync();
  const std::filesystem::path& path() const { return path_; }

 private:
  Spool(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  struct Entry {
    std::uint64_t offset, length;
    bool failed;
  };
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t end_ = 0;
  std::unordered_map<std::uint64_t, Entry> index_;
};

}  // namespace sim
