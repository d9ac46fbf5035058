#!/usr/bin/env python3
"""Tests analysis/python/berdaya_results.py and example_survival.py on real result files.

Run by CTest as

    python3 tests/python/test_reader.py <berdaya binary> <source dir>

It writes a run, a comparison and a sweep into a temporary folder, then checks that the
reader's objects have the right shapes, dimension names and coordinates and hold the same
values as plain h5py reads; that the example script draws a valid, non-blank PNG; and that
the reader refuses, naming the file, a file that is not HDF5, an HDF5 file that is not
berdaya's, a file of another major version and a file missing a group. Needs h5py,
xarray, h5netcdf, pandas, numpy and matplotlib. Prints "N passed, M failed" and exits
non-zero when anything fails.
"""

import os
import shutil
import struct
import subprocess
import sys
import zlib

import h5py
import numpy as np
import pandas as pd
import xarray as xr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import data_datasets, main, run_jobs, strings  # noqa: E402

SWEEP = """name = "reader-sweep"
scenario = "{scenario}"
design = "lhs"
samples = 5
replicates = 2
seed = 7
months = 18

[[factor]]
name = "membership.motivation_rate"
low = 0.005
high = 0.03

[[factor]]
name = "training.hours"
low = 10
high = 40
"""

LEVERS = ["kota-batu", "no-program", "socialization", "training", "monitoring", "recommendations", "mentors",
          "labels", "combined"]


class File:
    def __init__(self, label, kind, dim, cases, replicates, months):
        self.label, self.kind, self.dim, self.cases = label, kind, dim, cases
        self.replicates, self.months = replicates, months
        self.years = (months + 11) // 12
        self.path = None


def expect_format_error(br, path, *words):
    try:
        br.open_results(path).close()
    except br.FormatError as e:
        assert isinstance(e, ValueError), "FormatError is not a ValueError"
        text = str(e)
        assert path in text, f"the error does not name the file: {text}"
        for w in words:
            assert w in text, f"the error does not say '{w}': {text}"
        return text
    raise AssertionError(f"{path}: opened without an error")


# ---- setup ----

def write_files(ctx):
    scenario = os.path.join(ctx.source, "scenarios", "kota-batu.toml")
    levers = os.path.join(ctx.source, "scenarios", "experiments", "kota-batu-levers.toml")
    sweep = os.path.join(ctx.tmp, "sweep.toml")
    with open(sweep, "w") as f:
        f.write(SWEEP.format(scenario=scenario))
    jobs = [(File("run", "run", "scenario", ["kota-batu"], 3, 24),
             ["run", scenario, "--replicates", "3", "--months", "24"]),
            (File("compare", "compare", "scenario", LEVERS, 3, 18),
             ["compare", levers, "--replicates", "3", "--months", "18"]),
            (File("sweep", "sweep", "point", [str(i) for i in range(5)], 2, 18), ["sweep", sweep])]
    run_jobs(ctx, jobs)
    for f, _ in jobs:
        assert f.proc.returncode == 0, f"{f.label}: exit {f.proc.returncode}\n{f.proc.stdout}\n{f.proc.stderr}"


# ---- checks of the reader on one file ----

def check_open(br, f):
    with br.open_results(f.path) as r:
        assert r.kind == f.kind and r.case_dimension == f.dim, (r.kind, r.case_dimension)
        assert r.cases == f.cases, r.cases
        assert r.replicates == f.replicates and r.months == f.months
        assert r.format_version.startswith("4."), r.format_version
        with h5py.File(f.path, "r") as h:
            assert set(r.attrs) == set(h.attrs), set(r.attrs) ^ set(h.attrs)
            assert r.attrs["seed"] == int(h.attrs["seed"]) and isinstance(r.attrs["seed"], int)
            assert r.attrs["scenario_toml"] == h.attrs["scenario_toml"]
            assert isinstance(r.attrs["scenario_files"], list), r.attrs["scenario_files"]
        assert f.kind in repr(r)
        if f.kind != "sweep":
            assert set(r.case_descriptions()) == set(f.cases)


