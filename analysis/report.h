// The HTML report of a result file (berdaya report): one self-contained page, inline CSS
// and SVG, no script and no outside address, readable on a screen and printed on A4.
// A comparison or a run: headline table, survival, failure causes, income and poverty,
// effects, costs, the city office's indicators, parameters, provenance. A sweep: the
// design, its factors, sensitivity of the key outcomes, provenance. Every chart carries
// its numbers in a table beside it.
#pragma once
#include <filesystem>
#include <string>

#include "analysis/report_text.h"

namespace analysis {

// The page for `file`. InputError (naming the file) when it is not a readable berdaya
// result file of this format version.
std::string report_html(const std::filesystem::path& file, Lang lang);

// Writes report_html(file) to `out` under a temporary name and renames it when complete,
// so a failure never leaves a half-written report. InputError when the folder of `out`
// does not exist or `out` is a folder.
// `replace`: an existing `out` may be replaced (--force); otherwise it is refused.
void write_report(const std::filesystem::path& file, const std::filesystem::path& out, Lang lang, bool replace = false);

// The page of a calibration file (berdaya calibrate): what was calibrated and how, each
// parameter's posterior density over its prior, pairwise plots of the most correlated
// parameters, the posterior predictive check of every target, provenance. InputError
// (naming the file) when it is not a readable calibration file.
std::string calibration_report_html(const std::filesystem::path& file, Lang lang);
void write_calibration_report(const std::filesystem::path& file, const std::filesystem::path& out, Lang lang,
                              bool replace = false);

}  // namespace analysis
