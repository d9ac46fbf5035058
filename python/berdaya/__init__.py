"""berdaya in Python: run scenarios, comparisons and sweeps from a notebook and get the
results as xarray Datasets.

    import berdaya

    ds = berdaya.compare("scenarios/experiments/kota-batu-levers.toml", replicates=20, months=48)
    print(ds.attrs["summary"])                        # the table `berdaya compare` prints
    ds["groups_active"].mean("replicate").sel(scenario="training")

    ds = berdaya.run("scenarios/kota-batu.toml", params={"training.hours": 40}, replicates=10)
    ds = berdaya.run({"name": "longer-training", "extends": "scenarios/kota-batu.toml",
                      "training": {"hours": 40}})
    ds = berdaya.open("results/kota-batu-levers.h5")  # a file written before

The experiment runs in this process through the same code as the command line (the
options mean what the flags of `berdaya run --help` say), so the numbers are those of
the file `berdaya compare ... --replicates 20 --months 48` writes. See docs/python.md.
"""

import builtins
import os
import re
import shutil
import tempfile
import tomllib
import warnings

from . import _core, _dataset, _progress, _toml

__version__ = _core.__version__
git_commit = _core.git_commit

InputError = _core.InputError
InputError.__module__ = __name__
InputError.__doc__ = ("Bad input (a scenario, an experiment, an argument): the message names the place and the "
                      "fix, like the command line's exit code 2. A ValueError.")
OutputError = _core.OutputError
OutputError.__module__ = __name__
OutputError.__doc__ = ("An output could not be written (a full disk, permissions), like the command line's exit "
                       "code 4; finished runs are kept in OUTPUT.spool: continue with resume=True. An OSError.")


class RunsFailedWarning(RuntimeWarning):
    """Some runs failed (the command line's exit code 3): the Dataset holds the others, and
    ds["failed"] and ds["message"] say which failed and why."""


__all__ = ["run", "compare", "sweep", "calibrate", "open", "summary", "InputError", "OutputError", "RunsFailedWarning"]

_LIMITS = {"replicates": (1, 100000), "months": (1, 600), "seed": (0, 1 << 62), "threads": (0, 1 << 16)}


def _count(name, v):
    """None, or an int within the command line's bounds for the flag."""
    if v is None:
        return None
    lo, hi = _LIMITS[name]
    if isinstance(v, bool) or not isinstance(v, int) and not hasattr(v, "__index__"):
        raise InputError(f"{name}={v!r} is not a whole number. Give e.g. {name}={max(lo, 2)}.")
    v = int(v.__index__())
    if not lo <= v <= hi:
        raise InputError(f"{name}={v} is outside [{lo}, {hi}]. Give e.g. {name}={max(lo, 2)}.")
    return v


class _Files:
    """Temporary files of one call: the scenarios and experiments it writes, each with the
    label that stands for it in messages, and the result file when no output was given."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="berdaya-")
        self.origins = {}  # written path -> (what it stands for, {line: key})
        self.count = 0

    def write(self, name, doc, origin):
        self.count += 1
        folder = os.path.join(self.dir, str(self.count))
        os.mkdir(folder)
        path = os.path.join(folder, name)
        with builtins.open(path, "w", encoding="utf-8") as f:
            f.write(doc.text())
        self.origins[path] = (origin, doc.labels)
        return path

    def explain(self, message):
        """The engine's message with every written file replaced by what it stands for."""
        message = message.replace("--force", "force=True").replace("--resume", "resume=True")
        for path, (origin, labels) in self.origins.items():
            def place(m, origin=origin, labels=labels):
                key = labels.get(int(m.group(1)))
                return f"{origin}, key '{key}'" if key else origin
            message = re.sub(re.escape(path) + r":(\d+):\d+", place, message)
            message = message.replace(path, origin)
        return message.replace(self.dir + os.sep, "")

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def _set(table, dotted, value, where):
    """Sets a dotted parameter name ("training.hours") in a nested dict."""
    if not isinstance(dotted, str) or "." not in dotted:
        raise InputError(f"{where}: {dotted!r} is not a parameter name. Use the dotted name of "
                         "`berdaya params`, e.g. {'training.hours': 40}.")
    section, key = dotted.split(".", 1)
    sub = table.setdefault(section, {})
    if not isinstance(sub, dict):
        raise InputError(f"{where}: {section!r} is a setting of its own, not a section of parameters.")
    sub[key] = value


def _flat(params, prefix=""):
    """params as {dotted name: value}; nested dicts ({"training": {"hours": 40}}) allowed."""
    out = {}
    for k, v in params.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, name + "."))
        else:
            out[name] = v
    return out


def _read_toml(path):
    with builtins.open(path, "rb") as f:
        return tomllib.load(f)


def _absolute(p, base_dir):
    p = os.fspath(p)
    return p if os.path.isabs(p) else os.path.normpath(os.path.join(base_dir, p))


