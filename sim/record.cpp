#include "sim/record.h"

#include <cstring>
#include <stdexcept>

namespace sim {

namespace {

class Writer {
 public:
  template <class T>
  void put(const T& v) {
    const auto* p = reinterpret_cast<const char*>(&v);
    out_.append(p, sizeof v);
  }
  void put_doubles(const std::vector<double>& v) {
    put<std::uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  }
  void put_bytes(const std::string& s) { out_ += s; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  template <class T>
  T get() {
    T v;
    need(sizeof v);
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::vector<double> get_doubles() {
    const auto n = get<std::uint64_t>();
    if (n > (in_.size() - pos_) / sizeof(double)) throw std::runtime_error("run record: truncated");
    std::vector<double> v(n);
    if (n) std::memcpy(v.data(), in_.data() + pos_, n * sizeof(double));
    pos_ += n * sizeof(double);
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint64_t>();
    need(n);
    std::string s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  void need(std::size_t n) const {
    if (n > in_.size() - pos_) throw std::runtime_error("run record: truncated");
  }
  const std::string& in_;
  std::size_t pos_ = 0;
};

constexpr std::uint32_t RECORD_TAG = 0x52554e31;  // "RUN1"

}  // namespace

std::string encode(std::uint64_t task, const RunRecord& r) {
  Writer w;
  w.put(RECORD_TAG);
  w.put(task);
  w.put<std::int32_t>(r.months);
  w.put<std::int32_t>(r.years);
  w.put<std::uint64_t>(r.error.size());
  w.put_bytes(r.error);
  w.put_doubles(r.series);
  w.put_doubles(r.yearly);
  w.put<std::uint64_t>(r.table.size());
  for (const auto& col : r.table) w.put_doubles(col);
  return w.take();
}

RunRecord decode(const std::string& bytes, std::uint64_t& task) {
  Reader in(bytes);
  if (in.get<std::uint32_t>() != RECORD_TAG) throw std::runtime_error("run record: bad tag");
  RunRecord r;
  task = in.get<std::uint64_t>();
  r.months = in.get<std::int32_t>();
  r.years = in.get<std::int32_t>();
  r.error = in.get_string();
  r.series = in.get_doubles();
  r.yearly = in.get_doubles();
  const auto cols = in.get<std::uint64_t>();
  if (cols > 4096) throw std::runtime_error("run record: implausible column count");
  r.table.resize(cols);
  for (auto& c : r.table) c = in.get_doubles();
  if (!in.at_end()) throw std::runtime_error("run record: trailing bytes");
  return r;
}

}  // namespace sim
