#include "sim/h5.h"

#include <hdf5_hl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>

#include <sys/stat.h>

#include "sim/error.h"
#include "sim/random.h"

namespace sim::h5 {

namespace {

// Silence the library's own error printing once: failures become exceptions here. And
// keep the library from shutting itself down at exit: after a failed write (a full
// disk) HDF5 1.10 crashes when it later closes or flushes the objects of that file.
struct QuietErrors {
  QuietErrors() {
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    // The library keeps freed blocks on free lists for reuse, without bound by default: over
    // a file of 10,000 runs they grew to 8 MB. 1 MiB per kind of list in all, 256 KiB a list.
    H5set_free_list_limits(1 << 20, 1 << 18, 1 << 20, 1 << 18, 1 << 20, 1 << 18);
  }
};
const QuietErrors quiet_errors;

// ---- checks made once ----
using Stamp = std::tuple<dev_t, ino_t, off_t, std::int64_t, std::int64_t, std::string>;

std::optional<Stamp> stamp_of(const std::filesystem::path& path, const std::string& check) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return Stamp{st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, check};
}

std::mutex g_checked_mutex;
int g_check_scopes = 0;  // live CheckOnce objects
std::set<Stamp> g_checked;

}  // namespace

CheckOnce::CheckOnce() {
  std::lock_guard lock(g_checked_mutex);
  ++g_check_scopes;
}

CheckOnce::~CheckOnce() {
  std::lock_guard lock(g_checked_mutex);
  if (--g_check_scopes == 0) g_checked.clear();
}

bool checked_before(const std::filesystem::path& path, const std::string& check) {
  {
    std::lock_guard lock(g_checked_mutex);
    if (g_check_scopes == 0) return false;
  }
  const auto s = stamp_of(path, check);
  if (!s) return false;
  std::lock_guard lock(g_checked_mutex);
  return g_checked.count(*s) > 0;
}

void remember_checked(const std::filesystem::path& path, const std::string& check) {
  const auto s = stamp_of(path, check);
  if (!s) return;
  std::lock_guard lock(g_checked_mutex);
  if (g_check_scopes > 0) g_checked.insert(*s);
}

namespace {

// ---- seals ----
// A written file's first SEAL_BYTES hold "berdaya-seal-v1 SIZE HASH": its size and a
// 64-bit hash of every byte after the seal. A reader checks it before HDF5 parses
// anything, so a truncated file or flipped bytes are reported as a damaged file instead
// of reaching the library's parser (which can crash on damaged metadata).
constexpr char SEAL_MAGIC[] = "berdaya-seal-v1 ";
bool g_verify = true;

struct SealValue {
  std::uint64_t size = 0, hash = 0;
};

SealValue measure(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot be read. Check the path and its permissions.");
  in.seekg(static_cast<std::streamoff>(SEAL_BYTES));
  SealValue v;
  v.hash = 0x6265726461796121ULL;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<std::size_t>(in.gcount());
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, buf.data() + i, 8);
      v.hash = combine(v.hash, w);
    }
    for (; i < n; ++i) v.hash = combine(v.hash, static_cast<unsigned char>(buf[i]));
    v.size += n;
  }
  return v;
}

// The whole seal as seal() writes it: the text, then zeros to SEAL_BYTES.
std::string seal_head(const SealValue& v) {
  std::string head(SEAL_BYTES, '\0');
  std::snprintf(head.data(), head.size(), "%s%llu %016llx\n", SEAL_MAGIC, static_cast<unsigned long long>(v.size),
                static_cast<unsigned long long>(v.hash));
  return head;
}

void check_seal(const std::filesystem::path& path) {
  if (checked_before(path, "seal")) return;
  std::ifstream in(path, std::ios::binary);
  std::string head(SEAL_BYTES, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (head.compare(0, sizeof SEAL_MAGIC - 1, SEAL_MAGIC) != 0)
    throw InputError(path.string() +
                     ": an HDF5 file without berdaya's seal: not written by this version of berdaya (or changed "
                     "since). Rerun the experiment; to read it anyway, add --unchecked.");
  unsigned long long size = 0, hash = 0;
  if (std::sscanf(head.c_str() + sizeof SEAL_MAGIC - 1, "%llu %llx", &size, &hash) != 2)
    throw InputError(path.string() + ": damaged: its seal is unreadable. Rerun the experiment to rewrite the file.");
  const SealValue v = measure(path);
  if (v.size < size)
    throw InputError(path.string() + ": damaged: truncated, " + std::to_string(v.size + SEAL_BYTES) + " bytes where " +
                     std::to_string(size + SEAL_BYTES) +
                     " were written. Rerun the experiment, or copy the file again.");
  // Every byte of the seal counts: a flipped bit in its padding is damage too.
  if (v.size != size || v.hash != hash || head != seal_head(v))
    throw InputError(path.string() +
                     ": damaged or changed since berdaya wrote it (its contents do not match the seal). Rerun the "
                     "experiment, or copy the file again; to read a file you changed on purpose, add --unchecked.");
  remember_checked(path, "seal");
}

// Set by the first failed HDF5 call: from then on handles are left open rather than
// closed, for the same reason (the process reports the error and ends).
bool g_failed = false;

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) {
    g_failed = true;
    throw std::runtime_error("HDF5: " + what + " failed");
  }
  return id;
}
void check_status(herr_t st, const std::string& what) {
  if (st < 0) {
    g_failed = true;
    throw std::runtime_error("HDF5: " + what + " failed");
  }
}