def _with_params(path, params, files):
    """A scenario file that extends `path` and sets `params`, with the name and description
    of `path`, so results are labelled as the original's."""
    table = {"extends": os.path.abspath(path)}
    try:
        original = _read_toml(path)
    except (OSError, tomllib.TOMLDecodeError):
        original = {}  # the engine reports the file itself, with its place
    for k in ("name", "description"):
        if isinstance(original.get(k), str):
            table[k] = original[k]
    for name, v in _flat(params).items():
        _set(table, name, v, "params")
    return files.write(os.path.basename(path), _document(table, "params"), "params")


def _document(table, origin):
    doc = _toml.Document()
    try:
        doc.table(table)
    except _toml.Unwritable as e:
        raise InputError(f"{origin}: {e}") from None
    return doc


def _scenario(scenario, params, base_dir, files):
    """The path of the scenario to run: the given file, or a written one for a dict or params."""
    if isinstance(scenario, dict):
        table = {k: (dict(v) if isinstance(v, dict) else v) for k, v in scenario.items()}
        if isinstance(table.get("extends"), (str, os.PathLike)):
            table["extends"] = _absolute(table["extends"], base_dir)
        village = table.get("population", {}).get("village_file") if isinstance(table.get("population"), dict) else None
        if isinstance(village, (str, os.PathLike)) and os.fspath(village):
            table["population"]["village_file"] = _absolute(village, base_dir)
        for name, v in _flat(params or {}).items():
            _set(table, name, v, "params")
        return files.write("scenario.toml", _document(table, "the scenario dict"), "the scenario dict")
    path = os.fspath(scenario)
    # A missing file is left to the engine, whose message names it as given.
    return _with_params(path, params, files) if params and os.path.isfile(path) else path


def _experiment(experiment, params, base_dir, files, list_key):
    """The path of a comparison (list_key "scenarios") or sweep ("scenario") to run: the given
    file, or a written one for a dict or params, whose scenarios then extend theirs."""
    if not isinstance(experiment, dict):
        path = os.fspath(experiment)
        if not params:
            return path
        try:
            table = _read_toml(path)
        except (OSError, tomllib.TOMLDecodeError):
            return path  # the engine refuses the file with its place before any run
        base_dir, origin, name = os.path.dirname(os.path.abspath(path)), path, os.path.basename(path)
    else:
        table, origin, name = dict(experiment), "the experiment dict", "experiment.toml"

    def resolve(p):
        if not isinstance(p, (str, os.PathLike)):
            return p  # the engine says what is wrong with it
        p = _absolute(p, base_dir)
        return _with_params(p, params, files) if params and os.path.isfile(p) else p

    listed = table.get(list_key)
    if isinstance(listed, (list, tuple)):
        table[list_key] = [resolve(p) for p in listed]
    elif listed is not None:
        table[list_key] = resolve(listed)
    return files.write(name, _document(table, origin), origin)


def _call(name, args, kwargs):
    """How the call reads, stored in the file as its command line."""
    shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items() if v is not None]
    return f"berdaya.{name}({', '.join(shown)})"


def _execute(command, input_path, files, output, replicates, months, seed, threads, resume, force, progress,
             call, load=None):
    replicates, months, seed = _count("replicates", replicates), _count("months", months), _count("seed", seed)
    threads = _count("threads", threads) or 0
    keep = output is not None
    out = os.fspath(output) if keep else os.path.join(files.dir, "results.h5")
    if not keep and resume:
        raise InputError("resume=True needs output=: the file whose spool holds the interrupted runs.")
    if _core.mpi_launched():
        warnings.warn("started by an MPI launcher: the module runs the whole experiment in this process, on its "
                      "threads, whatever the other processes do. For a run across processes, start "
                      f"`mpirun berdaya {command} ...` and read its file with berdaya.open", RuntimeWarning,
                      stacklevel=3)
    bar = _progress.Bar(f"berdaya {command}") if progress is True else None
    callback = bar if bar is not None else (progress if callable(progress) else None)
    try:
        code, text = _core.execute(command, input_path, out, replicates or 0, months or 0,
                                   -1 if seed is None else seed, threads, bool(resume), bool(force), call, callback)
    except (InputError, OutputError) as e:
        raise type(e)(files.explain(str(e))) from None
    finally:
        if bar is not None:
            bar.close()
    if code == 130:
        where = (f"the finished runs are kept in {out}.spool: call again with the same arguments and resume=True"
                 if keep else "no output= was given, so the finished runs are not kept")
        raise KeyboardInterrupt(f"berdaya {command} interrupted: {where}")
    if not keep:
        text = text.replace(out, "(in memory: give output= to keep a file)")
    ds = (load or _dataset.load)(out, summary=text, keep_path=keep)
    if code == 3:
        failed = int(ds["failed"].sum())
        warnings.warn(f"berdaya {command}: {failed} of {ds['failed'].size} runs failed; ds['failed'] marks them and "
                      "ds['message'] says why", RunsFailedWarning, stacklevel=3)
    elif code != 0:
        raise RuntimeError(f"berdaya {command} ended with exit code {code}")
    return ds


