#!/usr/bin/env python3
"""Tests the Python module berdaya (python/) from the build tree.

Run by CTest as

    python3 tests/python/test_module.py <berdaya binary> <source dir> <build dir>

It imports berdaya from <build dir>, runs a comparison, a scenario given as a dict with
params and a small sweep in this process, and checks each Dataset against the file the
command line writes with the same arguments: the same numbers in every variable, the same
coordinates, the file's attributes and the printed summary. It checks that bad input
raises berdaya.InputError (a ValueError) with the message of the command line, naming the
place; that the progress callback sees every run; and that other Python threads run while
an experiment does (the GIL is released). Prints "N passed, M failed"."""

import os
import subprocess
import sys
import threading
import tomllib

import h5py
import numpy as np
import xarray as xr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import data_datasets, main, strings  # noqa: E402

REPLICATES, MONTHS = 2, 24
LEVERS = ["kota-batu", "no-program", "socialization", "training", "monitoring", "recommendations", "mentors",
          "labels", "combined"]
# Root attributes that say when and how a file was written, not what it holds.
CALL_ATTRS = {"created", "command_line"}

berdaya = None


def cli(ctx, *args):
    proc = subprocess.run([ctx.berdaya, *args, "--threads", "2"], capture_output=True, text=True, timeout=600,
                          cwd=ctx.tmp)
    return proc


