#include "sim/params.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "sim/error.h"

namespace sim {

const ParamSpec* find_spec(const std::vector<ParamSpec>& table, const std::string& name) {
  for (const auto& s : table)
    if (s.name == name) return &s;
  return nullptr;
}

const Value& Resolved::get(const std::vector<ParamSpec>& table, const std::string& key) const {
  if (auto it = settings.find(key); it != settings.end()) return it->second.value;
  if (const auto* spec = find_spec(table, key)) return spec->default_value;
  throw std::logic_error("no parameter named " + key);
}

std::string kind_name(Kind kind) {
  switch (kind) {
    case Kind::Real: return "number";
    case Kind::Integer: return "integer";
    case Kind::Boolean: return "boolean";
    case Kind::Choice: return "choice";
    case Kind::Text: return "string";
  }
  return "?";
}

std::string format_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    std::ostringstream o;
    o << static_cast<long long>(v);
    return o.str();
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

namespace {
// A TOML basic string that parses back to exactly `s`: quotes, backslashes and every
// control character escaped.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}
std::string format_toml(const Value& v) {
  if (const auto* d = std::get_if<double>(&v)) {
    std::string s = format_number(*d);
    if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // keep it a float in TOML
    return s;
  }
  if (const auto* s = std::get_if<std::string>(&v)) return quote(*s);
  return format_value(v);
}
std::string range_text(const ParamSpec& spec) {
  return "[" + format_number(spec.min) + ", " + format_number(spec.max) + "]";
}
}  // namespace

std::string format_value(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, double>)
          return format_number(x);
        else if constexpr (std::is_same_v<T, long long>)
          return std::to_string(x);
        else if constexpr (std::is_same_v<T, bool>)
          return x ? "true" : "false";
        else
          return x;
      },
      v);
}

Value check_value(const ParamSpec& spec, const Value& v, const std::string& where) {
  auto fail = [&](const std::string& what) { throw InputError(where + ": " + spec.name + " " + what); };
  auto given_kind = [&]() -> std::string {
    if (std::holds_alternative<double>(v)) return "a number (" + format_value(v) + ")";
    if (std::holds_alternative<long long>(v)) return "an integer (" + format_value(v) + ")";
    if (std::holds_alternative<bool>(v)) return "a boolean (" + format_value(v) + ")";
    return "a string (\"" + shorten(format_value(v)) + "\")";
  };
  switch (spec.kind) {
    case Kind::Real: {
      double x = 0;
      if (const auto* d = std::get_if<double>(&v))
        x = *d;
      else if (const auto* i = std::get_if<long long>(&v))
        x = static_cast<double>(*i);
      else
        fail("must be a number, got " + given_kind() + ". Write it without quotes, e.g. " +
             spec.name.substr(spec.name.rfind('.') + 1) + " = " + format_value(spec.default_value));
      if (!std::isfinite(x) || x < spec.min || x > spec.max)
        fail("= " + format_number(x) + " is out of range " + range_text(spec) + " (" + spec.unit +
             "). Use a value in that range.");
      return x;
    }
    case Kind::Integer: {
      long long x = 0;
      if (const auto* i = std::get_if<long long>(&v))
        x = *i;
      else if (const auto* d = std::get_if<double>(&v); d && std::floor(*d) == *d && std::fabs(*d) < 9e15)
        x = static_cast<long long>(*d);
      else
        fail("must be a whole number, got " + given_kind() + ". Write e.g. " +
             spec.name.substr(spec.name.rfind('.') + 1) + " = " + format_value(spec.default_value));
      if (static_cast<double>(x) < spec.min || static_cast<double>(x) > spec.max)
        fail("= " + std::to_string(x) + " is out of range " + range_text(spec) + " (" + spec.unit +
             "). Use a value in that range.");
      return x;
    }
    case Kind::Boolean:
      if (!std::holds_alternative<bool>(v)) fail("must be true or false, got " + given_kind() + ".");
      return v;
    case Kind::Choice: {
      const auto* s = std::get_if<std::string>(&v);
      std::string opts;
      for (const auto& o : spec.options) opts += (opts.empty() ? "\"" : ", \"") + o + "\"";
      if (!s) fail("must be one of " + opts + ", got " + given_kind() + ".");
      for (const auto& o : spec.options)
        if (o == *s) return v;
      fail("= \"" + shorten(*s) + "\" is not a valid choice. Use one of " + opts + ".");
    }
      [[fallthrough]];
    case Kind::Text: {
      const auto* s = std::get_if<std::string>(&v);
      if (!s) fail("must be a string in quotes, got " + given_kind() + ".");
      if (s->size() > 4096) fail("is longer than 4,096 characters. Shorten it.");
      for (unsigned char c : *s)
        if (c < 0x20 || c == 0x7f) fail("holds a control character. Remove it.");
      return v;
    }
  }
  return v;
}

void set_from_command_line(Resolved& r, const std::vector<ParamSpec>& table, const std::string& name, const Value& v,
                           const std::string& flag) {
  const ParamSpec* spec = find_spec(table, name);
  if (!spec) throw std::logic_error("no parameter named " + name);
  // A flag is reported as the command line; an experiment file or sweep point by name.
  const bool is_flag = flag.rfind("--", 0) == 0;
  Setting s{check_value(*spec, v, is_flag ? "command line option " + flag : flag), is_flag ? "command line" : flag, 0,
            0};
  r.settings[name] = s;
}

std::string resolved_toml(const Resolved& r, const std::vector<ParamSpec>& table) {
  std::ostringstream o;
  o << "# Resolved scenario: every parameter, after extends and command-line options.\n";
  o << "name = " << quote(r.name) << "\n";
  for (const auto& [key, w] : {std::pair<const char*, const Wording*>{"title", &r.title}, {"description", &r.about}})
    if (!w->empty()) {
      o << key << ".id = " << quote(w->id) << "\n";
      o << key << ".en = " << quote(w->en) << "\n";
    }
  if (r.about.empty() && !r.description.empty()) o << "description = " << quote(r.description) << "\n";
  if (!r.model.empty()) o << "model = " << quote(r.model) << "\n";
  std::string section;
  for (const auto& spec : table) {
    const auto dot = spec.name.find('.');
    const std::string sec = spec.name.substr(0, dot);
    if (sec != section) {
      o << "\n[" << sec << "]\n";
      section = sec;
    }
    Value v = r.get(table, spec.name);
    // A path is relative to the file that set it: stored resolved, so the scenario text
    // runs the same from anywhere.
    if (auto it = r.settings.find(spec.name);
        spec.kind == Kind::Text && spec.unit == "path" && it != r.settings.end() && it->second.file != "command line") {
      const auto& s = std::get<std::string>(v);
      if (!s.empty())
        v = std::filesystem::absolute(std::filesystem::path(it->second.file).parent_path() / s)
                .lexically_normal()
                .string();
    }
    o << spec.name.substr(dot + 1) << " = " << format_toml(v) << "\n";
  }
  return o.str();
}

}  // namespace sim