def run(scenario, replicates=None, months=None, seed=None, threads=None, output=None, params=None, progress=True,
        *, base_dir=None, resume=False, force=False):
    """Runs a scenario (`berdaya run`) and returns its results as an xarray Dataset.

    scenario: a scenario file, or a dict of its TOML content whose relative paths (extends,
    population.village_file) start at base_dir (default: the current directory).
    replicates, months, seed: override the scenario's run settings; threads: default all cores
    (results do not depend on it). params: {"training.hours": 40, ...} sets any parameter of
    `berdaya params` over the scenario. output: the result file to write and keep; None
    writes a temporary one, reads it into memory and removes it. progress: True shows a
    progress bar (tqdm if installed, else one line on stderr), False nothing, or a callable
    progress(done, total). resume=True continues an interrupted run of `output`; force=True
    replaces an existing `output`.

    The summary `berdaya run` prints is ds.attrs["summary"]; the file's attributes
    (provenance, seed, resolved scenario) are ds.attrs. Raises InputError for bad input,
    OutputError when the output cannot be written, KeyboardInterrupt when interrupted;
    warns RunsFailedWarning when some runs failed."""
    call = _call("run", [scenario], dict(replicates=replicates, months=months, seed=seed, params=params))
    files = _Files()
    try:
        path = _scenario(scenario, params, os.fspath(base_dir or os.getcwd()), files)
        return _execute("run", path, files, output, replicates, months, seed, threads, resume, force, progress, call)
    finally:
        files.remove()


def compare(experiment, replicates=None, months=None, seed=None, threads=None, output=None, params=None,
            progress=True, *, base_dir=None, resume=False, force=False):
    """Runs a comparison (`berdaya compare`): every scenario with the same seeds and
    replicates. experiment is a comparison file, or a dict of its content (the paths in
    `scenarios` start at base_dir). params apply to every scenario. Otherwise as run();
    ds.attrs["summary"] is the table of effects."""
    call = _call("compare", [experiment], dict(replicates=replicates, months=months, seed=seed, params=params))
    files = _Files()
    try:
        path = _experiment(experiment, params, os.fspath(base_dir or os.getcwd()), files, "scenarios")
        return _execute("compare", path, files, output, replicates, months, seed, threads, resume, force, progress,
                        call)
    finally:
        files.remove()


def sweep(sweepfile, replicates=None, months=None, seed=None, threads=None, output=None, params=None, progress=True,
          *, base_dir=None, resume=False, force=False):
    """Runs a sweep (`berdaya sweep`) over its design. sweepfile is a sweep file, or a dict of
    its content (its `scenario` starts at base_dir). params apply to the base scenario.
    The case dimension is `point`, with each factor a coordinate along it. Otherwise as run()."""
    call = _call("sweep", [sweepfile], dict(replicates=replicates, months=months, seed=seed, params=params))
    files = _Files()
    try:
        path = _experiment(sweepfile, params, os.fspath(base_dir or os.getcwd()), files, "scenario")
        return _execute("sweep", path, files, output, replicates, months, seed, threads, resume, force, progress,
                        call)
    finally:
        files.remove()


def calibrate(calibration, threads=None, output=None, progress=True, *, resume=False, force=False):
    """Runs a calibration (`berdaya calibrate`, ABC-SMC; docs/calibration.md) and returns
    its posterior as an xarray Dataset: per generation the particles [generation x particle
    x parameter], weights, distances, tolerance, acceptance rate and ESS, the targets with
    their observed values, and the posterior marginals and predictive checks as
    `posterior.<name>` variables. calibration is a calibration file; output, threads,
    progress, resume and force as in run(). ds.attrs["summary"] is the summary the command
    prints."""
    call = _call("calibrate", [calibration], {})
    files = _Files()
    try:
        return _execute("calibrate", os.fspath(calibration), files, output, None, None, None, threads, resume, force,
                        progress, call, load=_calibration_dataset)
    finally:
        files.remove()


def _calibration_dataset(path, summary=None, keep_path=True):
    import xarray as xr
    with xr.open_dataset(path, engine="h5netcdf", group="calibration") as c, \
            xr.open_dataset(path, engine="h5netcdf", group="posterior") as p:
        ds = c.load()
        post = p.load()
    ds = ds.merge(post.rename({v: f"posterior.{v}" for v in post.data_vars}), combine_attrs="drop_conflicts")
    import h5py
    with h5py.File(path, "r") as f:
        ds.attrs.update({k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()})
    ds.attrs["summary"] = summary
    if keep_path:
        ds.attrs["file"] = path
        ds.encoding["source"] = path
    return ds


def summary(path, json=False):
    """The summary `berdaya summary FILE` prints (a JSON string with json=True)."""
    return _core.summary(os.fspath(path), bool(json))


def open(path):  # noqa: A001 - berdaya.open, like xarray.open_dataset
    """Reads a result file into an in-memory Dataset, with ds.attrs["summary"] as
    `berdaya summary` prints it."""
    path = os.fspath(path)
    return _dataset.load(path, summary=summary(path))
