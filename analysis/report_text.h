// Every word the HTML report shows, in Indonesian (the report's default, for the planners
// and the city office) and English, and how each language writes numbers and rupiah.
#pragma once
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/svg.h"

namespace analysis {

enum class Lang { id, en };

// "id" or "en"; InputError otherwise.
Lang language(const std::string& code);
const char* code(Lang lang);

// The text under `key`; std::out_of_range for a key not in the table (a bug, not input).
std::string text(Lang lang, std::string_view key);
// The text under `key`, or `fallback` when there is none (labels read from a file, such as
// failure causes a newer model may add).
std::string text_or(Lang lang, const std::string& key, const std::string& fallback);
// `pattern` with {1}, {2}, ... replaced by the arguments.
std::string fill(std::string pattern, std::initializer_list<std::string> args);
// All keys, for the test that each has both languages.
std::vector<std::string> text_keys();

svg::NumberStyle number_style(Lang lang);
std::string number(double v, int decimals, Lang lang);
// A share in [0, 1] as percent: "45,2%" or "45.2%".
std::string percent(double share, int decimals, Lang lang);
// Rupiah in short words, "1,2 jt" or "1.2 M": with enough digits to tell ticks `step`
// apart, or (step NaN) three significant digits of the larger of v and `reference`, in
// the reference's words, so an estimate and its interval read alike. No "Rp": the axis
// or column says it.
std::string rupiah_short(double v, double step, Lang lang, double reference = std::numeric_limits<double>::quiet_NaN());

// Rupiah for sentences: "1,81 miliar", "450 juta", "12.500" (or "1.81 billion"). No "Rp".
std::string rupiah_words(double v, Lang lang);

}  // namespace analysis
