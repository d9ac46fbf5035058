// The parameter table's sources and the model description against docs/sources.md, and
// every default docs/ODD.md quotes against the table, so neither document can drift
// from the code.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "helpers.h"
#include "models/kube/params.h"

namespace {

std::string read_doc(const std::string& name) {
  std::ifstream in(test::source_dir() / "docs" / name);
  REQUIRE_MESSAGE(in, "cannot read docs/" << name);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Keys cited as [key]: lower-case letters, digits and hyphens. A bracket followed by '('
// is a Markdown link, not a citation.
std::set<std::string> cited_keys(const std::string& text) {
  static const std::regex key(R"(\[([a-z0-9][a-z0-9-]*)\](?!\())");
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), key), end; it != end; ++it) out.insert((*it)[1].str());
  return out;
}

// The prose of a Markdown text: fenced code blocks and inline code left out, so TOML
// tables such as [method] in an example are not read as citations.
std::string prose(const std::string& text) {
  static const std::regex fenced("```[\\s\\S]*?```"), inline_code("`[^`\\n]*`");
  return std::regex_replace(std::regex_replace(text, fenced, ""), inline_code, "");
}

struct Entry {
  std::set<std::string> used_for;  // parameters named in the entry's "Used for" item
};

// Entries are "### [key]" headings; an entry's "- **Used for**:" item runs to the next
// item or heading.
std::map<std::string, Entry> source_entries() {
  static const std::regex heading(R"(^### \[([a-z0-9][a-z0-9-]*)\]\s*$)");
  static const std::regex param(R"(`([a-z_]+\.[a-z0-9_]+)`)");
  std::map<std::string, Entry> out;
  std::istringstream in(read_doc("sources.md"));
  std::string line, current;
  bool in_used_for = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, heading)) {
      current = m[1].str();
      CHECK_MESSAGE(!out.count(current), "docs/sources.md defines [" << current << "] twice");
      out[current];
      in_used_for = false;
      continue;
    }
    if (line.rfind("#", 0) == 0 || line.rfind("- **", 0) == 0) in_used_for = line.rfind("- **Used for**", 0) == 0;
    if (in_used_for && !current.empty())
      for (std::sregex_iterator it(line.begin(), line.end(), param), end; it != end; ++it)
        out[current].used_for.insert((*it)[1].str());
  }
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ", ") + x;
  return out;
}

}  // namespace

TEST_CASE("every parameter's source cites entries of docs/sources.md and ends with a confidence") {
  const auto entries = source_entries();
  REQUIRE(entries.size() > 20);
  for (const auto& s : kube::param_table()) {
    const auto keys = cited_keys(s.source);
    CHECK_MESSAGE(!keys.empty(), s.name << ": the source \"" << s.source << "\" cites no [key] of docs/sources.md");
    for (const auto& k : keys)
      CHECK_MESSAGE(entries.count(k), s.name << " cites [" << k << "], which docs/sources.md does not define");
    const bool confidence = s.source.size() >= 4 &&
                            (s.source.ends_with(" (H)") || s.source.ends_with(" (M)") || s.source.ends_with(" (L)"));
    CHECK_MESSAGE(confidence, s.name << ": the source \"" << s.source << "\" does not end with (H), (M) or (L)");
    // Readers of the repository do not have the project's specification.
    CHECK_MESSAGE(s.source.find("MODEL.md") == std::string::npos, s.name << " cites MODEL.md");
  }
}

TEST_CASE("every entry of docs/sources.md is cited, and its Used for list names exactly the parameters citing it") {
  const auto entries = source_entries();
  std::map<std::string, std::set<std::string>> citing;  // key -> parameters
  for (const auto& s : kube::param_table())
    for (const auto& k : cited_keys(s.source)) citing[k].insert(s.name);
  const auto odd = cited_keys(read_doc("ODD.md"));
  // The calibration method's references are cited by docs/calibration.md.
  const auto methods = cited_keys(prose(read_doc("calibration.md")));
  for (const auto& [key_, entry] : entries) {
    const std::string& key = key_;  // a plain reference: clang 14 cannot capture a binding in CHECK_MESSAGE
    CHECK_MESSAGE((citing.count(key) || odd.count(key) || methods.count(key)),
                  "[" << key
                      << "] is defined in docs/sources.md but cited by no parameter and not in docs/ODD.md "
                         "or docs/calibration.md");
    if (entry.used_for.empty()) continue;
    const auto& actual = citing[key];
    std::set<std::string> listed_only, citing_only;
    for (const auto& p : entry.used_for)
      if (!actual.count(p)) listed_only.insert(p);
    for (const auto& p : actual)
      if (!entry.used_for.count(p)) citing_only.insert(p);
    CHECK_MESSAGE(listed_only.empty(),
                  "[" << key << "] lists under Used for parameters that do not cite it: " << join(listed_only));
    CHECK_MESSAGE(citing_only.empty(),
                  "[" << key << "] is cited by parameters its Used for does not list: " << join(citing_only));
  }
}

