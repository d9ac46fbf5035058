#include "sim/config.h"

#include <toml++/toml.h>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/error.h"
#include "sim/output.h"

namespace sim {
namespace fs = std::filesystem;

namespace {

// Keys a scenario file may have outside a section.
const std::vector<std::string> TOP_LEVEL = {"name", "title", "description", "model", "extends"};

// A scenario's name labels its results and names its default output file, so it must be
// a plain file name: no folders, no control characters, not hidden.
void check_name(const std::string& name, const std::string& at) {
  const auto bad = [&](const std::string& why) {
    throw InputError(at + ": name = \"" + shorten(name, 40) + "\" " + why +
                     ". Use letters, digits, spaces, '-', '_' or '.', e.g. name = \"kota-batu-training\".");
  };
  if (name.empty()) bad("is empty");
  if (name.size() > 100) bad("is longer than 100 characters");
  if (name.front() == '.' || name.front() == ' ') bad("starts with '" + name.substr(0, 1) + "'");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' ||
        c == '>' || c == '|')
      bad("holds a character a file name cannot have");
}

void check_description(const std::string& text, const std::string& at) {
  if (text.size() > 10000) throw InputError(at + ": description is longer than 10,000 characters. Shorten it.");
  for (unsigned char c : text)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      throw InputError(at + ": description holds a control character. Remove it (line breaks and tabs are fine).");
}

std::string where(const std::string& file, const toml::source_region& src) {
  return located(file, static_cast<long>(src.begin.line), static_cast<long>(src.begin.column), "");
}

std::string trim_colon(std::string s) {
  // located() ends with ": "; check_value adds its own.
  if (s.size() >= 2 && s.compare(s.size() - 2, 2, ": ") == 0) s.resize(s.size() - 2);
  return s;
}

// A title or description: a plain string (the same in both languages) or a table of the
// languages, key.id and key.en, each a string.
Wording wording(const toml::node& node, const std::string& key, const std::string& origin, const std::string& at) {
  const std::string example = key + ".id = \"...\" and " + key + ".en = \"...\"";
  if (auto s = node.value_exact<std::string>()) {
    check_description(*s, at);
    if (key == "title" && s->size() > 120)
      throw InputError(at + ": title is longer than 120 characters: a title heads a table row. Shorten it.");
    return Wording{*s, *s};
  }
  const auto* t = node.as_table();
  if (!t) throw InputError(at + ": " + key + " must be a string in quotes, or both languages: " + example + ".");
  Wording w;
  for (auto&& [k, v] : *t) {
    const std::string lang(k.str());
    const std::string here = trim_colon(where(origin, k.source()));
    if (lang != "id" && lang != "en")
      throw InputError(here + ": " + key + "." + shorten(lang) + " is not a language berdaya speaks. Write " + example +
                       " (Indonesian, English).");
    auto s = v.value_exact<std::string>();
    if (!s) throw InputError(here + ": " + key + "." + lang + " must be a string in quotes.");
    check_description(*s, here);
    if (key == "title" && s->size() > 120)
      throw InputError(here + ": " + key + "." + lang +
                       " is longer than 120 characters: a title heads a table row. "
                       "Shorten it and say more in description." +
                       lang + ".");
    (lang == "id" ? w.id : w.en) = *s;
  }
  if (w.id.empty() || w.en.empty())
    throw InputError(at + ": " + key + " gives " +
                     (w.id.empty() ? "no Indonesian (" + key + ".id)" : "no English (" + key + ".en)") +
                     " text. Give both: " + example + ".");
  return w;
}

std::vector<std::string> names_of(const std::vector<ParamSpec>& table) {
  std::vector<std::string> out;
  for (const auto& s : table) out.push_back(s.name);
  return out;
}

std::vector<std::string> sections_of(const std::vector<ParamSpec>& table) {
  std::vector<std::string> out;
  for (const auto& s : table) {
    const std::string sec = s.name.substr(0, s.name.find('.'));
    if (out.empty() || out.back() != sec) out.push_back(sec);
  }
  return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

Value to_value(const toml::node& node, const std::string& file, const std::string& key) {
  if (auto v = node.value_exact<int64_t>()) return static_cast<long long>(*v);
  if (auto v = node.value_exact<double>()) return *v;
  if (auto v = node.value_exact<bool>()) return *v;
  if (auto v = node.value_exact<std::string>()) return *v;
  throw InputError(located(file, static_cast<long>(node.source().begin.line),
                           static_cast<long>(node.source().begin.column),
                           key + " has a value of an unsupported type (arrays, tables and dates are not "
                                 "parameters). Give a number, a boolean or a string."));
}

std::string unknown_key_message(const std::string& key, const std::vector<ParamSpec>& table) {
  std::string msg = "unknown key '" + shorten(key) + "'.";
  const std::string near = nearest(key, names_of(table));
  if (!near.empty()) msg += " Did you mean '" + near + "'?";
  const std::string sec = key.substr(0, key.find('.'));
  std::vector<std::string> in_section;
  for (const auto& s : table)
    if (s.name.substr(0, s.name.find('.')) == sec) in_section.push_back(s.name.substr(s.name.find('.') + 1));
  if (!in_section.empty())
    msg += " Valid keys in [" + sec + "]: " + join(in_section) + ".";
  else
    msg += " Valid sections: " + join(sections_of(table)) + ".";
  msg += " Run 'berdaya params' for the full list.";
  return msg;
}

class Loader {
 public:
  explicit Loader(const std::vector<ParamSpec>& table) : table_(table) {}

  void load_file(const fs::path& file, Resolved& out, const std::string& referrer) {
    const std::string place = referrer.empty() ? shorten(file.string(), 200) : referrer;
    std::error_code ec;
    fs::path canon = fs::weakly_canonical(file, ec);
    if (ec) {
      // A path the system cannot resolve: too long, a symbolic-link loop, no permission.
      if (ec != std::errc::no_such_file_or_directory)
        throw InputError(place + ": scenario file '" + shorten(file.string(), 200) +
                         "' cannot be opened: " + ec.message() + ". Check the path.");
      canon = file;
    }
    const auto st = fs::status(file, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
      throw InputError(place + ": scenario file '" + shorten(file.string(), 200) +
                       "' cannot be opened: " + ec.message() + ". Check the path.");
    if (!fs::exists(st)) {
      throw InputError(place + ": scenario file '" + shorten(file.string(), 200) + "' not found. Check the path" +
                       (referrer.empty() ? " (relative paths start at the current directory)."
                                         : " (an extends path is relative to the file that names it)."));
    }
    if (stack_.size() >= MAX_EXTENDS_DEPTH)
      throw InputError(place + ": extends chain deeper than " + std::to_string(MAX_EXTENDS_DEPTH) +
                       " files. Extend a scenario nearer the base instead.");
    for (const auto& f : stack_) {
      if (f == canon) {
        std::string chain;
        for (const auto& g : stack_) chain += g.filename().string() + " -> ";
        chain += canon.filename().string();
        throw InputError(referrer + ": extends cycle: " + chain + ". Remove the extends that closes the loop.");
      }
    }
    std::string text;
    try {
      text = read_text_file(file, MAX_SCENARIO_BYTES, "scenario file");
    } catch (const InputError& e) {
      throw InputError(referrer.empty() ? std::string(e.what()) : referrer + ": " + e.what());
    }
    stack_.push_back(canon);
    load_text(text, file.string(), file.parent_path(), out);
    stack_.pop_back();
  }

  void load_text(const std::string& text, const std::string& origin, const fs::path& dir, Resolved& out) {
    toml::table tbl;
    try {
      tbl = toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
      throw InputError(located(origin, static_cast<long>(e.source().begin.line),
                               static_cast<long>(e.source().begin.column),
                               "malformed TOML: " + std::string(e.description()) +
                                   ". Fix the syntax at this place (strings need quotes, tables "
                                   "are written [section])."));
    }
    // The base first, so this file's values override it.
    if (auto* ext = tbl.get("extends")) {
      auto path = ext->value_exact<std::string>();
      if (!path)
        throw InputError(trim_colon(where(origin, ext->source())) +
                         ": extends must be a string: the path of the base scenario file.");
      load_file(dir / *path, out, trim_colon(where(origin, ext->source())));
    }
    if (out.files.empty() || out.files.front() != origin) out.files.insert(out.files.begin(), origin);
    for (auto&& [k, node] : tbl) {
      const std::string key(k.str());
      const std::string at = trim_colon(where(origin, k.source()));
      if (key == "extends") continue;
      if (key == "model") {
        auto m = node.value_exact<std::string>();
        if (!m) throw InputError(at + ": model must be a string in quotes, e.g. model = \"kube\".");
        // A scenario extends only scenarios of its own model.
        if (!out.model.empty() && out.model != *m)
          throw InputError(at + ": model = \"" + shorten(*m, 40) + "\", but the scenario it extends is of model \"" +
                           out.model + "\". A scenario extends only scenarios of its own model.");
        out.model = *m;
        continue;
      }
      if (key == "title" || (key == "description" && node.is_table())) {
        const Wording w = wording(node, key, origin, at);
        // A base file's title and description do not leak into the scenario extending it.
        if (stack_.size() <= 1) {
          if (key == "title") {
            out.title = w;
          } else {
            out.about = w;
            out.description = w.en.empty() ? w.id : w.en;
          }
        }
        continue;
      }
      if (key == "name" || key == "description") {
        auto s = node.value_exact<std::string>();
        if (!s)
          throw InputError(at + ": " + key + " must be a string in quotes" +
                           (key == "description" ? " or a table of both languages, description.id = \"...\" and "
                                                   "description.en = \"...\"."
                                                 : "."));
        if (key == "name")
          check_name(*s, at);
        else
          check_description(*s, at);
        // A base file's name and description do not leak into the scenario extending it.
        if (stack_.size() <= 1) {
          if (key == "name") {
            out.name = *s;
          } else {
            out.description = *s;
            out.about = Wording{*s, *s};
          }
        }
        continue;
      }
      const auto* sub = node.as_table();
      if (!sub) {
        std::string msg = at + ": unknown top-level key '" + shorten(key) + "'. A scenario has " + join(TOP_LEVEL) +
                          " at the top and parameters inside sections such as [" + sections_of(table_).front() + "].";
        const std::string near = nearest(key, names_of(table_));
        if (!near.empty())
          msg += " Did you mean '" + near + "' (write it under [" + near.substr(0, near.find('.')) + "])?";
        throw InputError(msg);
      }
      for (auto&& [k2, node2] : *sub) {
        const std::string name = key + "." + std::string(k2.str());
        const std::string at2 = trim_colon(where(origin, k2.source()));
        const ParamSpec* spec = find_spec(table_, name);
        if (!spec) throw InputError(at2 + ": " + unknown_key_message(name, table_));
        Value v = check_value(*spec, to_value(node2, origin, name), at2);
        out.settings[name] = Setting{std::move(v), origin, static_cast<long>(k2.source().begin.line),
                                     static_cast<long>(k2.source().begin.column)};
      }
    }
  }

 private:
  const std::vector<ParamSpec>& table_;
  std::vector<fs::path> stack_;
};

}  // namespace

Resolved load_scenario(const fs::path& file, const std::vector<ParamSpec>& table) {
  Resolved out;
  try {
    Loader(table).load_file(file, out, "");
  } catch (const fs::filesystem_error& e) {
    throw InputError(shorten(file.string(), 200) + ": cannot be read: " + e.code().message() + ". Check the path.");
  }
  if (out.name.empty()) {
    out.name = file.stem().string();
    check_name(out.name, shorten(file.string(), 200) + " (no name given, so the file name is used)");
  }
  return out;
}

Resolved load_scenario_text(const std::string& text, const std::string& origin, const fs::path& base_dir,
                            const std::vector<ParamSpec>& table) {
  Resolved out;
  Loader(table).load_text(text, origin, base_dir, out);
  if (out.name.empty()) out.name = origin;
  return out;
}

ScenarioWording scenario_wording(const std::string& resolved) {
  ScenarioWording out;
  toml::table t;
  try {
    t = toml::parse(resolved);
  } catch (const toml::parse_error&) {
    return out;
  }
  auto read = [&](const char* key, Wording& w) {
    if (auto s = t[key].value_exact<std::string>()) {
      w = Wording{*s, *s};
      return;
    }
    w.id = t[key]["id"].value_or(std::string());
    w.en = t[key]["en"].value_or(std::string());
  };
  read("title", out.title);
  read("description", out.about);
  return out;
}

}  // namespace sim
