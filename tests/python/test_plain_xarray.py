#!/usr/bin/env python3
"""A comparison file opened with plain xarray (h5netcdf engine) and nothing of berdaya's:
the netCDF-4 / CF conventions of format 4 are all a reader needs.

    python3 tests/python/test_plain_xarray.py <berdaya binary> <source dir>

Checks that /series, /yearly, /runs and /cases each have the scenario names as the
coordinate of their `scenario` dimension, that variables carry `units` and `long_name`, that
the root says `Conventions = CF-1.10`, that _FillValue is decoded (int32 indicators become
floats, their fill masked) and that the code columns of /groups carry CF flags. Needs only
xarray, h5netcdf and numpy. Prints "N passed, M failed" and exits non-zero on a failure.
"""

import os
import subprocess
import sys
import tempfile
import traceback

import numpy as np
import xarray as xr

LEVERS = ["kota-batu", "no-program", "socialization", "training", "monitoring", "recommendations", "mentors",
          "labels", "combined"]
REPLICATES, MONTHS = 2, 24


def open_group(path, group=None, **kw):
    return xr.open_dataset(path, engine="h5netcdf", group=group, **kw)


def test_root(path):
    with open_group(path) as ds:
        assert ds.attrs["Conventions"] == "CF-1.10", ds.attrs.get("Conventions")
        assert ds.attrs["format_version"].split(".")[0] == "4", ds.attrs["format_version"]


def test_series_scenario_names(path):
    with open_group(path, "series") as ds:
        assert ds["groups_active"].dims == ("scenario", "replicate", "month"), ds["groups_active"].dims
        assert list(ds["scenario"].values) == LEVERS, ds["scenario"].values
        assert list(ds.indexes["scenario"]) == LEVERS
        assert ds.sizes == {"scenario": len(LEVERS), "replicate": REPLICATES, "month": MONTHS}, dict(ds.sizes)
        assert list(ds["month"].values) == list(range(1, MONTHS + 1))
        # Selecting by name, as with any netCDF file with string coordinates.
        none = ds["groups_active"].sel(scenario="no-program")
        base = ds["groups_active"].sel(scenario="kota-batu")
        assert float(none.max()) == 0, "groups are active without the program"
        assert float(base.max()) > 0, "no group is active in the baseline"
        for name, var in ds.data_vars.items():
            assert var.attrs.get("units"), f"series/{name}: no units"
            assert var.attrs.get("long_name"), f"series/{name}: no long_name"
            assert "description" not in var.attrs, f"series/{name}: a description attribute"


def test_other_groups_scenario_names(path):
    for group in ("yearly", "runs", "cases"):
        with open_group(path, group) as ds:
            assert list(ds["scenario"].values) == LEVERS, (group, ds["scenario"].values)
    with open_group(path, "runs") as runs:
        assert runs["failed"].dims == ("scenario", "replicate")
        assert int(runs["failed"].sum()) == 0
    with open_group(path, "cases") as cases:
        assert list(cases["name"].values) == LEVERS


def test_fill_values_decoded(path):
    # An int32 indicator with _FillValue -1: CF decoding makes it float and masks the fill;
    # undecoded it stays int32, as stored.
    with open_group(path, "yearly") as ds:
        on_time = ds["report_on_time"]
        assert on_time.dtype == np.float64, on_time.dtype
        assert on_time.encoding["_FillValue"] == -1, on_time.encoding
        assert set(np.unique(on_time.values[~np.isnan(on_time.values)])) <= {0.0, 1.0}
    with open_group(path, "yearly", mask_and_scale=False) as raw:
        assert raw["report_on_time"].dtype == np.int32, raw["report_on_time"].dtype
        assert raw["report_on_time"].attrs["_FillValue"] == -1


def test_group_table_flags(path):
    with open_group(path, "groups") as ds:
        business = ds["business"]
        meanings = business.attrs["flag_meanings"].split()
        assert list(business.attrs["flag_values"]) == list(range(len(meanings))), business.attrs
        assert meanings == list(business.attrs["labels"]), business.attrs
        scenario = ds["scenario"]
        assert scenario.attrs["flag_meanings"].split() == LEVERS, scenario.attrs
        names = np.array(scenario.attrs["flag_meanings"].split())[scenario.values.astype(int)]
        assert set(names) <= set(LEVERS) and "kota-batu" in set(names)
    with open_group(path, "meta") as meta:
        assert meta["village_districts"].dims == ("villages",), meta["village_districts"].dims
        assert meta.sizes["villages"] == len(meta["villages"])


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} <berdaya binary> <source dir>", file=sys.stderr)
        return 2
    berdaya, source = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="berdaya-xarray-") as tmp:
        path = os.path.join(tmp, "levers.h5")
        proc = subprocess.run([berdaya, "compare", os.path.join(source, "scenarios/experiments/kota-batu-levers.toml"),
                               "--replicates", str(REPLICATES), "--months", str(MONTHS), "--threads", "2", "-o", path],
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            print(f"FAIL berdaya compare exited {proc.returncode}: {proc.stderr}")
            return 1
        tests = [(n, f) for n, f in globals().items() if n.startswith("test_") and callable(f)]
        for name, test in tests:
            try:
                test(path)
            except Exception:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                print(f"FAIL {name}")
                traceback.print_exc(file=sys.stdout)
            else:
                passed += 1
                print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
