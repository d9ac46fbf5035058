// berdaya._core: the commands of the command line (cli/commands.h) run inside Python,
// for the package berdaya (python/berdaya/__init__.py), which turns the result file into
// an xarray Dataset. The same code as `berdaya run/compare/sweep` runs the experiment, so
// a notebook's file is the file the command line writes with the same arguments.
#include <pybind11/pybind11.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>

#include "berdaya_build_info.h"
#include "cli/calibrate.h"
#include "cli/commands.h"
#include "models/kube/program.h"
#include "sim/error.h"
#include "sim/mpi.h"
#include "sim/signals.h"

namespace py = pybind11;

namespace {

// The commands print their summary on std::cout; here it is caught and handed back, so a
// notebook shows it (the kernel's own stdout is not the notebook's).
class CaptureStdout {
 public:
  CaptureStdout() : old_(std::cout.rdbuf(text_.rdbuf())) {}
  ~CaptureStdout() { std::cout.rdbuf(old_); }
  CaptureStdout(const CaptureStdout&) = delete;
  CaptureStdout& operator=(const CaptureStdout&) = delete;
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::streambuf* old_;
};

// One experiment at a time in a process: std::cout, the signal handlers and the stop flag
// are process-wide.
std::mutex g_running;

// Runs `berdaya COMMAND` on the options; returns (exit code, summary text). Exit codes are
// those of the command line: 0 done, 3 some runs failed, 130 interrupted; bad input and an
// output that cannot be written raise InputError and OutputError instead.
py::tuple execute(const std::string& command, const std::string& input, const std::string& output, long long replicates,
                  long long months, long long seed, unsigned threads, bool resume, bool force,
                  const std::string& command_line, const py::object& progress) {
  int (*run)(const cli::RunOptions&) = nullptr;
  if (command == "run") run = cli::run_scenario;
  if (command == "compare") run = cli::run_comparison;
  if (command == "sweep") run = cli::run_sweep;
  if (command == "calibrate") run = cli::run_calibration;
  if (!run) throw py::value_error("unknown command '" + command + "': run, compare, sweep or calibrate");

  cli::RunOptions o;
  o.input = input;
  o.output = output;
  o.replicates = replicates;
  o.months = months;
  o.seed = seed;
  o.threads = threads;
  o.resume = resume;
  o.force = force;
  o.command_line = command_line;
  if (progress.is_none()) {
    o.progress = [](std::size_t, std::size_t) {};  // quiet, also on a terminal
  } else {
    // The callback is called on this thread (the writer) with the GIL released, so it takes
    // the GIL for the call only; the workers never wait for it. It holds a plain pointer
    // (`progress` lives for the whole call), because copies of the std::function are made
    // and destroyed without the GIL. A callback that raises is reported once and dropped:
    // a broken progress bar does not stop the experiment.
    PyObject* fn = progress.ptr();
    auto broken = std::make_shared<std::atomic<bool>>(false);
    o.progress = [fn, broken](std::size_t done, std::size_t total) {
      if (broken->load()) return;
      py::gil_scoped_acquire gil;
      try {
        const py::handle callback(fn);
        callback(done, total);
      } catch (py::error_already_set& e) {
        broken->store(true);
        e.discard_as_unraisable("berdaya progress callback");
      }
    };
  }

  int code = 0;
  std::string text;
  {
    py::gil_scoped_release release;
    const std::lock_guard lock(g_running);
    const CaptureStdout capture;
    code = run(o);
    text = capture.text();
  }
  return py::make_tuple(code, text);
}

std::string summary(const std::string& file, bool json) {
  const py::gil_scoped_release release;
  return cli::summarize(file, json ? sim::SummaryFormat::Json : sim::SummaryFormat::Text);
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "berdaya's experiment commands in this process; use the package berdaya, not this module.";
  m.attr("__version__") = BERDAYA_VERSION;
  m.attr("git_commit") = BERDAYA_GIT_COMMIT;
  // The models of the berdaya executable (cli/main.cpp), so a scenario means the same here.
  kube::register_program();
  py::register_exception<sim::InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception<sim::OutputError>(m, "OutputError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const sim::Interrupted&) {
      PyErr_SetString(PyExc_KeyboardInterrupt, "interrupted");
    }
  });
  m.def("execute", &execute, py::arg("command"), py::arg("input"), py::arg("output"), py::arg("replicates"),
        py::arg("months"), py::arg("seed"), py::arg("threads"), py::arg("resume"), py::arg("force"),
        py::arg("command_line"), py::arg("progress"));
  m.def("summary", &summary, py::arg("file"), py::arg("json") = false,
        "The summary `berdaya summary FILE` prints (JSON with json=True).");
  // Without a launcher the module never touches MPI: every run is on this process's threads.
  m.def("mpi_launched", &sim::mpi::launched);
}