def check_matrix(br, f, which, time_dim, n_time):
    C, R = len(f.cases), f.replicates
    dims = (f.dim, "replicate", time_dim)
    with br.open_results(f.path) as r, h5py.File(f.path, "r") as h:
        ds = getattr(r, which)()
        names = set(data_datasets(h[which]))
        assert isinstance(ds, xr.Dataset), type(ds)
        assert set(ds.data_vars) == names, set(ds.data_vars) ^ names
        assert dict(ds.sizes) == dict(zip(dims, (C, R, n_time))), dict(ds.sizes)
        for name in names:
            var = ds[name]
            assert var.dims == dims, f"{which}/{name}: dims {var.dims}"
            np.testing.assert_array_equal(var.values, h[which][name][()], err_msg=f"{which}/{name}")
            assert var.dtype == h[which][name].dtype, f"{which}/{name}: {var.dtype}"
            assert var.attrs["units"] == h[which][name].attrs["units"], f"{which}/{name}: units"
        np.testing.assert_array_equal(ds[time_dim].values, np.arange(1, n_time + 1))
        np.testing.assert_array_equal(ds["replicate"].values, np.arange(R))
        if f.kind == "sweep":
            np.testing.assert_array_equal(ds["point"].values, np.arange(C))
            value = h["design/value"][()]
            for j, factor in enumerate(strings(h["design/factor"])):
                assert ds[factor].dims == ("point",), ds[factor].dims
                np.testing.assert_array_equal(ds[factor].values, value[:, j], err_msg=factor)
        else:
            assert list(ds["scenario"].values) == f.cases, list(ds["scenario"].values)
        first = sorted(names)[0]
        one = getattr(r, which)(first)
        assert isinstance(one, xr.DataArray) and one.name == first and one.dims == dims
        np.testing.assert_array_equal(one.values, h[which][first][()])
        two = getattr(r, which)(sorted(names)[:2])
        assert isinstance(two, xr.Dataset) and set(two.data_vars) == set(sorted(names)[:2])
        try:
            getattr(r, which)("no_such_series")
        except KeyError as e:
            assert "no_such_series" in str(e) and f.path in str(e), str(e)
        else:
            raise AssertionError("an unknown name gave no KeyError")


def check_selection(br, f):
    """Selecting by scenario name (or factor value) picks the same block as h5py."""
    with br.open_results(f.path) as r, h5py.File(f.path, "r") as h:
        active = r.series("groups_active")
        raw = h["series/groups_active"][()]
        c = len(f.cases) - 1
        if f.kind == "sweep":
            picked = active.sel(point=c)
            factor = strings(h["design/factor"])[1]
            by_factor = active.swap_dims(point=factor).sel({factor: h["design/value"][c, 1]})
            np.testing.assert_array_equal(by_factor.values, raw[c])
        else:
            picked = active.sel(scenario=f.cases[c])
        np.testing.assert_array_equal(picked.values, raw[c])
        np.testing.assert_allclose(active.mean("replicate").values, raw.mean(axis=1))


def check_groups(br, f):
    with br.open_results(f.path) as r, h5py.File(f.path, "r") as h:
        df = r.groups()
        g = h["groups"]
        columns = data_datasets(g)
        rows = g["row"].shape[0]
        assert isinstance(df, pd.DataFrame) and len(df) == rows, (type(df), len(df), rows)
        assert set(columns) <= set(df.columns), set(columns) - set(df.columns)
        assert list(df.columns[:1]) == [f.dim], list(df.columns)
        for name in columns:
            if name == f.dim:
                continue
            np.testing.assert_array_equal(df[name].to_numpy(), g[name][()], err_msg=f"groups/{name}")
        case = g[f.dim][()]
        if f.kind == "sweep":
            np.testing.assert_array_equal(df["point"].to_numpy(), case)
            value = h["design/value"][()]
            for j, factor in enumerate(strings(h["design/factor"])):
                np.testing.assert_array_equal(df[factor].to_numpy(), value[case, j], err_msg=factor)
        else:
            assert list(df["scenario"].astype(str)) == [f.cases[c] for c in case], "scenario names"
            assert list(df["scenario"].cat.categories) == f.cases
        labelled = r.groups(labels=True)
        causes = strings(h["meta/causes"])
        assert list(labelled["cause"].astype(str)) == [causes[c] for c in g["cause"][()]], "cause labels"
        assert r.meta("causes") == causes


