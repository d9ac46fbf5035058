#include "analysis/report.h"

#include <sstream>

#include "analysis/posterior.h"
#include "analysis/report_page.h"
#include "analysis/results.h"
#include "sim/error.h"
#include "sim/output.h"
#include "sim/params.h"

namespace analysis {

namespace fs = std::filesystem;

namespace {

// System fonts only: the page must not fetch anything. Charts keep their drawn size
// (max-width: 100%) so their text stays the size it was laid out for, and shrink in
// narrow columns and on paper. Printed: one section a page, data tables left out.
constexpr const char* CSS = R"(
:root { --ink: #1d1d1f; --muted: #555; --line: #d4d4d4; --accent: #0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); background: #fff; max-width: 1160px; margin: 0 auto; padding: 20px 28px 48px;
  font-size: 15px; line-height: 1.45; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 10px; }
h1 { font-size: 1.65em; margin: 0.1em 0 0.2em; }
h2 { font-size: 1.3em; margin: 2em 0 0.4em; padding-bottom: 3px; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.08em; margin: 1.4em 0 0.3em; }
p { max-width: 62em; }
.sub, .source { color: var(--muted); margin: 0.2em 0; }
nav ol { columns: 2; max-width: 50em; padding-left: 1.4em; margin: 0.4em 0; }
nav a { color: var(--accent); text-decoration: none; }
.flag { color: #a3231b; font-weight: 600; }
ul.brief { font-size: 1.08em; max-width: 60em; padding-left: 1.2em; }
ul.brief li { margin: 0.35em 0; }
table.brief td.v, table.brief th[scope=row] { font-size: 14px; }
p.appendix-start { margin-top: 3em; color: var(--muted); border-top: 3px solid var(--line); padding-top: 8px; }
.okay { color: #1b6e3a; }
tr.outside > * { background: #fdecea; }
p.lead { font-size: 1.05em; }
.warning { background: #fff3e0; border-left: 4px solid #D55E00; padding: 8px 12px; margin: 12px 0; }
figure { margin: 0.6em 0 1.4em; break-inside: avoid; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg.chart text { fill: #222; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 4px 22px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 4px 28px; }
table { border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { text-align: right; border-bottom: 2px solid #999; font-weight: 600; }
thead th:first-child, tbody th { text-align: left; }
td { text-align: right; }
table.headline { width: 100%; margin: 0.4em 0 1.2em; }
table.headline thead th { font-size: 12.5px; max-width: 11em; }
table.headline .v { font-weight: 600; font-size: 14px; }
table.headline .ci, table.headline .d { font-size: 11.5px; color: var(--muted); white-space: nowrap; }
table.headline .d { color: #1d1d1f; }
table.brief thead th:nth-child(-n+2), table.brief tbody th { text-align: left; }
table.brief td:first-child { text-align: center; }
.desc { font-weight: normal; color: var(--muted); font-size: 12px; max-width: 22em; }
.tag { font-size: 11px; font-weight: normal; background: #e8f1f8; color: #004a75; border-radius: 3px; padding: 0 4px; }
table.params td, table.params th, table.provenance th, table.provenance td, table.factors td { text-align: left; }
table.params tr.first > * { border-top: 2px solid #bbb; }
table.params tbody th { width: 24em; }
table.provenance th { color: var(--muted); font-weight: normal; white-space: nowrap; }
code, pre { font-family: "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f6f6; padding: 10px 12px; white-space: pre-wrap; max-height: 36em; overflow: auto; }
details { margin: 0.3em 0; }
details > summary { cursor: pointer; color: var(--accent); font-size: 13px; }
details.numbers .scroll { max-height: 26em; overflow: auto; margin-top: 4px; }
.scroll { overflow-x: auto; }
table.data { font-size: 12px; }
table.data th, table.data td { padding: 2px 8px; }
footer { margin-top: 3em; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav, details.numbers { display: none; }
  section { break-before: page; }
  section:first-of-type { break-before: auto; }
  h2 { margin-top: 0; }
  .grid { grid-template-columns: 1fr 1fr; }
  .grid2 { grid-template-columns: 1fr; }
  table.headline { font-size: 9pt; }
  table.headline tr, figure { break-inside: avoid; }
  pre { max-height: none; overflow: visible; }
}
)";

std::string page(const ResultFile& f, Lang lang, const std::vector<report::Section>& sections) {
  const std::string kind = f.kind() == "sweep" ? "sweep" : f.kind() == "compare" ? "compare" : "run";
  std::string name = f.attr("experiment").empty() ? f.cases().front() : f.attr("experiment");
  // The experiment's title in the report's language, where its file has one.
  const std::vector<std::string> tomls = f.case_strings("scenario_toml");
  const sim::Wording title =
      sim::scenario_wording(kind == "run" && !tomls.empty() ? tomls.front() : f.attr("experiment_toml")).title;
  if (!title.empty()) name = title.in(code(lang));
  long long failed = 0;
  for (int x : f.failed()) failed += x;
  return report::document(lang, fill(text(lang, "doc.title." + kind), {name}),
                          fill(text(lang, "doc.source"), {f.path().filename().string(), f.attr("created")}),
                          f.attr("engine_version"),
                          failed ? fill(text(lang, "doc.failed"), {std::to_string(failed)}) : "", sections);
}

}  // namespace

std::string report::document(Lang lang, const std::string& title, const std::string& source,
                             const std::string& generator, const std::string& warning,
                             const std::vector<Section>& sections) {
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"" << code(lang) << "\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<meta name=\"generator\" content=\"berdaya " << svg::escape(generator) << "\">\n"
    << "<title>" << svg::escape(title) << "</title>\n<style>" << CSS << "</style>\n</head>\n<body>\n<header>\n<h1>"
    << svg::escape(title) << "</h1>\n<p class=\"sub\">" << svg::escape(text(lang, "doc.subtitle")) << "</p>\n"
    << "<p class=\"source\">" << svg::escape(source) << "</p>\n";
  if (!warning.empty()) o << "<p class=\"warning\">" << svg::escape(warning) << "</p>\n";
  // Main sections 1, 2, ...; the appendix's A, B, ...
  std::vector<std::string> numbers;
  int main_count = 0, appendix_count = 0;
  for (const auto& s : sections)
    numbers.push_back(s.appendix ? std::string(1, static_cast<char>('A' + appendix_count++ % 26))
                                 : std::to_string(++main_count));
  o << "<nav><strong>" << svg::escape(text(lang, "doc.contents")) << "</strong><ol>";
  for (std::size_t i = 0; i < sections.size(); ++i)
    o << "<li" << (sections[i].appendix ? " class=\"appendix\"" : "") << "><a href=\"#" << sections[i].id << "\">"
      << (sections[i].appendix ? svg::escape(text(lang, "doc.appendix")) + " " + numbers[i] + ": " : "")
      << svg::escape(sections[i].title) << "</a></li>";
  o << "</ol></nav>\n</header>\n<main>\n";
  bool in_appendix = false;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (sections[i].appendix && !in_appendix) {
      in_appendix = true;
      o << "<p class=\"appendix-start\">" << svg::escape(text(lang, "doc.appendix.lead")) << "</p>\n";
    }
    o << "<section id=\"" << sections[i].id << "\"" << (sections[i].appendix ? " class=\"appendix\"" : "") << ">\n<h2>"
      << (sections[i].appendix ? svg::escape(text(lang, "doc.appendix")) + " " : "") << numbers[i] << ". "
      << svg::escape(sections[i].title) << "</h2>\n"
      << sections[i].body << "\n</section>\n";
  }
  o << "</main>\n<footer>" << svg::escape(text(lang, "doc.footer")) << "</footer>\n</body>\n</html>\n";
  return o.str();
}

std::string report_html(const fs::path& file, Lang lang) {
  try {
    ResultFile f(file);
    const bool over_posterior = is_posterior_file(file);
    f.pool_posterior_draws();
    std::vector<report::Section> sections;
    if (f.kind() == "sweep") {
      sections = report::sweep_sections(f, lang);
    } else if (over_posterior) {
      const PosteriorSummary p = posterior_summary(file);
      sections = report::comparison_sections(f, lang, &p);
    } else {
      sections = report::comparison_sections(f, lang);
    }
    sections.push_back(report::provenance(f, lang));
    sections.back().appendix = true;
    return page(f, lang, sections);
  } catch (const sim::InputError& e) {
    // Messages from deep in the file name a dataset, not the file: say which file it was.
    const std::string what = e.what();
    if (what.find(file.string()) != std::string::npos) throw;
    throw sim::InputError(file.string() + ": " + what);
  }
}

void write_report(const fs::path& file, const fs::path& out, Lang lang, bool replace) {
  sim::check_output_path(out, "report.html", {file}, replace);
  sim::write_text_atomically(out, report_html(file, lang));
}

void write_calibration_report(const fs::path& file, const fs::path& out, Lang lang, bool replace) {
  sim::check_output_path(out, "report.html", {file}, replace);
  sim::write_text_atomically(out, calibration_report_html(file, lang));
}

}  // namespace analysis
