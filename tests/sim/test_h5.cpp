// The HDF5 wrapper (sim/h5.h): datasets, attributes, text, dimension scales, the seal,
// and the messages a reader gets for files that are not what they should be.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "sim/error.h"
#include "sim/h5.h"

namespace h5 = sim::h5;

namespace {

std::filesystem::path temp_file(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("berdaya-h5-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

// The message of the InputError that `f` throws; fails the test when it throws none.
template <class F>
std::string input_error(F&& f) {
  try {
    f();
  } catch (const sim::InputError& e) {
    return e.what();
  }
  FAIL("no InputError");
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A small sealed file: one group with a numeric dataset, a text dataset and attributes.
std::filesystem::path sealed_file(const std::string& name) {
  const auto path = temp_file(name);
  {
    auto f = h5::File::create(path);
    auto g = f.root().create_group("g");
    g.write("x", std::vector<double>{1.5, 2.5, 3.5, 4.5, 5.5, 6.5}, {2, 3});
    g.write("names", std::vector<std::string>{"a", "b"});
    f.root().set_attr("title", std::string("sealed"));
    f.close();
  }
  h5::seal(path);
  return path;
}

}  // namespace

TEST_CASE("numeric datasets keep their shape, type and values") {
  const auto path = temp_file("numbers.h5");
  {
    auto f = h5::File::create(path);
    auto& root = f.root();
    root.write("f64", std::vector<double>{0.25, -1e300, 3}, {3});
    root.write("f32", std::vector<double>{0.5, 1.5, 2.5, 3.5}, {2, 2}, h5::Type::F32);
    root.write("i32", std::vector<std::int32_t>{7, -8, 9, 10, 11, 12}, {3, 2});
    root.write("i64", std::vector<std::int64_t>{1LL << 40, -3}, {2});
    f.close();
  }
  h5::seal(path);
  const auto f = h5::File::open(path);
  const auto& root = f.root();
  CHECK(root.open("f64").read_f64() == std::vector<double>{0.25, -1e300, 3});
  CHECK(root.open("f64").type() == h5::Type::F64);
  CHECK(root.open("f32").type() == h5::Type::F32);
  CHECK(root.open("f32").dims() == std::vector<hsize_t>{2, 2});
  CHECK(root.open("f32").read_f64() == std::vector<double>{0.5, 1.5, 2.5, 3.5});
  CHECK(root.open("i32").type() == h5::Type::I32);
  CHECK(root.open("i32").dims() == std::vector<hsize_t>{3, 2});
  CHECK(root.open("i32").read_i64() == std::vector<std::int64_t>{7, -8, 9, 10, 11, 12});
  CHECK(root.open("i64").type() == h5::Type::I64);
  CHECK(root.open("i64").read_i64() == std::vector<std::int64_t>{1LL << 40, -3});
  // A block of rows 1..2, column 1 of the [3 x 2] matrix.
  CHECK(root.open("i32").read_f64_block({1, 1}, {2, 1}) == std::vector<double>{10, 12});
  CHECK(root.open("f64").is_numeric());
  CHECK_FALSE(root.open("f64").is_text());
  CHECK(root.children() == std::vector<std::string>{"f32", "f64", "i32", "i64"});
}

TEST_CASE("datasets filled later: unwritten cells read as the fill value, growing ones append") {
  const auto path = temp_file("fill.h5");
  {
    auto f = h5::File::create(path);
    auto& root = f.root();
    auto d = root.create("m", h5::Type::F64, {2, 3}, -1.0);
    const double row[] = {4, 5, 6};
    d.write_block({1, 0}, {1, 3}, row);
    auto n = root.create("n", h5::Type::I32, {2, 2}, -7.0);
    const std::int32_t cell[] = {3};
    n.write_block({0, 1}, {1, 1}, cell);
    auto g = root.create_growing("grow", h5::Type::I32, -1);
    g.append(std::vector<std::int32_t>{1, 2});
    g.append(std::vector<std::int32_t>{3});
    auto e = root.create_growing("empty", h5::Type::F64);
    (void)e;
    f.close();
  }
  h5::seal(path);
  const auto f = h5::File::open(path);
  CHECK(f.root().open("m").read_f64() == std::vector<double>{-1, -1, -1, 4, 5, 6});
  CHECK(f.root().open("m").fill_value() == -1);
  CHECK(f.root().open("n").read_i64() == std::vector<std::int64_t>{-7, 3, -7, -7});
  CHECK(f.root().open("grow").read_i64() == std::vector<std::int64_t>{1, 2, 3});
  CHECK(f.root().open("grow").fill_value() == -1);
  CHECK(f.root().open("empty").dims() == std::vector<hsize_t>{0});
  CHECK(f.root().open("empty").fill_value() == 0);
}

TEST_CASE("attributes: text, lists, numbers in their stored type, replaced in place") {
  const auto path = temp_file("attrs.h5");
  {
    auto f = h5::File::create(path);
    auto& root = f.root();
    root.set_attr("text", std::string("Grüße, KUBE"));
    root.set_attr("list", std::vector<std::string>{"one", "two words", ""});
    root.set_attr("none", std::vector<std::string>{});
    root.set_attr("real", 2.75);
    root.set_attr("whole", 1234567890123LL);
    root.set_attr("codes", std::vector<std::int32_t>{0, 1, 2});
    auto d = root.write("v", std::vector<std::int32_t>{1}, {1});
    d.set_attr("_FillValue", -1, h5::Type::I32);
    auto x = root.write("x", std::vector<double>{1}, {1});
    x.set_attr("_FillValue", std::numeric_limits<double>::quiet_NaN(), h5::Type::F64);
    root.set_attr("text", std::string("replaced"));  // an attribute set twice keeps the last value
    f.close();
  }
  h5::seal(path);
  const auto f = h5::File::open(path);
  const auto& root = f.root();
  CHECK(root.attr_string("text") == "replaced");
  CHECK(root.attr_strings("list") == std::vector<std::string>{"one", "two words", ""});
  CHECK(root.attr_strings("none").empty());
  CHECK(root.attr_double("real") == 2.75);
  CHECK(root.attr_int("whole") == 1234567890123LL);
  CHECK(root.attr_type("whole") == h5::Type::I64);
  CHECK(root.attr_type("real") == h5::Type::F64);
  CHECK(root.attr_ints("codes") == std::vector<std::int64_t>{0, 1, 2});
  CHECK(root.attr_type("codes") == h5::Type::I32);
  CHECK(root.has_attr("list"));
  CHECK_FALSE(root.has_attr("absent"));
  const auto v = root.open("v");
  CHECK(v.attr_type("_FillValue") == h5::Type::I32);
  CHECK(v.attr_int("_FillValue") == -1);
  const auto x = root.open("x");
  CHECK(x.attr_type("_FillValue") == h5::Type::F64);
  CHECK(std::isnan(x.attr_double("_FillValue")));
  const auto names = root.attr_names();
  for (const char* n : {"text", "list", "none", "real", "whole", "codes"})
    CHECK_MESSAGE(std::find(names.begin(), names.end(), n) != names.end(), n);
  // Missing and mistyped attributes name the object and the attribute.
  const auto missing = input_error([&] { (void)root.attr_string("absent"); });
  CHECK(contains(missing, "attribute 'absent' is missing"));
  CHECK(contains(missing, path.string()));
  CHECK(contains(input_error([&] { (void)root.attr_double("text"); }), "expected one number"));
  CHECK(contains(input_error([&] { (void)root.attr_ints("text"); }), "not a list of whole numbers"));
  CHECK(contains(input_error([&] { (void)root.attr_type("list"); }), "is not a number"));
}

TEST_CASE("text datasets, and dimension scales of numbers and of text") {
  const auto path = temp_file("scales.h5");
  {
    auto f = h5::File::create(path);
    auto g = f.root().create_group("series");
    auto names = g.write("scenario", std::vector<std::string>{"baseline", "training ∆"});
    names.make_scale("scenario");
    auto month = g.write("month", std::vector<std::int32_t>{1, 2, 3}, {3});
    month.make_scale("month");
    auto d = g.write("income", std::vector<double>(6, 1.0), {2, 3});
    d.attach_scale(names, 0);
    d.attach_scale(month, 1);
    g.write("grid", std::vector<std::string>{"a", "b", "c", "d"}, {2, 2});
    f.close();
  }
  h5::seal(path);
  const auto f = h5::File::open(path);
  const auto g = f.root().open_group("series");
  const auto names = g.open("scenario"), month = g.open("month"), income = g.open("income");
  CHECK(names.is_text());
  CHECK_FALSE(names.is_numeric());
  CHECK(names.read_strings() == std::vector<std::string>{"baseline", "training ∆"});
  CHECK(names.is_scale());
  CHECK(names.scale_name() == "scenario");
  CHECK(month.scale_name() == "month");
  CHECK_FALSE(income.is_scale());
  CHECK(income.scale_name().empty());
  CHECK(income.has_scale(names, 0));
  CHECK(income.has_scale(month, 1));
  CHECK_FALSE(income.has_scale(names, 1));
  CHECK(g.open("grid").dims() == std::vector<hsize_t>{2, 2});
  CHECK(g.open("grid").read_strings() == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(f.root().is_group("series"));
  CHECK_FALSE(g.is_group("income"));
  // Text where numbers are expected and the reverse: InputError naming the dataset.
  CHECK(contains(input_error([&] { (void)names.read_f64(); }), "series/scenario: expected numbers"));
  CHECK(contains(input_error([&] { (void)income.read_strings(); }), "series/income: expected text"));
}

TEST_CASE("attach_scales writes what attaching one by one writes, and falls back to it for scales in use") {
  // Two files, the same datasets and scales: attached in one go, and one by one.
  auto build = [](const std::filesystem::path& path, bool at_once) {
    auto f = h5::File::create(path);
    auto g = f.root().create_group("series");
    auto rows = g.write("scenario", std::vector<std::string>{"a", "b"});
    rows.make_scale("scenario");
    auto month = g.write("month", std::vector<std::int32_t>{1, 2, 3}, {3});
    month.make_scale("month");
    std::vector<h5::Dataset> data;
    for (const char* name : {"income", "poverty", "cost"})
      data.push_back(g.write(name, std::vector<double>(6), {2, 3}));
    data.push_back(g.write("cube", std::vector<double>(12), {2, 3, 2}));  // an axis beyond the scales
    if (at_once) {
      h5::attach_scales(data, {&rows, &month});
    } else {
      for (auto& d : data) {
        d.attach_scale(rows, 0);
        d.attach_scale(month, 1);
      }
    }
    // A scale already in use: one by one, inside attach_scales; one scale on both axes too.
    std::vector<h5::Dataset> later;
    later.push_back(g.write("late", std::vector<double>(6), {2, 3}));
    h5::attach_scales(later, {&rows, &month});
    auto square = g.write("pairs", std::vector<std::int32_t>{0, 1}, {2});
    square.make_scale("pair");
    std::vector<h5::Dataset> both;
    both.push_back(g.write("between", std::vector<double>(4), {2, 2}));
    h5::attach_scales(both, {&square, &square});
    f.close();
    h5::seal(path);
  };
  const auto one = temp_file("scales-one.h5"), all = temp_file("scales-all.h5");
  build(one, false);
  build(all, true);
  for (const auto& path : {one, all}) {
    CAPTURE(path.string());
    const auto f = h5::File::open(path);
    const auto g = f.root().open_group("series");
    const auto rows = g.open("scenario"), month = g.open("month");
    for (const char* name : {"income", "poverty", "cost", "cube", "late"}) {
      CAPTURE(name);
      const auto d = g.open(name);
      CHECK(d.has_scale(rows, 0));
      CHECK(d.has_scale(month, 1));
      CHECK_FALSE(d.has_scale(rows, 1));
      CHECK_FALSE(d.has_scale(month, 0));
    }
    CHECK(g.open("between").has_scale(g.open("pairs"), 0));
    CHECK(g.open("between").has_scale(g.open("pairs"), 1));
  }
  // The same attributes, byte for byte as h5dump shows them (object addresses aside).
  auto dump = [](const std::filesystem::path& path) {
    const std::string cmd =
        "h5dump -A " + path.string() + " 2>/dev/null | sed -e '1d' -e 's/DATASET [0-9]* /DATASET /g'";
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      while (const std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
      pclose(p);
    }
    return out;
  };
  const std::string a = dump(one), b = dump(all);
  REQUIRE(a.find("REFERENCE_LIST") != std::string::npos);  // h5dump: hdf5-tools, installed by scripts/setup.sh
  CHECK(a == b);
}

TEST_CASE("a string count that does not fit the shape is refused before anything is written") {
  const auto path = temp_file("shape.h5");
  auto f = h5::File::create(path);
  CHECK_THROWS_AS(f.root().write("s", std::vector<std::string>{"a", "b", "c"}, {2, 2}), std::runtime_error);
  CHECK_FALSE(f.root().exists("s"));
  f.close();
}

TEST_CASE("the seal: written into the 512-byte user block, checked on open") {
  const auto path = sealed_file("sealed.h5");
  {
    std::ifstream in(path, std::ios::binary);
    std::string head(h5::SEAL_BYTES, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    CHECK(head.rfind("berdaya-seal-v1 ", 0) == 0);
  }
  {
    const auto f = h5::File::open(path);
    CHECK(f.root().attr_string("title") == "sealed");
    CHECK(f.root().open_group("g").open("x").read_f64().size() == 6);
  }

  SUBCASE("a flipped byte after the seal is reported as a changed file") {
    const auto copy = temp_file("flipped.h5");
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    {
      std::fstream io(copy, std::ios::binary | std::ios::in | std::ios::out);
      io.seekg(static_cast<std::streamoff>(std::filesystem::file_size(copy) - 10));
      char c = 0;
      io.read(&c, 1);
      io.seekp(static_cast<std::streamoff>(std::filesystem::file_size(copy) - 10));
      c = static_cast<char>(c ^ 0x5a);
      io.write(&c, 1);
    }
    const auto msg = input_error([&] { (void)h5::File::open(copy); });
    CHECK(contains(msg, copy.string()));
    CHECK(contains(msg, "do not match the seal"));
    // --unchecked reads it regardless.
    h5::set_verify_seals(false);
    CHECK_NOTHROW((void)h5::File::open(copy));
    h5::set_verify_seals(true);
  }
  SUBCASE("a flipped bit in the seal's own padding is damage too") {
    const auto copy = temp_file("flipped_pad.h5");
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    for (const std::streamoff at : {std::streamoff{64}, static_cast<std::streamoff>(h5::SEAL_BYTES - 1)}) {
      {
        std::fstream io(copy, std::ios::binary | std::ios::in | std::ios::out);
        io.seekp(at);
        const char c = 0x08;  // the padding is zeros
        io.write(&c, 1);
      }
      CHECK(contains(input_error([&] { (void)h5::File::open(copy); }), "do not match the seal"));
      std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    }
  }
  SUBCASE("a truncated file says how many bytes are missing") {
    const auto copy = temp_file("short.h5");
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    const auto size = std::filesystem::file_size(copy);
    std::filesystem::resize_file(copy, size - 100);
    const auto msg = input_error([&] { (void)h5::File::open(copy); });
    CHECK(contains(msg, "truncated"));
    CHECK(contains(msg, std::to_string(size - 100) + " bytes where " + std::to_string(size)));
  }
  SUBCASE("an HDF5 file without a seal is refused, and read with --unchecked") {
    const auto bare = temp_file("bare.h5");
    {
      auto f = h5::File::create(bare);
      f.root().set_attr("title", std::string("unsealed"));
      f.close();
    }
    CHECK(contains(input_error([&] { (void)h5::File::open(bare); }), "without berdaya's seal"));
    h5::set_verify_seals(false);
    CHECK(h5::File::open(bare).root().attr_string("title") == "unsealed");
    h5::set_verify_seals(true);
  }
  SUBCASE("edited and sealed again, a file opens") {
    const auto copy = temp_file("edited.h5");
    std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
    {
      auto f = h5::File::open_for_edit(copy);
      f.root().set_attr("title", std::string("edited"));
      f.root().open_group("g").remove("names");
      f.close();
    }
    CHECK(contains(input_error([&] { (void)h5::File::open(copy); }), "do not match the seal"));
    h5::seal(copy);
    const auto f = h5::File::open(copy);
    CHECK(f.root().attr_string("title") == "edited");
    CHECK_FALSE(f.root().open_group("g").exists("names"));
  }
}

TEST_CASE("a check passed under a CheckOnce is not made again on the unchanged file, and only while it lives") {
  const auto path = sealed_file("once.h5");
  h5::remember_checked(path, "seal");  // outside any CheckOnce: not kept
  CHECK_FALSE(h5::checked_before(path, "seal"));
  {
    const h5::CheckOnce once;
    CHECK_FALSE(h5::checked_before(path, "seal"));
    (void)h5::File::open(path);
    CHECK(h5::checked_before(path, "seal"));
    CHECK_FALSE(h5::checked_before(path, "result layout"));  // each check by its name
    {
      const h5::CheckOnce nested;
      CHECK(h5::checked_before(path, "seal"));
    }
    CHECK(h5::checked_before(path, "seal"));  // the outer one still lives
    // Changed (here longer), it is another file: checked again, and found damaged.
    {
      std::ofstream out(path, std::ios::binary | std::ios::app);
      out << "tail";
    }
    CHECK_FALSE(h5::checked_before(path, "seal"));
    CHECK(contains(input_error([&] { (void)h5::File::open(path); }), "do not match the seal"));
  }
  const auto again = sealed_file("once-again.h5");
  {
    const h5::CheckOnce once;
    (void)h5::File::open(again);
    CHECK(h5::checked_before(again, "seal"));
  }
  const h5::CheckOnce later;  // what the last one remembered went with it
  CHECK_FALSE(h5::checked_before(again, "seal"));
}

TEST_CASE("files that are missing or not HDF5, and objects that are not there") {
  CHECK(contains(input_error([] { (void)h5::File::open(temp_file("nowhere.h5")); }), "file not found"));
  const auto text = temp_file("text.h5");
  std::ofstream(text) << "not an HDF5 file at all\n";
  CHECK(contains(input_error([&] { (void)h5::File::open(text); }), "not an HDF5 file"));
  CHECK(contains(input_error([] { (void)h5::File::create("/nonexistent-folder/x.h5"); }),
                 "cannot create the output file"));
  const auto f = h5::File::open(sealed_file("objects.h5"));
  CHECK(contains(input_error([&] { (void)f.root().open_group("nothing"); }), "group 'nothing' is missing"));
  CHECK(contains(input_error([&] { (void)f.root().open("nothing"); }), "dataset 'nothing' is missing"));
  CHECK(contains(input_error([&] { (void)f.root().open("g"); }), "is not a dataset"));
  CHECK(contains(input_error([&] { (void)f.root().open_group("g").open_group("x"); }), "is not a group"));
}

TEST_CASE("the library version reads as three numbers") {
  const auto v = h5::library_version();
  CHECK(std::count(v.begin(), v.end(), '.') == 2);
  CHECK(v.find_first_not_of("0123456789.") == std::string::npos);
}
