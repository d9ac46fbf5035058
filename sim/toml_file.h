// One TOML input file (an experiment or calibration file) read whole, with located
// messages: every error names file:line:column, what is wrong and the fix. The readers of
// the file kinds check their keys through it.
#pragma once
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/config.h"
#include "sim/error.h"
#include "sim/output.h"
#include "sim/params.h"

namespace sim {

class TomlFile {
 public:
  // `what` names the file's kind in messages, e.g. "comparison file".
  TomlFile(const std::filesystem::path& file, const std::string& what) : file_(file.string()) {
    text_ = read_text_file(file, MAX_SCENARIO_BYTES, what);
    try {
      tbl_ = toml::parse(text_, file_);
    } catch (const toml::parse_error& e) {
      throw InputError(located(file_, static_cast<long>(e.source().begin.line),
                               static_cast<long>(e.source().begin.column),
                               "malformed TOML: " + std::string(e.description()) +
                                   ". Fix the syntax at this place (strings need quotes, lists are written [a, b])."));
    }
  }
  const toml::table& table() const { return tbl_; }
  const std::string& text() const { return text_; }
  const std::string& file() const { return file_; }

  std::string at(const toml::node& n) const {
    std::string s =
        located(file_, static_cast<long>(n.source().begin.line), static_cast<long>(n.source().begin.column), "");
    if (s.size() >= 2) s.resize(s.size() - 2);
    return s;
  }
  // The place of a table: its key `key`, or the table, or the file.
  std::string at(const toml::table& t, const std::string& key) const {
    if (const auto* n = t.get(key)) return at(*n);
    if (t.source().begin.line > 0) return at(static_cast<const toml::node&>(t));
    return file_;
  }

  void only(const toml::table& t, const std::vector<std::string>& allowed, const std::string& what) const {
    for (auto&& [k, node] : t) {
      const std::string key(k.str());
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string msg = at(node) + ": unknown key '" + shorten(key) + "' in " + what + ".";
      const std::string near = nearest(key, allowed);
      if (!near.empty()) msg += " Did you mean '" + near + "'?";
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw InputError(msg + " Valid keys: " + list + ".");
    }
  }

  // A string; "" when absent and not required. A missing required key is named at `where`
  // (by default the file).
  std::string text_of(const toml::table& t, const std::string& key, bool required, const std::string& where,
                      const std::string& fix) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) throw InputError(where + ": '" + key + "' is missing. " + fix);
      return "";
    }
    auto v = n->value_exact<std::string>();
    if (!v) throw InputError(at(*n) + ": " + key + " must be a string in quotes. " + fix);
    return *v;
  }
  std::string text_of(const toml::table& t, const std::string& key, bool required, const std::string& fix) const {
    return text_of(t, key, required, file_, fix);
  }

  long long int_of(const toml::table& t, const std::string& key, long long fallback, long long lo, long long hi) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    auto v = n->value_exact<int64_t>();
    if (!v)
      throw InputError(at(*n) + ": " + key + " must be a whole number, e.g. " + key + " = " + std::to_string(lo) + ".");
    if (*v < lo || *v > hi)
      throw InputError(at(*n) + ": " + key + " = " + std::to_string(*v) + " is out of range [" + std::to_string(lo) +
                       ", " + std::to_string(hi) + "]. Choose a value inside it.");
    return *v;
  }

  // A finite number (integers are taken as numbers).
  double num(const toml::node& n, const std::string& key) const {
    if (auto v = n.value_exact<int64_t>()) return static_cast<double>(*v);
    if (auto v = n.value_exact<double>()) {
      if (!std::isfinite(*v)) throw InputError(at(n) + ": " + key + " must be a finite number.");
      return *v;
    }
    throw InputError(at(n) + ": " + key + " must be a number, e.g. " + key + " = 0.5.");
  }
  // A number in [lo, hi] (open at the low end with `open_lo`), or `fallback` when absent.
  double num_of(const toml::table& t, const std::string& key, double fallback, double lo, double hi,
                bool open_lo = false) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    const double v = num(*n, key);
    if (v < lo || v > hi || (open_lo && v == lo))
      throw InputError(at(*n) + ": " + key + " = " + format_number(v) + " is outside " + (open_lo ? "(" : "[") +
                       format_number(lo) + ", " + format_number(hi) + "]. Choose a value inside it.");
    return v;
  }

 private:
  std::string file_, text_;
  toml::table tbl_;
};

}  // namespace sim