def write_file(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def levers(ctx):
    return os.path.join(ctx.source, "scenarios", "experiments", "kota-batu-levers.toml")


def summary_lines(text):
    # The line naming the result file differs between two files of the same experiment.
    return [line for line in text.splitlines() if not line.startswith("results:")]


def assert_same_data(ds, path, ignore=()):
    """Every dataset of /series, /yearly, /runs and /groups of the file `path` is in ds with
    the same values and dimensions, the coordinates are the file's, and so are the root
    attributes (but those of CALL_ATTRS and `ignore`)."""
    with h5py.File(path, "r") as h:
        dim = h.attrs["case_dimension"]
        cases = strings(h["cases/name"])
        shapes = {"series": (dim, "replicate", "month"), "yearly": (dim, "replicate", "year"),
                  "runs": (dim, "replicate"), "groups": ("row",)}
        for group, prefix in (("series", ""), ("yearly", ""), ("runs", ""), ("groups", "groups.")):
            names = data_datasets(h[group])
            assert names, f"/{group} is empty"
            for name, d in names.items():
                var = ds[prefix + name]
                raw = d.asstr()[()] if h5py.check_string_dtype(d.dtype) else d[()]
                if group == "groups" and name == dim and dim == "scenario":
                    raw = np.array(cases, dtype=object)[raw]  # the case's name on every row
                assert var.shape == raw.shape, f"{group}/{name}: shape {var.shape}, file {raw.shape}"
                np.testing.assert_array_equal(var.values, raw, err_msg=f"{group}/{name}")
                assert var.dims == shapes[group], f"{group}/{name}: dims {var.dims}"
            for name in ("units", "description"):
                some = next(iter(names))
                if name in h[group][some].attrs:
                    assert ds[prefix + some].attrs[name] == h[group][some].attrs[name], f"{group}/{some}: {name}"
        if dim == "scenario":
            assert list(ds["scenario"].values) == cases, list(ds["scenario"].values)
            np.testing.assert_array_equal(ds["description"].values, strings(h["cases/description"]))
        else:
            np.testing.assert_array_equal(ds["point"].values, np.arange(len(cases)))
        R, M = int(h.attrs["replicates"]), int(h.attrs["months"])
        np.testing.assert_array_equal(ds["replicate"].values, np.arange(R))
        np.testing.assert_array_equal(ds["month"].values, np.arange(1, M + 1))
        np.testing.assert_array_equal(ds["year"].values, np.arange(1, (M + 11) // 12 + 1))
        np.testing.assert_array_equal(ds["row"].values, h["groups/row"][()])
        attrs = {k for k in h.attrs}
        assert attrs <= set(ds.attrs), attrs - set(ds.attrs)
        for k in attrs - CALL_ATTRS - set(ignore):
            got, want = ds.attrs[k], h.attrs[k]
            want = want.tolist() if isinstance(want, np.ndarray) else want
            want = want.item() if isinstance(want, np.generic) else want
            assert got == want, f"attribute {k}: {got!r}, file {want!r}"


# ---- setup ----

def write_files(ctx):
    ctx.cli_levers = os.path.join(ctx.tmp, "cli-levers.h5")
    p = cli(ctx, "compare", levers(ctx), "--replicates", str(REPLICATES), "--months", str(MONTHS), "-o",
            ctx.cli_levers)
    assert p.returncode == 0, p.stderr
    ctx.cli_levers_summary = p.stdout


# ---- checks ----

def test_import_from_build_tree(ctx):
    assert os.path.dirname(berdaya.__file__) == os.path.join(ctx.build, "berdaya"), berdaya.__file__
    assert berdaya.__version__ and berdaya.git_commit
    assert issubclass(berdaya.InputError, ValueError) and berdaya.InputError.__module__ == "berdaya"
    assert issubclass(berdaya.OutputError, OSError)
    # Started without mpiexec: the module runs on this process's threads, never through MPI.
    assert not berdaya._core.mpi_launched()


def test_compare_matches_cli(ctx):
    seen = []
    ds = berdaya.compare(levers(ctx), replicates=REPLICATES, months=MONTHS, threads=2,
                         progress=lambda done, total: seen.append((done, total)))
    assert isinstance(ds, xr.Dataset)
    assert dict(ds.sizes)["scenario"] == len(LEVERS) and dict(ds.sizes)["replicate"] == REPLICATES
    assert dict(ds.sizes)["month"] == MONTHS and dict(ds.sizes)["year"] == 2
    assert_same_data(ds, ctx.cli_levers)
    assert list(ds["scenario"].values) == LEVERS
    # In memory: the temporary file is gone, and the Dataset does not name it.
    assert "source" not in ds.encoding and "file" not in ds.attrs
    assert summary_lines(ds.attrs["summary"]) == summary_lines(ctx.cli_levers_summary), ds.attrs["summary"]
    assert "berdaya.compare(" in ds.attrs["command_line"], ds.attrs["command_line"]
    total = len(LEVERS) * REPLICATES
    assert seen[0] == (0, total) and seen[-1] == (total, total), (seen[:2], seen[-2:])
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) == total + 1, seen


def test_compare_output_and_open(ctx):
    out = os.path.join(ctx.tmp, "module-levers.h5")
    ds = berdaya.compare(levers(ctx), replicates=REPLICATES, months=MONTHS, output=out, progress=False)
    assert ds.encoding["source"] == out and ds.attrs["file"] == out
    assert_same_data(ds, out)
    assert_same_data(ds, ctx.cli_levers)
    opened = berdaya.open(ctx.cli_levers)
    assert opened.encoding["source"] == ctx.cli_levers
    assert opened.attrs["summary"] == ctx.cli_levers_summary, opened.attrs["summary"]
    assert_same_data(opened, ctx.cli_levers)
    for name in ds.data_vars:
        xr.testing.assert_equal(ds[name], opened[name])
    # An existing output is refused, as on the command line, in the module's own words.
    try:
        berdaya.compare(levers(ctx), replicates=REPLICATES, months=MONTHS, output=out, progress=False)
    except berdaya.InputError as e:
        assert out in str(e) and "force=True" in str(e) and "--force" not in str(e), str(e)
    else:
        raise AssertionError("an existing output was replaced without force=True")


def test_dict_scenario_with_params(ctx):
    # The dict's relative paths start at base_dir; params override the dict's own value.
    scenario = {"name": "dict-training", "extends": "scenarios/kota-batu.toml",
                "population": {"village_file": "data/kota-batu-villages.csv"}, "training": {"hours": 10}}
    ds = berdaya.run(scenario, base_dir=ctx.source, params={"training.hours": 40}, replicates=REPLICATES,
                     months=MONTHS, progress=False)
    assert scenario["training"]["hours"] == 10, "the caller's dict was changed"
    resolved = tomllib.loads(ds.attrs["scenario_toml"])
    assert resolved["training"]["hours"] == 40, resolved["training"]
    assert resolved["run"]["months"] == MONTHS and resolved["run"]["replicates"] == REPLICATES
    assert list(ds["scenario"].values) == ["dict-training"]
    # The same scenario written as a file and run by the command line: the same numbers.
    same = write_file(os.path.join(ctx.tmp, "training-40.toml"),
                      f'name = "dict-training"\nextends = "{ctx.source}/scenarios/kota-batu.toml"\n\n'
                      f'[population]\nvillage_file = "{ctx.source}/data/kota-batu-villages.csv"\n\n'
                      "[training]\nhours = 40\n")
    out = os.path.join(ctx.tmp, "cli-training-40.h5")
    p = cli(ctx, "run", same, "--replicates", str(REPLICATES), "--months", str(MONTHS), "-o", out)
    assert p.returncode == 0, p.stderr
    # The scenario file the module wrote is listed, and removed: only the rest of the
    # chain is the same.
    assert_same_data(ds, out, ignore=("scenario_files",))
    assert ds.attrs["scenario_files"][1:] == [os.path.join(ctx.source, "scenarios", "kota-batu.toml")]
    assert not os.path.exists(ds.attrs["scenario_files"][0])
    # params over a scenario file keep its name.
    ds2 = berdaya.run(os.path.join(ctx.source, "scenarios", "kota-batu.toml"), params={"training": {"hours": 40}},
                      replicates=1, months=12, progress=False)
    assert list(ds2["scenario"].values) == ["kota-batu"]
    assert tomllib.loads(ds2.attrs["scenario_toml"])["training"]["hours"] == 40


def test_sweep_dict(ctx):
    sweep = {"name": "module-sweep", "scenario": "scenarios/kota-batu.toml", "design": "lhs", "samples": 3,
             "replicates": 1, "seed": 7, "months": 12,
             "factor": [{"name": "training.hours", "low": 10, "high": 40}]}
    ds = berdaya.sweep(sweep, base_dir=ctx.source, progress=False)
    assert dict(ds.sizes)["point"] == 3 and ds["training.hours"].dims == ("point",)
    hours = ds["training.hours"].values
    assert ((hours >= 10) & (hours <= 40)).all(), hours
    assert ds.attrs["kind"] == "sweep" and ds.attrs["experiment"] == "module-sweep"
    # The same sweep as a file, through the command line (its text is the file's own).
    same = write_file(os.path.join(ctx.tmp, "module-sweep.toml"),
                      f'name = "module-sweep"\nscenario = "{ctx.source}/scenarios/kota-batu.toml"\ndesign = "lhs"\n'
                      'samples = 3\nreplicates = 1\nseed = 7\nmonths = 12\n\n'
                      '[[factor]]\nname = "training.hours"\nlow = 10\nhigh = 40\n')
    out = os.path.join(ctx.tmp, "cli-sweep.h5")
    p = cli(ctx, "sweep", same, "-o", out)
    assert p.returncode == 0, p.stderr
    assert_same_data(ds, out, ignore=("experiment_toml",))
    with h5py.File(out, "r") as h:
        np.testing.assert_array_equal(hours, h["design/value"][:, 0])


def test_calibrate_matches_cli(ctx):
    text = (f'name = "module-calibration"\nscenario = "{ctx.source}/scenarios/kota-batu.toml"\n\n[method]\n'
            'particles = 20\ngenerations = 2\nreplicates = 1\nseed = 3\n\n[[parameter]]\n'
            'name = "membership.exit_rate"\nprior = "uniform"\nlow = 0.01\nhigh = 0.2\n\n[[target]]\n'
            'name = "active-24"\nstatistic = "series"\nseries = "groups_active"\nmonth = 24\nvalue = 20\nsd = 5\n')
    path = write_file(os.path.join(ctx.tmp, "module-calibration.toml"), text)
    ds = berdaya.calibrate(path, progress=False)
    assert ds.sizes["generation"] == 2 and ds.sizes["particle"] == 20, dict(ds.sizes)
    assert list(ds["parameter"].values) == ["membership.exit_rate"]
    assert ds.attrs["kind"] == "calibration" and "Posterior marginals" in ds.attrs["summary"]
    out = os.path.join(ctx.tmp, "cli-calibration.h5")
    p = cli(ctx, "calibrate", path, "-o", out)
    assert p.returncode == 0, p.stderr
    with h5py.File(out, "r") as h:
        for name in ("particles", "weights", "distances", "tolerance"):
            np.testing.assert_array_equal(ds[name].values, h["calibration/" + name][()], err_msg=name)
        np.testing.assert_array_equal(ds["posterior.median"].values, h["posterior/median"][()])


def test_input_errors(ctx):
    bad = write_file(os.path.join(ctx.tmp, "bad.toml"),
                     f'extends = "{ctx.source}/scenarios/kota-batu.toml"\n\n[training]\nhourz = 40\n')
    try:
        berdaya.run(bad, replicates=1, months=12, progress=False)
    except berdaya.InputError as e:
        message = str(e)
    else:
        raise AssertionError("a scenario with an unknown key ran")
    assert f"{bad}:4:1:" in message and "Did you mean 'training.hours'?" in message, message
    p = cli(ctx, "run", bad, "--replicates", "1", "--months", "12", "-o", os.path.join(ctx.tmp, "bad.h5"))
    assert p.returncode == 2 and p.stderr.strip() == "berdaya: error: " + message, (p.returncode, p.stderr)
    # A misspelt params key names the key, not the temporary file the module wrote.
    try:
        berdaya.run(os.path.join(ctx.source, "scenarios", "kota-batu.toml"), params={"training.hourz": 40},
                    replicates=1, months=12, progress=False)
    except ValueError as e:
        assert isinstance(e, berdaya.InputError)
        message = str(e)
    else:
        raise AssertionError("a misspelt params key ran")
    assert message.startswith("params, key 'training.hourz': unknown key"), message
    assert "berdaya-" not in message and "training.hours" in message, message
    try:
        berdaya.run({"extends": "scenarios/kota-batu.toml", "training": {"hours": 10, "hourz": 40}},
                    base_dir=ctx.source, replicates=1, months=12, progress=False)
    except berdaya.InputError as e:
        assert str(e).startswith("the scenario dict, key 'training.hourz': unknown key"), str(e)
    else:
        raise AssertionError("a dict with a misspelt key ran")
    for kwargs, word in (({"replicates": 0}, "replicates=0"), ({"months": 601}, "months=601"),
                         ({"seed": -1}, "seed=-1"), ({"replicates": 1.5}, "replicates=1.5")):
        try:
            berdaya.compare(levers(ctx), progress=False, **kwargs)
        except berdaya.InputError as e:
            assert word in str(e), str(e)
        else:
            raise AssertionError(f"{kwargs} was accepted")


def test_gil_released(ctx):
    # Another thread runs while the experiment does. The spool exists only inside the
    # module's call, from before the first run to after the file is written, and no Python
    # code runs there (progress=False): if the call held the GIL, this thread could never
    # see the spool.
    out = os.path.join(ctx.tmp, "gil.h5")
    spool = out + ".spool"
    result = {}

    def work():
        result["ds"] = berdaya.compare(levers(ctx), replicates=20, months=MONTHS, threads=2, output=out,
                                       progress=False)

    t = threading.Thread(target=work)
    t.start()
    seen = 0
    while t.is_alive():
        seen += os.path.exists(spool)
    t.join()
    assert "ds" in result and dict(result["ds"].sizes)["replicate"] == 20
    assert not os.path.exists(spool) and os.path.exists(out)
    assert seen > 0, "this thread never ran while the experiment did"


def make_tests(ctx):
    return [(name[5:], fn) for name, fn in globals().items() if name.startswith("test_") and callable(fn)]


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(f"usage: {sys.argv[0]} <berdaya binary> <source dir> <build dir>", file=sys.stderr)
        sys.exit(2)
    build = os.path.abspath(sys.argv[3])
    sys.path.insert(0, build)
    import berdaya  # noqa: E402,F811 - from the build tree

    def setup(ctx):
        ctx.build = build
        write_files(ctx)

    sys.exit(main(sys.argv[:3], "berdaya-module-", setup, make_tests))