def check_runs(br, f):
    C, R = len(f.cases), f.replicates
    with br.open_results(f.path) as r, h5py.File(f.path, "r") as h:
        df = r.runs()
        assert list(df.columns) == [f.dim, "replicate", "failed", "message", "row_start", "row_count"], df.columns
        assert len(df) == C * R, len(df)
        assert df["failed"].dtype == bool
        np.testing.assert_array_equal(df["failed"].to_numpy().astype(np.int32), h["runs/failed"][()].reshape(-1))
        np.testing.assert_array_equal(df["row_start"].to_numpy(), h["runs/row_start"][()].reshape(-1))
        np.testing.assert_array_equal(df["row_count"].to_numpy(), h["runs/row_count"][()].reshape(-1))
        assert list(df["message"]) == [m for row in h["runs/message"].asstr()[()].tolist() for m in row]
        np.testing.assert_array_equal(df["replicate"].to_numpy(), np.tile(np.arange(R), C))
        expected_case = [f.cases[i] for i in np.repeat(np.arange(C), R)]
        got_case = [str(v) for v in df[f.dim]]
        assert got_case == expected_case, got_case[:5]
        # row_start / row_count pick each run's rows out of groups().
        groups = r.groups()
        last = df.iloc[-1]
        rows = groups.iloc[last.row_start:last.row_start + last.row_count]
        assert (rows["replicate"] == last.replicate).all() and (rows[f.dim].astype(str) == str(last[f.dim])).all()


def check_design(br, f):
    with br.open_results(f.path) as r, h5py.File(f.path, "r") as h:
        if f.kind != "sweep":
            try:
                r.design()
            except ValueError as e:
                assert f.path in str(e), str(e)
                return
            raise AssertionError("design() of a non-sweep gave no error")
        g = h["design"]
        factors = strings(g["factor"])
        d = r.design()
        assert list(d.columns) == factors, list(d.columns)
        assert d.index.name == "point" and list(d.index) == list(range(len(f.cases)))
        np.testing.assert_array_equal(d.to_numpy(), g["value"][()])
        np.testing.assert_array_equal(r.design(unit=True).to_numpy(), g["unit"][()])
        b = r.design(with_blocks=True)
        np.testing.assert_array_equal(b["block"].to_numpy(), g["block"][()])
        np.testing.assert_array_equal(b["group"].to_numpy(), g["group"][()])
        assert d.attrs["kind"] == "lhs" and d.attrs["points"] == len(f.cases), d.attrs
        assert d.attrs["low"] == dict(zip(factors, g["low"][()].tolist())), d.attrs["low"]


# ---- the example script ----

def png_info(path):
    """Width, height and the decoded pixel rows' distinct byte count of a PNG; asserts validity."""
    with open(path, "rb") as fh:
        data = fh.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in chunk {kind!r}"
        chunks.append(kind)
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks, chunks
    width, height = struct.unpack(">II", data[16:24])
    pixels = zlib.decompress(idat)
    return width, height, len(data), len(set(pixels))


def check_example(ctx, f):
    out = os.path.join(ctx.tmp, f.label + ".png")
    script = os.path.join(ctx.analysis, "example_survival.py")
    proc = subprocess.run([sys.executable, script, f.path, out], capture_output=True, text=True, timeout=300,
                          cwd=ctx.tmp)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert os.path.isfile(out), f"{out} was not written"
    width, height, size, distinct = png_info(out)
    assert width >= 400 and height >= 300, (width, height)
    assert size > 10_000, f"PNG of only {size} bytes"
    assert distinct > 20, f"only {distinct} distinct bytes in the image: blank?"
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.image
    img = matplotlib.image.imread(out)
    assert img.shape[:2] == (height, width) and float(img[..., :3].std()) > 0.05, "image looks blank"


