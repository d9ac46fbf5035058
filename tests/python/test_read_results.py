#!/usr/bin/env python3
"""Reads a berdaya result file the way a user would: with h5py and with xarray.

Run by CTest as

    python3 tests/python/test_read_results.py <berdaya binary> <scenarios/kota-batu.toml>

It runs a short scenario into a temporary folder, then checks the file against
docs/output-format.md: root attributes, every dataset of /series, /yearly and /groups,
and that xarray (engine "h5netcdf") sees named dimensions. Needs h5py, xarray, h5netcdf
and numpy. Prints "N passed, M failed" and exits non-zero when anything fails.
"""

import os
import subprocess
import sys
import tempfile
import traceback

import h5py
import numpy as np
import xarray as xr

REPLICATES = 3
MONTHS = 24
YEARS = (MONTHS + 11) // 12

ROOT_ATTRS = ["format", "format_version", "engine_version", "git_commit", "created",
              "command_line", "seed", "scenario", "scenario_toml"]


class Context:
    def __init__(self, berdaya, scenario, tmp):
        self.berdaya = berdaya
        self.scenario = scenario
        self.tmp = tmp
        self.path = os.path.join(tmp, "r.h5")
        self.run = None  # subprocess.CompletedProcess once the run test has run


def data_datasets(group):
    """The datasets of `group` that are not dimension scales, as {name: h5py.Dataset}."""
    return {name: obj for name, obj in group.items()
            if isinstance(obj, h5py.Dataset) and not h5py.h5ds.is_scale(obj.id)}


def text_attr(obj, name):
    value = obj.attrs[name]
    return value.decode("utf-8") if isinstance(value, bytes) else value


# ---- tests ----

def test_run_writes_file(ctx):
    cmd = [ctx.berdaya, "run", ctx.scenario, "-o", ctx.path, "--replicates", str(REPLICATES),
           "--months", str(MONTHS), "--threads", "2"]
    ctx.run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert ctx.run.returncode == 0, (
        f"exit code {ctx.run.returncode}\nstdout:\n{ctx.run.stdout}\nstderr:\n{ctx.run.stderr}")
    assert os.path.isfile(ctx.path), f"{ctx.path} was not written"
    leftovers = [f for f in os.listdir(ctx.tmp) if ".tmp-" in f]
    assert not leftovers, f"temporary files left behind: {leftovers}"


def test_root_attributes(ctx):
    with h5py.File(ctx.path, "r") as f:
        for name in ROOT_ATTRS:
            assert name in f.attrs, f"root attribute '{name}' is missing"
            value = f.attrs[name]
            if isinstance(value, (str, bytes)):
                assert len(value.strip()) > 0, f"root attribute '{name}' is empty"
            else:
                assert np.size(value) > 0, f"root attribute '{name}' is empty"
        assert text_attr(f, "format") == "berdaya-results", text_attr(f, "format")
        assert text_attr(f, "format_version").split(".")[0] == "1", text_attr(f, "format_version")
        assert np.issubdtype(np.asarray(f.attrs["seed"]).dtype, np.integer), "seed is not an integer"
        assert int(f.attrs["replicates"]) == REPLICATES, f.attrs["replicates"]
        assert int(f.attrs["months"]) == MONTHS, f.attrs["months"]
        assert "[business]" in text_attr(f, "scenario_toml"), "scenario_toml has no [business] table"


def check_matrix_group(ctx, group_name, time_dim, n_time, must_have):
    with h5py.File(ctx.path, "r") as f:
        g = f[group_name]
        np.testing.assert_array_equal(g["replicate"][()], np.arange(REPLICATES))
        np.testing.assert_array_equal(g[time_dim][()], np.arange(1, n_time + 1))
        datasets = data_datasets(g)
        assert must_have in datasets, f"/{group_name}/{must_have} is missing"
        for name, d in datasets.items():
            assert d.shape == (REPLICATES, n_time), f"/{group_name}/{name}: shape {d.shape}"
            assert "units" in d.attrs, f"/{group_name}/{name}: no 'units' attribute"
            assert "description" in d.attrs, f"/{group_name}/{name}: no 'description' attribute"
            values = d[()]
            assert values.shape == (REPLICATES, n_time), f"/{group_name}/{name}: read {values.shape}"
            assert np.issubdtype(values.dtype, np.number), f"/{group_name}/{name}: dtype {values.dtype}"


