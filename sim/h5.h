// The one typed wrapper around the HDF5 C API: every HDF5 call of the project is in
// h5.cpp. Handles close themselves; failures throw; a file that is not HDF5 is an
// InputError naming the file.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <hdf5.h>

namespace sim::h5 {

// While one lives, a check that a file passed is not made again on the same unchanged file,
// known by its device, inode, size and modification time: a command that opens its result
// file several times in a row (the summary after a run, its brief, the count of failed runs)
// hashes and validates it once. Outside any, every open checks everything. Thread-safe.
class CheckOnce {
 public:
  CheckOnce();
  ~CheckOnce();
  CheckOnce(const CheckOnce&) = delete;
  CheckOnce& operator=(const CheckOnce&) = delete;
};
// Whether `check` (a name: "seal", a reader's layout) passed on this file under a live
// CheckOnce; always false outside one.
bool checked_before(const std::filesystem::path& path, const std::string& check);
// Records that `check` passed (nothing outside a CheckOnce).
void remember_checked(const std::filesystem::path& path, const std::string& check);

// Owns one HDF5 identifier and closes it with the right H5*close for its type.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept;
  ~Handle();
  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  // Gives up ownership without closing (the caller closes and checks the status).
  hid_t release() {
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

class Dataset;

enum class Type { F64, F32, I32, I64 };

// Anything that carries attributes: a file's root, a group or a dataset.
class Object {
 public:
  void set_attr(const std::string& name, const std::string& value);
  void set_attr(const std::string& name, double value);
  void set_attr(const std::string& name, long long value);
  void set_attr(const std::string& name, const std::vector<std::string>& values);
  void set_attr(const std::string& name, const std::vector<std::int32_t>& values);
  // A number stored as `stored` (CF wants _FillValue in the type of its variable).
  void set_attr(const std::string& name, double value, Type stored);
  bool has_attr(const std::string& name) const;
  std::string attr_string(const std::string& name) const;
  double attr_double(const std::string& name) const;
  long long attr_int(const std::string& name) const;
  std::vector<std::string> attr_strings(const std::string& name) const;
  std::vector<std::int64_t> attr_ints(const std::string& name) const;  // a scalar or 1-D whole-number attribute
  // The stored type of a numeric attribute; InputError if it is text or missing.
  Type attr_type(const std::string& name) const;
  std::vector<std::string> attr_names() const;
  hid_t id() const { return h_.id(); }
  const std::string& path() const { return path_; }

 protected:
  Object(Handle h, std::string path) : h_(std::move(h)), path_(std::move(path)) {}
  Handle h_;
  std::string path_;
};

class Dataset : public Object {
 public:
  std::vector<hsize_t> dims() const;
  Type type() const;
  bool is_numeric() const;  // integers or floating point
  bool is_text() const;     // variable-length strings
  // InputError naming the dataset unless it holds numbers.
  void require_numeric() const;
  std::vector<double> read_f64() const;
  std::vector<std::int64_t> read_i64() const;
  std::vector<std::string> read_strings() const;
  // A block of an n-dimensional dataset: `count` elements from `start` per axis, row-major.
  std::vector<double> read_f64_block(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count) const;
  void write_block(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, const double* data);
  void write_block(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, const std::int32_t* data);
  // Grows a one-dimensional dataset made by Group::create_growing and writes at its end.
  void append(const std::vector<double>& data);
  void append(const std::vector<std::int32_t>& data);
  // Marks this dataset as the dimension scale `dim_name` (netCDF-style coordinates).
  void make_scale(const std::string& dim_name);
  void attach_scale(const Dataset& scale, unsigned axis);
  bool is_scale() const;
  // The dimension name given by make_scale (empty when this is no scale).
  std::string scale_name() const;
  bool has_scale(const Dataset& scale, unsigned axis) const;
  // The value of unwritten cells, read as a double.
  double fill_value() const;

 private:
  friend class Group;
  using Object::Object;
};

// Attaches scales[k] to axis k of every dataset of `data`: what Dataset::attach_scale does
// for each pair, the same DIMENSION_LIST and REFERENCE_LIST attributes, written once each
// instead of rewritten at every attachment (a file of 64 matrices with three scales each
// spent 9 ms attaching them one by one). For datasets and scales that have no attachments
// yet; otherwise, or with the library's own checks failing, one by one.
void attach_scales(const std::vector<Dataset>& data, const std::vector<const Dataset*>& scales);

class Group : public Object {
 public:
  Group create_group(const std::string& name);
  Group open_group(const std::string& name) const;
  bool exists(const std::string& name) const;
  std::vector<std::string> children() const;
  bool is_group(const std::string& name) const;

  // Chunked, shuffled and deflated n-dimensional datasets (row-major data).
  Dataset write(const std::string& name, const std::vector<double>& data, const std::vector<hsize_t>& dims,
                Type stored = Type::F64);
  Dataset write(const std::string& name, const std::vector<std::int32_t>& data, const std::vector<hsize_t>& dims);
  Dataset write(const std::string& name, const std::vector<std::int64_t>& data, const std::vector<hsize_t>& dims);
  Dataset write(const std::string& name, const std::vector<std::string>& data);
  Dataset write(const std::string& name, const std::vector<std::string>& data, const std::vector<hsize_t>& dims);
  // An empty chunked, shuffled and deflated dataset, filled later by Dataset::write_block
  // (results streamed in as runs finish). Unwritten cells read as `fill`.
  // `chunk` empty: chosen from the shape.
  Dataset create(const std::string& name, Type stored, const std::vector<hsize_t>& dims, double fill,
                 const std::vector<hsize_t>& chunk = {});
  // An empty one-dimensional dataset that grows by Dataset::append; `fill` is its HDF5
  // fill value (kept equal to a _FillValue attribute, as netCDF-4 expects).
  Dataset create_growing(const std::string& name, Type stored, double fill = 0);
  Dataset open(const std::string& name) const;
  // Unlinks a dataset or group (the fuzz test edits files this way).
  void remove(const std::string& name);

 private:
  friend class File;
  using Object::Object;
  Dataset write_raw(const std::string& name, const void* data, hid_t mem_type, hid_t file_type,
                    const std::vector<hsize_t>& dims);
};

class File {
 public:
  // Creates (truncating) a file for writing.
  static File create(const std::filesystem::path& path);
  // Opens an existing file read-only; InputError if it is missing or not HDF5.
  static File open(const std::filesystem::path& path);
  // Opens an existing file for reading and writing, without checking its seal (tests
  // that damage files on purpose).
  static File open_for_edit(const std::filesystem::path& path);
  Group& root() { return root_; }
  const Group& root() const { return root_; }
  // Flushes and closes, closing every object still open in the file; throws when HDF5
  // reports that the file was not written completely.
  void close();

 private:
  File(Handle h, std::string path);
  Handle file_;
  Group root_;
};

// The bytes at the start of every file this project writes that hold its seal.
inline constexpr std::size_t SEAL_BYTES = 512;

// Seals a closed file: its size and a hash of its contents into the first SEAL_BYTES.
// File::open checks the seal of a sealed file and refuses a damaged one (InputError).
void seal(const std::filesystem::path& path);
// --unchecked: read sealed files without checking their seal.
void set_verify_seals(bool on);

// Library version string, e.g. "1.10.8".
std::string library_version();

}  // namespace sim::h5