Handle utf8_string_type() {
  Handle t(check(H5Tcopy(H5T_C_S1), "string type"));
  check_status(H5Tset_size(t.id(), H5T_VARIABLE), "string size");
  check_status(H5Tset_cset(t.id(), H5T_CSET_UTF8), "string charset");
  return t;
}

// Paths read "file.h5:/series/income_pool" so every message names the file.
std::string child(const std::string& path, const std::string& name) {
  return !path.empty() && path.back() == '/' ? path + name : path + "/" + name;
}

Handle open_attr(hid_t obj, const std::string& path, const std::string& name) {
  hid_t a = H5Aopen(obj, name.c_str(), H5P_DEFAULT);
  if (a < 0) throw InputError(path + ": attribute '" + name + "' is missing");
  return Handle(a);
}

void replace_attr(hid_t obj, const std::string& name) {
  if (H5Aexists(obj, name.c_str()) > 0) check_status(H5Adelete(obj, name.c_str()), "delete attribute " + name);
}

// The class of an attribute's or dataset's stored type (H5T_NO_CLASS when unreadable).
H5T_class_t stored_class(hid_t obj, bool is_attr, bool* variable = nullptr) {
  const hid_t t = is_attr ? H5Aget_type(obj) : H5Dget_type(obj);
  if (t < 0) return H5T_NO_CLASS;
  const H5T_class_t c = H5Tget_class(t);
  if (variable) *variable = H5Tis_variable_str(t) > 0;
  H5Tclose(t);
  return c;
}

// The transfer of n numbers or strings. A read or write that converts (doubles stored as 32-bit
// floats, integers read as doubles) goes through a zero-filled conversion buffer of 1 MiB
// by default, allocated afresh for each call, more than the free lists keep (above): a
// small file's hundreds of small writes and reads spent most of their time zero-filling
// and faulting in those pages. The buffer is sized to the transfer instead (8 bytes for
// the widest number, 16 for a string's reference), still at most 1 MiB, the larger
// transfers converted piece by piece.
Handle transfer(hsize_t n, hsize_t element_bytes = 8) {
  Handle dxpl(check(H5Pcreate(H5P_DATASET_XFER), "transfer properties"));
  const hsize_t bytes = std::clamp<hsize_t>(n * element_bytes, 64, hsize_t{1} << 20);
  check_status(H5Pset_buffer(dxpl.id(), static_cast<std::size_t>(bytes), nullptr, nullptr), "conversion buffer");
  return dxpl;
}

std::vector<std::string> read_vlen_strings(hid_t obj, bool is_attr, hsize_t n, const std::string& what) {
  bool variable = false;
  if (stored_class(obj, is_attr, &variable) != H5T_STRING || !variable)
    throw InputError(what +
                     ": expected text (variable-length strings), found another type (damaged or hand-made file?)");
  if (n == 0) return {};
  Handle t = utf8_string_type();
  std::vector<char*> raw(n, nullptr);
  herr_t st = is_attr ? H5Aread(obj, t.id(), raw.data())
                      : H5Dread(obj, t.id(), H5S_ALL, H5S_ALL, transfer(n, 16).id(), raw.data());
  if (st < 0) throw InputError(what + ": the text cannot be read (damaged file?)");
  std::vector<std::string> out;
  out.reserve(n);
  for (char* p : raw) out.emplace_back(p ? p : "");
  Handle space(check(is_attr ? H5Aget_space(obj) : H5Dget_space(obj), "space"));
  H5Dvlen_reclaim(t.id(), space.id(), H5P_DEFAULT, raw.data());
  return out;
}

hid_t stored_type(Type t) {
  switch (t) {
    case Type::F32: return H5T_IEEE_F32LE;
    case Type::I32: return H5T_STD_I32LE;
    case Type::I64: return H5T_STD_I64LE;
    case Type::F64: break;
  }
  return H5T_IEEE_F64LE;
}

Type type_of(hid_t t) {
  if (H5Tget_class(t) == H5T_FLOAT) return H5Tget_size(t) == 4 ? Type::F32 : Type::F64;
  return H5Tget_size(t) == 4 ? Type::I32 : Type::I64;
}

hsize_t element_count(hid_t space) {
  const hssize_t n = H5Sget_simple_extent_npoints(space);
  if (n < 0) throw std::runtime_error("HDF5: extent");
  return static_cast<hsize_t>(n);
}

}  // namespace