def test_series_h5py(ctx):
    check_matrix_group(ctx, "series", "month", MONTHS, "groups_active")


def test_yearly_h5py(ctx):
    check_matrix_group(ctx, "yearly", "year", YEARS, "active_share")


def test_groups_h5py(ctx):
    with h5py.File(ctx.path, "r") as f:
        g = f["groups"]
        rows = g["row"].shape[0]
        assert rows > 0, "/groups has no rows"
        columns = data_datasets(g)
        for name in ["replicate", "funded_month", "failed_month", "cause", "business"]:
            assert name in columns, f"/groups/{name} is missing"
        for name, d in columns.items():
            assert d.shape == (rows,), f"/groups/{name}: shape {d.shape}, expected ({rows},)"
            assert "units" in d.attrs, f"/groups/{name}: no 'units' attribute"
            values = d[()]
            assert values.shape == (rows,), f"/groups/{name}: read {values.shape}"
            if "labels" in d.attrs:  # codes: 0 .. len(labels)-1
                n = len(d.attrs["labels"])
                assert values.min() >= 0 and values.max() < n, f"/groups/{name}: code outside labels"
        replicate = g["replicate"][()]
        assert set(np.unique(replicate)) <= set(range(REPLICATES)), "/groups/replicate out of range"
        for name in ["funded_month", "failed_month"]:
            m = g[name][()]
            assert np.all((m == -1) | ((m >= 1) & (m <= MONTHS))), f"/groups/{name}: not -1 or 1..{MONTHS}"


def check_xarray_group(ctx, group_name, dims, n_time):
    with h5py.File(ctx.path, "r") as f:
        expected = set(data_datasets(f[group_name]))
    with xr.open_dataset(ctx.path, group=group_name, engine="h5netcdf") as ds:
        assert dict(ds.sizes) == {dims[0]: REPLICATES, dims[1]: n_time}, f"/{group_name}: sizes {dict(ds.sizes)}"
        assert set(ds.data_vars) == expected, f"/{group_name}: xarray sees {sorted(ds.data_vars)}"
        for name, var in ds.data_vars.items():
            assert var.dims == dims, f"/{group_name}/{name}: dims {var.dims}, expected {dims}"
            values = var.values
            assert values.shape == (REPLICATES, n_time), f"/{group_name}/{name}: loaded {values.shape}"
            assert "units" in var.attrs, f"/{group_name}/{name}: xarray lost the 'units' attribute"
        np.testing.assert_array_equal(ds[dims[1]].values, np.arange(1, n_time + 1))


def test_series_xarray(ctx):
    check_xarray_group(ctx, "series", ("replicate", "month"), MONTHS)


def test_yearly_xarray(ctx):
    check_xarray_group(ctx, "yearly", ("replicate", "year"), YEARS)


def test_groups_active_values(ctx):
    with xr.open_dataset(ctx.path, group="series", engine="h5netcdf") as ds:
        active = ds["groups_active"].values
    assert np.all(np.isfinite(active)), "groups_active has non-finite values"
    assert np.all(active >= 0), "groups_active has negative values"


TESTS = [test_run_writes_file, test_root_attributes, test_series_h5py, test_yearly_h5py,
         test_groups_h5py, test_series_xarray, test_yearly_xarray, test_groups_active_values]


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} <berdaya binary> <scenario.toml>", file=sys.stderr)
        return 2
    berdaya, scenario = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="berdaya-read-") as tmp:
        ctx = Context(berdaya, scenario, tmp)
        for test in TESTS:
            try:
                test(ctx)
            except Exception:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                print(f"FAIL {test.__name__}")
                traceback.print_exc(file=sys.stdout)
            else:
                passed += 1
                print(f"ok   {test.__name__}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
