// A generic parameter table: what a model declares about each of its parameters (name,
// kind, default, unit, valid range, description, source), and values bound to names
// with the place they came from. The engine validates values against the table; the
// model binds them to its own typed structure.
#pragma once
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace sim {

enum class Kind { Real, Integer, Boolean, Choice, Text };

// Integers are held as long long, choices and text as std::string.
using Value = std::variant<double, long long, bool, std::string>;

struct ParamSpec {
  std::string name;  // dotted: "section.key"
  Kind kind = Kind::Real;
  Value default_value;
  double min = 0;  // inclusive bounds for Real and Integer
  double max = 0;
  std::vector<std::string> options;  // for Choice
  std::string unit;
  std::string description;
  std::string source;  // literature source and confidence, or "assumption"
};

struct Setting {
  Value value;
  std::string file;  // or "command line"
  long line = 0;
  long column = 0;
};

// A scenario after `extends` chains are merged: the values set anywhere in the chain,
// each with its origin, over the table's defaults.
// A text in both languages the reports speak: Indonesian and English. A scenario written
// with a plain string has the same text in both.
struct Wording {
  std::string id, en;
  bool empty() const { return id.empty() && en.empty(); }
  // The text in `lang` ("id" or "en"), else the other language's.
  const std::string& in(const std::string& lang) const {
    const std::string& mine = lang == "en" ? en : id;
    return mine.empty() ? (lang == "en" ? id : en) : mine;
  }
};

struct Resolved {
  std::string name;
  std::string description;         // the English text where the scenario has both (the one results and summaries carry)
  Wording title, about;            // the scenario's title and description as the reports show them
  std::string model;               // the program model's name (sim/model.h)
  std::vector<std::string> files;  // the chain, most derived first
  std::map<std::string, Setting> settings;

  const Value& get(const std::vector<ParamSpec>& table, const std::string& name) const;
};

const ParamSpec* find_spec(const std::vector<ParamSpec>& table, const std::string& name);
std::string kind_name(Kind kind);
std::string format_value(const Value& v);
std::string format_number(double v);

// Checks a value against its spec and returns it in canonical form (integers given for
// a Real become doubles). Throws InputError naming `where`, the value and the valid range.
Value check_value(const ParamSpec& spec, const Value& v, const std::string& where);

// Sets a value from the command line ("--seed 7"), validated like a file value.
void set_from_command_line(Resolved& r, const std::vector<ParamSpec>& table, const std::string& name, const Value& v,
                           const std::string& flag);

// The whole resolved scenario as TOML text, every parameter written out: stored in each
// result file so a run can be repeated from the file alone.
std::string resolved_toml(const Resolved& r, const std::vector<ParamSpec>& table);

// The title and description of a resolved scenario text (resolved_toml), for the reports;
// empty where it has none or is not TOML.
struct ScenarioWording {
  Wording title, about;
};
ScenarioWording scenario_wording(const std::string& resolved_toml);

}  // namespace sim