Handle& Handle::operator=(Handle&& o) noexcept {
  if (this != &o) {
    Handle tmp(std::move(*this));
    id_ = o.id_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

Handle::~Handle() {
  if (id_ < 0 || g_failed) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
}

// ---- attributes ----

void Object::set_attr(const std::string& name, const std::string& value) {
  replace_attr(id(), name);
  Handle t = utf8_string_type();
  Handle space(check(H5Screate(H5S_SCALAR), "scalar space"));
  Handle a(check(H5Acreate2(id(), name.c_str(), t.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), "attribute " + name));
  const char* p = value.c_str();
  check_status(H5Awrite(a.id(), t.id(), &p), "write attribute " + name);
}

void Object::set_attr(const std::string& name, const std::vector<std::string>& values) {
  replace_attr(id(), name);
  Handle t = utf8_string_type();
  const hsize_t n = values.size();
  // An empty list is an empty (null) dataspace: HDF5 has no zero-length simple space here.
  Handle space(check(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), "space"));
  Handle a(check(H5Acreate2(id(), name.c_str(), t.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT), "attribute " + name));
  std::vector<const char*> ptrs;
  for (const auto& s : values) ptrs.push_back(s.c_str());
  if (n) check_status(H5Awrite(a.id(), t.id(), ptrs.data()), "write attribute " + name);
}

void Object::set_attr(const std::string& name, const std::vector<std::int32_t>& values) {
  replace_attr(id(), name);
  const hsize_t n = values.size();
  Handle space(check(n ? H5Screate_simple(1, &n, nullptr) : H5Screate(H5S_NULL), "space"));
  Handle a(
      check(H5Acreate2(id(), name.c_str(), H5T_STD_I32LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), "attribute " + name));
  if (n) check_status(H5Awrite(a.id(), H5T_NATIVE_INT32, values.data()), "write attribute " + name);
}

void Object::set_attr(const std::string& name, double value, Type stored) {
  replace_attr(id(), name);
  Handle space(check(H5Screate(H5S_SCALAR), "scalar space"));
  Handle a(check(H5Acreate2(id(), name.c_str(), stored_type(stored), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                 "attribute " + name));
  if (stored == Type::I32 || stored == Type::I64) {
    const long long v = static_cast<long long>(value);
    check_status(H5Awrite(a.id(), H5T_NATIVE_LLONG, &v), "write attribute " + name);
  } else {
    check_status(H5Awrite(a.id(), H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
  }
}

void Object::set_attr(const std::string& name, double value) {
  replace_attr(id(), name);
  Handle space(check(H5Screate(H5S_SCALAR), "scalar space"));
  Handle a(check(H5Acreate2(id(), name.c_str(), H5T_IEEE_F64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), "attribute"));
  check_status(H5Awrite(a.id(), H5T_NATIVE_DOUBLE, &value), "write attribute " + name);
}

void Object::set_attr(const std::string& name, long long value) {
  replace_attr(id(), name);
  Handle space(check(H5Screate(H5S_SCALAR), "scalar space"));
  Handle a(check(H5Acreate2(id(), name.c_str(), H5T_STD_I64LE, space.id(), H5P_DEFAULT, H5P_DEFAULT), "attribute"));
  check_status(H5Awrite(a.id(), H5T_NATIVE_LLONG, &value), "write attribute " + name);
}

bool Object::has_attr(const std::string& name) const { return H5Aexists(id(), name.c_str()) > 0; }

std::string Object::attr_string(const std::string& name) const {
  Handle a = open_attr(id(), path_, name);
  Handle t(check(H5Aget_type(a.id()), "attribute type"));
  if (H5Tget_class(t.id()) != H5T_STRING) throw InputError(path_ + ": attribute '" + name + "' is not a string");
  Handle space(check(H5Aget_space(a.id()), "space"));
  if (H5Tis_variable_str(t.id()) > 0) {
    auto v = read_vlen_strings(a.id(), true, element_count(space.id()), path_ + ": attribute '" + name + "'");
    return v.empty() ? std::string() : v.front();
  }
  const std::size_t size = H5Tget_size(t.id());
  std::string buf(size, '\0');
  check_status(H5Aread(a.id(), t.id(), buf.data()), "read attribute " + name);
  buf.erase(std::find(buf.begin(), buf.end(), '\0'), buf.end());
  return buf;
}

std::vector<std::string> Object::attr_strings(const std::string& name) const {
  Handle a = open_attr(id(), path_, name);
  Handle space(check(H5Aget_space(a.id()), "space"));
  return read_vlen_strings(a.id(), true, element_count(space.id()), path_ + ": attribute '" + name + "'");
}

namespace {
// A numeric attribute holds one number.
void require_scalar_number(hid_t a, const std::string& where) {
  const H5T_class_t c = stored_class(a, true);
  Handle space(check(H5Aget_space(a), "space"));
  if ((c != H5T_INTEGER && c != H5T_FLOAT) || element_count(space.id()) != 1)
    throw InputError(where + ": expected one number (damaged or hand-made file?)");
}
}  // namespace

double Object::attr_double(const std::string& name) const {
  Handle a = open_attr(id(), path_, name);
  require_scalar_number(a.id(), path_ + ": attribute '" + name + "'");
  double v = 0;
  if (H5Aread(a.id(), H5T_NATIVE_DOUBLE, &v) < 0)
    throw InputError(path_ + ": attribute '" + name + "' cannot be read (damaged file?)");
  return v;
}

long long Object::attr_int(const std::string& name) const {
  Handle a = open_attr(id(), path_, name);
  require_scalar_number(a.id(), path_ + ": attribute '" + name + "'");
  long long v = 0;
  if (H5Aread(a.id(), H5T_NATIVE_LLONG, &v) < 0)
    throw InputError(path_ + ": attribute '" + name + "' cannot be read as a whole number (damaged file?)");
  return v;
}

std::vector<std::int64_t> Object::attr_ints(const std::string& name) const {
  Handle a = open_attr(id(), path_, name);
  if (stored_class(a.id(), true) != H5T_INTEGER)
    throw InputError(path_ + ": attribute '" + name + "' is not a list of whole numbers (damaged or hand-made file?)");
  Handle space(check(H5Aget_space(a.id()), "space"));
  if (H5Sget_simple_extent_type(space.id()) == H5S_NULL) return {};
  std::vector<std::int64_t> out(element_count(space.id()));
  if (!out.empty() && H5Aread(a.id(), H5T_NATIVE_INT64, out.data()) < 0)
    throw InputError(path_ + ": attribute '" + name + "' cannot be read (damaged file?)");
  return out;
}

Type Object::attr_type(const std::string& name) const {
  Handle a = open_attr(id(), path_, name);
  Handle t(check(H5Aget_type(a.id()), "attribute type"));
  const H5T_class_t c = H5Tget_class(t.id());
  if (c != H5T_INTEGER && c != H5T_FLOAT) throw InputError(path_ + ": attribute '" + name + "' is not a number");
  return type_of(t.id());
}

std::vector<std::string> Object::attr_names() const {
  std::vector<std::string> out;
  H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
  check_status(H5Oget_info3(id(), &info, H5O_INFO_NUM_ATTRS), "object info");
#else
  check_status(H5Oget_info2(id(), &info, H5O_INFO_NUM_ATTRS), "object info");
#endif
  for (hsize_t i = 0; i < info.num_attrs; ++i) {
    const ssize_t len = H5Aget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(len), '\0');
    H5Aget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
    out.push_back(name);
  }
  return out;
}

// ---- datasets ----

std::vector<hsize_t> Dataset::dims() const {
  Handle space(check(H5Dget_space(id()), "space"));
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> d(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.id(), d.data(), nullptr);
  return d;
}

Type Dataset::type() const {
  Handle t(check(H5Dget_type(id()), "type"));
  return type_of(t.id());
}

bool Dataset::is_numeric() const {
  const H5T_class_t c = stored_class(id(), false);
  return c == H5T_INTEGER || c == H5T_FLOAT;
}

bool Dataset::is_text() const {
  bool variable = false;
  return stored_class(id(), false, &variable) == H5T_STRING && variable;
}

void Dataset::require_numeric() const {
  if (!is_numeric()) throw InputError(path_ + ": expected numbers, found another type (damaged or hand-made file?)");
}

std::vector<double> Dataset::read_f64() const {
  require_numeric();
  Handle space(check(H5Dget_space(id()), "space"));
  std::vector<double> out(element_count(space.id()));
  if (!out.empty() && H5Dread(id(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, transfer(out.size()).id(), out.data()) < 0)
    throw InputError(path_ + ": cannot be read as numbers (damaged file?)");
  return out;
}

std::vector<std::int64_t> Dataset::read_i64() const {
  require_numeric();
  Handle space(check(H5Dget_space(id()), "space"));
  std::vector<std::int64_t> out(element_count(space.id()));
  if (!out.empty() && H5Dread(id(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, transfer(out.size()).id(), out.data()) < 0)
    throw InputError(path_ + ": cannot be read as integers (damaged file?)");
  return out;
}

std::vector<std::string> Dataset::read_strings() const {
  Handle space(check(H5Dget_space(id()), "space"));
  return read_vlen_strings(id(), false, element_count(space.id()), path_);
}

void Dataset::make_scale(const std::string& dim_name) {
  check_status(H5DSset_scale(id(), dim_name.c_str()), "dimension scale " + dim_name);
}

void Dataset::attach_scale(const Dataset& scale, unsigned axis) {
  check_status(H5DSattach_scale(id(), scale.id(), axis), "attach scale");
}

bool Dataset::is_scale() const { return H5DSis_scale(id()) > 0; }

void attach_scales(const std::vector<Dataset>& data, const std::vector<const Dataset*>& scales) {
  // The library's own checks, for those attachments that could be written in one go: every
  // scale a scale with no attachments, every dataset no scale, with no attachments and
  // enough axes.
  bool fresh = !data.empty();
  for (std::size_t a = 0; a < scales.size(); ++a) {
    fresh = fresh && scales[a]->is_scale() && H5Aexists(scales[a]->id(), "REFERENCE_LIST") == 0 &&
            H5Aexists(scales[a]->id(), "DIMENSION_LIST") == 0;
    // One scale on two axes: its list holds both, which one by one writes.
    for (std::size_t b = 0; b < a; ++b) fresh = fresh && scales[a] != scales[b] && scales[a]->id() != scales[b]->id();
  }
  for (const Dataset& d : data)
    fresh = fresh && !d.is_scale() && H5Aexists(d.id(), "DIMENSION_LIST") == 0 && H5Aexists(d.id(), "CLASS") == 0 &&
            d.dims().size() >= scales.size() && !d.dims().empty();
  if (!fresh) {
    for (const Dataset& d : data)
      for (unsigned a = 0; a < scales.size(); ++a) const_cast<Dataset&>(d).attach_scale(*scales[a], a);
    return;
  }
  auto reference = [](const Dataset& d) {
    hobj_ref_t ref{};
    check_status(H5Rcreate(&ref, d.id(), ".", H5R_OBJECT, -1), "reference to " + d.path());
    return ref;
  };
  std::vector<hobj_ref_t> scale_refs;
  for (const Dataset* sc : scales) scale_refs.push_back(reference(*sc));
  // Each dataset's DIMENSION_LIST: for each axis the references of its scales (one here).
  Handle vlen(check(H5Tvlen_create(H5T_STD_REF_OBJ), "reference list type"));
  std::vector<hobj_ref_t> data_refs;
  for (const Dataset& d : data) {
    const hsize_t rank = d.dims().size();
    std::vector<hvl_t> lists(rank, hvl_t{0, nullptr});
    for (std::size_t a = 0; a < scales.size(); ++a) lists[a] = hvl_t{1, &scale_refs[a]};
    Handle space(check(H5Screate_simple(1, &rank, nullptr), "space"));
    Handle attr(check(H5Acreate2(d.id(), "DIMENSION_LIST", vlen.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                      "DIMENSION_LIST of " + d.path()));
    check_status(H5Awrite(attr.id(), vlen.id(), lists.data()), "DIMENSION_LIST of " + d.path());
    data_refs.push_back(reference(d));
  }
  // Each scale's REFERENCE_LIST: the datasets it is attached to and the axis, in the order
  // attaching them one by one would give.
  struct Entry {
    hobj_ref_t ref;
    unsigned int dim_idx;
  };
  Handle entry(check(H5Tcreate(H5T_COMPOUND, sizeof(Entry)), "reference entry type"));
  check_status(H5Tinsert(entry.id(), "dataset", HOFFSET(Entry, ref), H5T_STD_REF_OBJ), "reference entry type");
  check_status(H5Tinsert(entry.id(), "dimension", HOFFSET(Entry, dim_idx), H5T_NATIVE_INT), "reference entry type");
  for (std::size_t a = 0; a < scales.size(); ++a) {
    std::vector<Entry> entries;
    for (const hobj_ref_t& r : data_refs) entries.push_back({r, static_cast<unsigned>(a)});
    const hsize_t n = entries.size();
    Handle space(check(H5Screate_simple(1, &n, nullptr), "space"));
    Handle attr(check(H5Acreate2(scales[a]->id(), "REFERENCE_LIST", entry.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                      "REFERENCE_LIST of " + scales[a]->path()));
    check_status(H5Awrite(attr.id(), entry.id(), entries.data()), "REFERENCE_LIST of " + scales[a]->path());
  }
}

std::string Dataset::scale_name() const {
  if (!is_scale()) return {};
  const ssize_t len = H5DSget_scale_name(id(), nullptr, 0);
  if (len <= 0) return {};
  std::string name(static_cast<std::size_t>(len), '\0');
  H5DSget_scale_name(id(), name.data(), name.size() + 1);
  return name;
}

bool Dataset::has_scale(const Dataset& scale, unsigned axis) const {
  return H5DSis_attached(id(), scale.id(), axis) > 0;
}

double Dataset::fill_value() const {
  Handle dcpl(check(H5Dget_create_plist(id()), "creation properties"));
  double v = 0;
  check_status(H5Pget_fill_value(dcpl.id(), H5T_NATIVE_DOUBLE, &v), "fill value of " + path_);
  return v;
}

// ---- groups ----

Group Group::create_group(const std::string& name) {
  return Group(
      Handle(check(H5Gcreate2(id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "create group " + name)),
      child(path_, name));
}

Group Group::open_group(const std::string& name) const {
  if (!exists(name)) throw InputError(path_ + ": group '" + name + "' is missing");
  hid_t g = H5Gopen2(id(), name.c_str(), H5P_DEFAULT);
  if (g < 0) throw InputError(child(path_, name) + " is not a group");
  return Group(Handle(g), child(path_, name));
}

void Group::remove(const std::string& name) {
  check_status(H5Ldelete(id(), name.c_str(), H5P_DEFAULT), "delete " + child(path_, name));
}

bool Group::exists(const std::string& name) const { return H5Lexists(id(), name.c_str(), H5P_DEFAULT) > 0; }

bool Group::is_group(const std::string& name) const {
  H5O_info_t info;
#if H5_VERSION_GE(1, 12, 0)
  if (H5Oget_info_by_name3(id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
#else
  if (H5Oget_info_by_name2(id(), name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
#endif
  return info.type == H5O_TYPE_GROUP;
}

std::vector<std::string> Group::children() const {
  std::vector<std::string> out;
  H5G_info_t info;
  check_status(H5Gget_info(id(), &info), "group info");
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t len = H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(len), '\0');
    H5Lget_name_by_idx(id(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size() + 1, H5P_DEFAULT);
    out.push_back(name);
  }
  return out;
}

Dataset Group::open(const std::string& name) const {
  if (!exists(name)) throw InputError(path_ + ": dataset '" + name + "' is missing");
  hid_t d = H5Dopen2(id(), name.c_str(), H5P_DEFAULT);
  if (d < 0) throw InputError(child(path_, name) + " is not a dataset");
  return Dataset(Handle(d), child(path_, name));
}

namespace {

// Chunks of whole trailing rows up to ~64k elements: one run's series is one read, and a
// run written alone touches few chunks.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
  std::vector<hsize_t> chunk(dims);
  for (auto& c : chunk) c = std::max<hsize_t>(c, 1);
  hsize_t size = 1;
  for (auto c : chunk) size *= c;
  for (std::size_t i = 0; i < chunk.size() && size > 65536; ++i) {
    while (chunk[i] > 1 && size > 65536) {
      size /= chunk[i];
      chunk[i] = (chunk[i] + 1) / 2;
      size *= chunk[i];
    }
  }
  return chunk;
}

Handle block_space(hid_t dataset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                   const std::string& path) {
  Handle space(check(H5Dget_space(dataset), "space"));
  if (static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.id())) != start.size() || start.size() != count.size())
    throw std::runtime_error(path + ": block rank does not match the dataset");
  check_status(H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
               "select block of " + path);
  return space;
}

hsize_t product(const std::vector<hsize_t>& v) {
  hsize_t n = 1;
  for (auto x : v) n *= x;
  return n;
}

// Datasets filled in order keep only two chunks in memory, the one being filled and the
// one a write may cross into: the default 1 MiB cache per dataset would otherwise hold
// finished chunks of every dataset until it is full.
Handle streaming_access(const std::vector<hsize_t>& chunk, std::size_t element_size) {
  Handle dapl(check(H5Pcreate(H5P_DATASET_ACCESS), "dapl"));
  const std::size_t bytes = 2 * static_cast<std::size_t>(product(chunk)) * element_size;
  // w0 = 1: a fully written chunk is the first to go.
  check_status(H5Pset_chunk_cache(dapl.id(), 521, bytes, 1.0), "chunk cache");
  return dapl;
}

// Chunked, shuffled and deflated.
Handle compressed_layout(const std::vector<hsize_t>& chunk) {
  Handle dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
  check_status(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data()), "chunk");
  check_status(H5Pset_shuffle(dcpl.id()), "shuffle");
  check_status(H5Pset_deflate(dcpl.id(), 4), "deflate");
  return dcpl;
}

void set_fill(hid_t dcpl, Type stored, double fill) {
  if (stored == Type::I32 || stored == Type::I64) {
    const long long v = static_cast<long long>(fill);
    check_status(H5Pset_fill_value(dcpl, H5T_NATIVE_LLONG, &v), "fill value");
  } else {
    check_status(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill), "fill value");
  }
}

void write_block_raw(hid_t dataset, const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                     hid_t mem_type, const void* data, const std::string& path) {
  if (product(count) == 0) return;
  Handle file_space = block_space(dataset, start, count, path);
  Handle mem(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "memory space"));
  check_status(H5Dwrite(dataset, mem_type, mem.id(), file_space.id(), transfer(product(count)).id(), data),
               "write " + path);
}

}  // namespace

Dataset Group::create(const std::string& name, Type stored, const std::vector<hsize_t>& dims, double fill,
                      const std::vector<hsize_t>& chunk_dims) {
  const int rank = static_cast<int>(dims.size());
  Handle space(check(H5Screate_simple(rank, dims.data(), nullptr), "space for " + name));
  const auto chunk = chunk_dims.size() == dims.size() ? chunk_dims : chunk_shape(dims);
  Handle dcpl = product(dims) > 0 ? compressed_layout(chunk) : Handle(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
  Handle dapl = streaming_access(chunk, 8);
  set_fill(dcpl.id(), stored, fill);
  check_status(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_IFSET), "fill time");
  Handle d(check(H5Dcreate2(id(), name.c_str(), stored_type(stored), space.id(), H5P_DEFAULT, dcpl.id(), dapl.id()),
                 "create dataset " + child(path_, name)));
  return Dataset(std::move(d), child(path_, name));
}

void Dataset::write_block(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count, const double* data) {
  write_block_raw(id(), start, count, H5T_NATIVE_DOUBLE, data, path_);
}

void Dataset::write_block(const std::vector<hsize_t>& start, const std::vector<hsize_t>& count,
                          const std::int32_t* data) {
  write_block_raw(id(), start, count, H5T_NATIVE_INT32, data, path_);
}

namespace {
void append_raw(hid_t dataset, const void* data, hid_t mem_type, hsize_t n, const std::string& path) {
  if (n == 0) return;
  Handle space(check(H5Dget_space(dataset), "space"));
  hsize_t size = 0;
  H5Sget_simple_extent_dims(space.id(), &size, nullptr);
  const hsize_t grown = size + n;
  check_status(H5Dset_extent(dataset, &grown), "grow " + path);
  Handle file_space(check(H5Dget_space(dataset), "space"));
  check_status(H5Sselect_hyperslab(file_space.id(), H5S_SELECT_SET, &size, nullptr, &n, nullptr), "select " + path);
  Handle mem(check(H5Screate_simple(1, &n, nullptr), "memory space"));
  check_status(H5Dwrite(dataset, mem_type, mem.id(), file_space.id(), transfer(n).id(), data), "append to " + path);
}
}  // namespace

void Dataset::append(const std::vector<double>& data) {
  append_raw(id(), data.data(), H5T_NATIVE_DOUBLE, data.size(), path_);
}

void Dataset::append(const std::vector<std::int32_t>& data) {
  append_raw(id(), data.data(), H5T_NATIVE_INT32, data.size(), path_);
}

Dataset Group::create_growing(const std::string& name, Type stored, double fill) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED, chunk = 8192;
  Handle space(check(H5Screate_simple(1, &zero, &unlimited), "space for " + name));
  Handle dcpl = compressed_layout({chunk});
  set_fill(dcpl.id(), stored, fill);
  Handle dapl = streaming_access({chunk}, 8);
  Handle d(check(H5Dcreate2(id(), name.c_str(), stored_type(stored), space.id(), H5P_DEFAULT, dcpl.id(), dapl.id()),
                 "create dataset " + child(path_, name)));
  return Dataset(std::move(d), child(path_, name));
}

std::vector<double> Dataset::read_f64_block(const std::vector<hsize_t>& start,
                                            const std::vector<hsize_t>& count) const {
  require_numeric();
  std::vector<double> out(product(count));
  if (out.empty()) return out;
  Handle file_space = block_space(id(), start, count, path_);
  Handle mem(check(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), "memory space"));
  if (H5Dread(id(), H5T_NATIVE_DOUBLE, mem.id(), file_space.id(), transfer(out.size()).id(), out.data()) < 0)
    throw InputError(path_ + ": cannot be read as numbers (damaged file?)");
  return out;
}

Dataset Group::write_raw(const std::string& name, const void* data, hid_t mem_type, hid_t file_type,
                         const std::vector<hsize_t>& dims) {
  const int rank = static_cast<int>(dims.size());
  Handle space(check(H5Screate_simple(rank, dims.data(), nullptr), "space for " + name));
  const hsize_t total = product(dims);
  Handle dcpl = total > 0 ? compressed_layout(chunk_shape(dims)) : Handle(check(H5Pcreate(H5P_DATASET_CREATE), "dcpl"));
  Handle d(check(H5Dcreate2(id(), name.c_str(), file_type, space.id(), H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                 "create dataset " + child(path_, name)));
  if (total > 0)
    check_status(H5Dwrite(d.id(), mem_type, H5S_ALL, H5S_ALL, transfer(total).id(), data), "write " + name);
  return Dataset(std::move(d), child(path_, name));
}

Dataset Group::write(const std::string& name, const std::vector<double>& data, const std::vector<hsize_t>& dims,
                     Type stored) {
  return write_raw(name, data.data(), H5T_NATIVE_DOUBLE, stored == Type::F32 ? H5T_IEEE_F32LE : H5T_IEEE_F64LE, dims);
}

Dataset Group::write(const std::string& name, const std::vector<std::int32_t>& data, const std::vector<hsize_t>& dims) {
  return write_raw(name, data.data(), H5T_NATIVE_INT32, H5T_STD_I32LE, dims);
}

Dataset Group::write(const std::string& name, const std::vector<std::int64_t>& data, const std::vector<hsize_t>& dims) {
  return write_raw(name, data.data(), H5T_NATIVE_INT64, H5T_STD_I64LE, dims);
}

Dataset Group::write(const std::string& name, const std::vector<std::string>& data) {
  return write(name, data, {data.size()});
}

Dataset Group::write(const std::string& name, const std::vector<std::string>& data, const std::vector<hsize_t>& dims) {
  Handle t = utf8_string_type();
  const hsize_t n = product(dims);
  if (n != data.size()) throw std::runtime_error(name + ": string count does not match the shape");
  Handle space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "space"));
  Handle d(check(H5Dcreate2(id(), name.c_str(), t.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                 "create dataset " + name));
  std::vector<const char*> ptrs;
  for (const auto& s : data) ptrs.push_back(s.c_str());
  if (n > 0)
    check_status(H5Dwrite(d.id(), t.id(), H5S_ALL, H5S_ALL, transfer(n, 16).id(), ptrs.data()), "write " + name);
  return Dataset(std::move(d), child(path_, name));
}

// ---- files ----

File::File(Handle h, std::string path)
    : file_(std::move(h)), root_(Handle(check(H5Gopen2(file_.id(), "/", H5P_DEFAULT), "open root")), path + ":/") {}

File File::create(const std::filesystem::path& path) {
  // A metadata cache of 1 MiB: the default grows towards 32 MiB as the chunk index of a
  // large experiment grows, which a writer going through it once does not need.
  Handle fapl(check(H5Pcreate(H5P_FILE_ACCESS), "fapl"));
  // The file format of HDF5 1.10: a dataset of fixed size indexes its chunks in a fixed
  // array and a growing one in an extensible array, where the format of 1.8 keeps a B-tree
  // whose nodes fill the metadata cache as runs are written. Any HDF5 from 1.10 (2016) on
  // reads it: h5py, xarray, R's hdf5r and rhdf5, Julia's HDF5.jl.
  check_status(H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V110, H5F_LIBVER_V110), "file format");
  H5AC_cache_config_t mdc;
  mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
  check_status(H5Pget_mdc_config(fapl.id(), &mdc), "metadata cache");
  mdc.set_initial_size = true;
  mdc.initial_size = 1 << 20;
  mdc.min_size = 1 << 20;
  mdc.max_size = 1 << 20;
  check_status(H5Pset_mdc_config(fapl.id(), &mdc), "metadata cache");
  // Closing the file closes every object in it, so H5Fclose reports whether the file
  // was really written (a full disk shows here, not as a crash at exit).
  check_status(H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG), "close degree");
  // The first bytes are a user block HDF5 leaves alone: the seal goes there (seal()).
  Handle fcpl(check(H5Pcreate(H5P_FILE_CREATE), "fcpl"));
  check_status(H5Pset_userblock(fcpl.id(), SEAL_BYTES), "user block");
  hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id());
  if (f < 0)
    throw InputError(path.string() + ": cannot create the output file. Check that the folder exists and is writable.");
  return File(Handle(f), path.string());
}