TEST_CASE("docs/ODD.md cites only keys that docs/sources.md defines") {
  const auto entries = source_entries();
  for (const auto& k : cited_keys(read_doc("ODD.md")))
    CHECK_MESSAGE(entries.count(k), "docs/ODD.md cites [" << k << "], which docs/sources.md does not define");
  for (const auto& k : cited_keys(prose(read_doc("calibration.md"))))
    CHECK_MESSAGE(entries.count(k), "docs/calibration.md cites [" << k << "], which docs/sources.md does not define");
}

TEST_CASE("every default docs/ODD.md quotes as `section.key` = value is the table's default") {
  const std::string odd = read_doc("ODD.md");
  static const std::regex quote(
      R"re(`([a-z_]+\.[a-z0-9_]+)` = ("[^"]*"|true|false|-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?))re");
  int quotes = 0;
  for (std::sregex_iterator it(odd.begin(), odd.end(), quote), end; it != end; ++it) {
    ++quotes;
    const std::string name = (*it)[1].str(), text = (*it)[2].str();
    const auto* spec = sim::find_spec(kube::param_table(), name);
    REQUIRE_MESSAGE(spec, "docs/ODD.md quotes " << name << ", which is not a parameter");
    switch (spec->kind) {
      case sim::Kind::Real:
      case sim::Kind::Integer: {
        const double want = spec->kind == sim::Kind::Real
                                ? std::get<double>(spec->default_value)
                                : static_cast<double>(std::get<long long>(spec->default_value));
        const bool number = text.front() == '-' || std::isdigit(static_cast<unsigned char>(text.front()));
        CHECK_MESSAGE(number, "docs/ODD.md: " << name << " = " << text << " is not a number");
        if (number) {
          const double got = std::stod(text);
          CHECK_MESSAGE(std::abs(got - want) <= 1e-12 * std::max(1.0, std::abs(want)),
                        "docs/ODD.md quotes " << name << " = " << text << "; the table's default is "
                                              << sim::format_value(spec->default_value));
        }
        break;
      }
      case sim::Kind::Boolean:
        CHECK_MESSAGE(text == (std::get<bool>(spec->default_value) ? "true" : "false"),
                      "docs/ODD.md quotes " << name << " = " << text << "; the table's default is "
                                            << sim::format_value(spec->default_value));
        break;
      case sim::Kind::Choice:
      case sim::Kind::Text:
        CHECK_MESSAGE(text == "\"" + std::get<std::string>(spec->default_value) + "\"",
                      "docs/ODD.md quotes " << name << " = " << text << "; the table's default is \""
                                            << std::get<std::string>(spec->default_value) << "\"");
        break;
    }
  }
  MESSAGE(quotes << " defaults quoted in docs/ODD.md");
  CHECK(quotes >= 60);  // the parse found the quotations at all
}

TEST_CASE("docs/ODD.md names only existing parameters and quotes defaults only in the checked form") {
  const std::string odd = read_doc("ODD.md");
  std::set<std::string> sections;
  for (const auto& s : kube::param_table()) sections.insert(s.name.substr(0, s.name.find('.')));
  static const std::set<std::string> file_ext = {"cpp", "h", "md", "toml", "csv", "py", "h5", "json"};
  static const std::regex name(R"(`([a-z_]+)\.([a-z0-9_]+)`)");
  for (std::sregex_iterator it(odd.begin(), odd.end(), name), end; it != end; ++it) {
    const std::string sec = (*it)[1].str(), key = (*it)[2].str();
    if (!sections.count(sec) || file_ext.count(key)) continue;
    CHECK_MESSAGE(sim::find_spec(kube::param_table(), sec + "." + key),
                  "docs/ODD.md names " << sec << "." << key << ", which is not a parameter");
  }
  // A number in parentheses right after a parameter is an unchecked quotation of a
  // default: write `section.key` = value instead.
  static const std::regex loose(R"(`[a-z_]+\.[a-z0-9_]+` \((Rp )?-?[0-9])");
  for (std::sregex_iterator it(odd.begin(), odd.end(), loose), end; it != end; ++it)
    CHECK_MESSAGE(false, "docs/ODD.md quotes a default unchecked: '" << it->str() << "'; write `section.key` = value");
}