def test_example_bad_input(ctx):
    script = os.path.join(ctx.analysis, "example_survival.py")
    text = os.path.join(ctx.tmp, "notes.txt")
    with open(text, "w") as fh:
        fh.write("not a result file\n")
    out = os.path.join(ctx.tmp, "never.png")
    proc = subprocess.run([sys.executable, script, text, out], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stderr}"
    assert text in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert not os.path.exists(out), "a figure was written for a bad file"


# ---- errors ----

def test_errors(ctx, br):
    text = os.path.join(ctx.tmp, "notes.txt")
    with open(text, "w") as fh:
        fh.write("not a result file\n")
    expect_format_error(br, text, "not an HDF5 file")

    foreign = os.path.join(ctx.tmp, "foreign.h5")
    with h5py.File(foreign, "w") as h:
        h["x"] = np.arange(3)
        h.attrs["title"] = "someone else's data"
    expect_format_error(br, foreign, "not a berdaya result file")

    old = os.path.join(ctx.tmp, "old.h5")
    shutil.copy(ctx.files["run"].path, old)
    with h5py.File(old, "a") as h:
        h.attrs["format_version"] = "1.0"
    expect_format_error(br, old, "1.0", "4.x")

    # The format before the CF conventions: refused with the fix, rerunning the experiment.
    previous = os.path.join(ctx.tmp, "previous.h5")
    shutil.copy(ctx.files["run"].path, previous)
    with h5py.File(previous, "a") as h:
        h.attrs["format_version"] = "3.0"
    expect_format_error(br, previous, previous, "format version 3.0", "reads 4.x",
                        "Rerun the experiment with this version of berdaya")

    future = os.path.join(ctx.tmp, "future.h5")
    shutil.copy(ctx.files["run"].path, future)
    with h5py.File(future, "a") as h:
        h.attrs["format_version"] = "5.0"
    expect_format_error(br, future, "5.0")

    minor = os.path.join(ctx.tmp, "minor.h5")
    shutil.copy(ctx.files["run"].path, minor)
    with h5py.File(minor, "a") as h:
        h.attrs["format_version"] = "4.7"
    br.open_results(minor).close()  # a later minor version reads

    for group in ["runs", "series"]:
        broken = os.path.join(ctx.tmp, f"no-{group}.h5")
        shutil.copy(ctx.files["run"].path, broken)
        with h5py.File(broken, "a") as h:
            del h[group]
        expect_format_error(br, broken, f"/{group}", "missing")

    nodesign = os.path.join(ctx.tmp, "no-design.h5")
    shutil.copy(ctx.files["sweep"].path, nodesign)
    with h5py.File(nodesign, "a") as h:
        del h["design"]
    expect_format_error(br, nodesign, "/design", "missing")

    missing = os.path.join(ctx.tmp, "absent.h5")
    try:
        br.open_results(missing)
    except FileNotFoundError as e:
        assert missing in str(e), str(e)
    else:
        raise AssertionError("a missing file opened")


def make_tests(br):
    tests = []
    for label in ["run", "compare", "sweep"]:
        def on(check, label=label):
            return lambda ctx: check(br, ctx.files[label])
        tests += [(f"{label}_open", on(check_open)),
                  (f"{label}_series", on(lambda b, f: check_matrix(b, f, "series", "month", f.months))),
                  (f"{label}_yearly", on(lambda b, f: check_matrix(b, f, "yearly", "year", f.years))),
                  (f"{label}_selection", on(check_selection)),
                  (f"{label}_groups", on(check_groups)),
                  (f"{label}_runs", on(check_runs)),
                  (f"{label}_design", on(check_design)),
                  (f"{label}_example_png", lambda ctx, label=label: check_example(ctx, ctx.files[label]))]
    tests += [("example_bad_input", test_example_bad_input), ("errors", lambda ctx: test_errors(ctx, br))]
    return tests


def load_reader(source):
    sys.path.insert(0, os.path.join(source, "analysis", "python"))
    import berdaya_results
    return berdaya_results


if __name__ == "__main__":
    sys.exit(main(sys.argv, "berdaya-reader-", write_files, lambda ctx: make_tests(load_reader(ctx.source))))