File File::open(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) throw InputError(path.string() + ": file not found. Check the path.");
  // H5Fis_hdf5 reads only the signature, so it is safe on any bytes; the seal is checked
  // before anything else of the file is parsed.
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw InputError(path.string() + ": not an HDF5 file (or truncated). Give a result file written by 'berdaya run'.");
  if (g_verify) check_seal(path);
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) throw InputError(path.string() + ": the HDF5 file cannot be opened (damaged or truncated?).");
  return File(Handle(f), path.string());
}

File File::open_for_edit(const std::filesystem::path& path) {
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (f < 0) throw InputError(path.string() + ": the HDF5 file cannot be opened for writing.");
  return File(Handle(f), path.string());
}

void File::close() {
  if (!file_.valid()) return;
  const hid_t id = file_.id();
  // Release the ids without closing them, then close the file with its status checked.
  root_ = Group(Handle(), "/");
  const herr_t flushed = H5Fflush(id, H5F_SCOPE_GLOBAL);
  file_.release();
  const herr_t closed = flushed < 0 ? -1 : H5Fclose(id);
  if (flushed < 0 || closed < 0) {
    g_failed = true;
    throw std::runtime_error("HDF5: the file could not be written completely (disk full, or a file size limit?)");
  }
}

void seal(const std::filesystem::path& path) {
  const std::string head = seal_head(measure(path));
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.write(head.data(), static_cast<std::streamsize>(head.size()));
  f.close();
  if (!f) throw OutputError(path.string() + ": cannot seal the file (disk full?)");
  // Its seal holds: the summary that follows need not hash the file again.
  remember_checked(path, "seal");
}

void set_verify_seals(bool on) { g_verify = on; }

std::string library_version() {
  unsigned maj = 0, min = 0, rel = 0;
  H5get_libversion(&maj, &min, &rel);
  return std::to_string(maj) + "." + std::to_string(min) + "." + std::to_string(rel);
}

}  // namespace sim::h5
