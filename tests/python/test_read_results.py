#!/usr/bin/env python3
"""Reads berdaya result files the way a user would: with h5py and with xarray.

Run by CTest as

    python3 tests/python/test_read_results.py <berdaya binary> <source dir>

It writes a run, a comparison, a sweep and a sweep with failing points into a temporary
folder, then checks each file against docs/output-format.md (format 4.0): root
attributes, /cases, every dataset of /series, /yearly, /groups and /runs (shape, dtype,
units, long_name, _FillValue, CF flags, dimension scales), /meta, /design for sweeps, the
fill values of failed runs, and that xarray (engine "h5netcdf") sees named dimensions with
the case names as coordinate. Needs h5py,
xarray, h5netcdf and numpy. Prints "N passed, M failed" and exits non-zero when anything
fails.
"""

import os
import sys

import h5py
import numpy as np
import xarray as xr

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import data_datasets, main, run_jobs, strings  # noqa: E402

STRING_ATTRS = ["Conventions", "format", "format_version", "kind", "case_dimension", "engine_version", "git_commit", "created",
                "command_line", "experiment", "experiment_toml", "scenario", "scenario_toml", "baseline",
                "counterfactual", "hdf5_version"]
INT_ATTRS = ["seed", "cases", "replicates", "months"]
NONEMPTY_ATTRS = ["Conventions", "format", "format_version", "kind", "case_dimension", "engine_version", "git_commit", "created",
                  "command_line", "experiment", "scenario", "scenario_toml", "hdf5_version"]

SWEEP = """name = "tiny-sweep"
scenario = "{scenario}"
design = "lhs"
samples = 6
replicates = 2
seed = 1
months = 24

[[factor]]
name = "membership.motivation_rate"
low = 0.005
high = 0.03

[[factor]]
name = "training.hours"
low = 10
high = 40
"""

# The second point breaks iks_share + reinvest_share <= 1: both its runs fail. 30 months
# make a partial third year.
FAILING_SWEEP = """name = "failing-sweep"
scenario = "{scenario}"
design = "grid"
replicates = 2
seed = 3
months = 30

[[factor]]
name = "business.reinvest_share"
values = [0.2, 0.99]
"""


class Expect:
    """What one generated file should hold."""

    def __init__(self, label, kind, case_dim, cases, replicates, months, code=0):
        self.label, self.kind, self.case_dim = label, kind, case_dim
        self.cases, self.replicates, self.months = cases, replicates, months
        self.years = (months + 11) // 12
        self.code = code
        self.path = None
        self.proc = None


def text_attr(obj, name):
    assert name in obj.attrs, f"{obj.name}: no '{name}' attribute"
    value = obj.attrs[name]
    return value.decode("utf-8") if isinstance(value, bytes) else value


def scale_names(dataset):
    """The names of the dimension scales attached to each axis of `dataset`."""
    out = []
    for axis in dataset.dims:
        assert len(axis) == 1, f"{dataset.name}: {len(axis)} scales on one axis"
        out.append(axis[0].name.rsplit("/", 1)[1])
    return tuple(out)


def check_scale(group, name, values, unit=None):
    d = group[name]
    assert h5py.h5ds.is_scale(d.id), f"{d.name} is not a dimension scale"
    if values is not None:
        np.testing.assert_array_equal(d[()], values, err_msg=d.name)
        assert d.dtype == np.int32, f"{d.name}: dtype {d.dtype}, expected int32"
    if unit is not None:
        assert text_attr(d, "units") == unit, f"{d.name}: units {text_attr(d, 'units')!r}"
        assert text_attr(d, "long_name"), f"{d.name}: empty long_name"


def check_case_scale(group, dim, cases):
    """The case dimension's scale: the case names as text, a coordinate without units."""
    d = group[dim]
    assert h5py.h5ds.is_scale(d.id), f"{d.name} is not a dimension scale"
    assert h5py.check_string_dtype(d.dtype) is not None, f"{d.name}: not strings"
    assert strings(d) == cases, f"{d.name}: {strings(d)}"
    assert "units" not in d.attrs, f"{d.name}: text with units"
    assert text_attr(d, "long_name"), f"{d.name}: empty long_name"


def check_fill(d, where):
    """A _FillValue in the variable's own type, equal to the HDF5 fill value."""
    assert "_FillValue" in d.attrs, f"{where}: no _FillValue"
    fv = np.asarray(d.attrs["_FillValue"])
    assert fv.shape in ((), (1,)) and fv.dtype == d.dtype, f"{where}: _FillValue {fv.dtype}{fv.shape}"
    fv = fv.reshape(-1)[0]
    assert (np.isnan(fv) and np.isnan(d.fillvalue)) or fv == d.fillvalue, f"{where}: {fv} vs {d.fillvalue}"


def check_flags(d, names, where):
    """CF flags: codes 0 .. n-1 in the variable's type and one word per name."""
    values = np.asarray(d.attrs["flag_values"])
    assert values.dtype == d.dtype, f"{where}: flag_values {values.dtype}"
    np.testing.assert_array_equal(values, np.arange(len(names)), err_msg=where)
    assert text_attr(d, "flag_meanings").split() == [n.replace(" ", "_") for n in names], f"{where}: flag_meanings"


# ---- writing the files ----

def write_files(ctx):
    scenario = os.path.join(ctx.source, "scenarios", "kota-batu.toml")
    levers = os.path.join(ctx.source, "scenarios", "experiments", "kota-batu-levers.toml")
    sweep = os.path.join(ctx.tmp, "sweep.toml")
    failing = os.path.join(ctx.tmp, "failing.toml")
    with open(sweep, "w") as f:
        f.write(SWEEP.format(scenario=scenario))
    with open(failing, "w") as f:
        f.write(FAILING_SWEEP.format(scenario=scenario))
    levers_names = ["kota-batu", "no-program", "socialization", "training", "monitoring", "recommendations",
                    "mentors", "labels", "combined"]
    jobs = [
        (Expect("run", "run", "scenario", ["kota-batu"], 3, 24),
         ["run", scenario, "--replicates", "3", "--months", "24"]),
        (Expect("compare", "compare", "scenario", levers_names, 4, 24),
         ["compare", levers, "--replicates", "4", "--months", "24"]),
        (Expect("sweep", "sweep", "point", [str(i) for i in range(6)], 2, 24), ["sweep", sweep]),
        (Expect("failing", "sweep", "point", ["0", "1"], 2, 30, code=3), ["sweep", failing]),
    ]
    run_jobs(ctx, jobs)


def test_files_written(ctx):
    for e in ctx.files.values():
        assert e.proc.returncode == e.code, (f"{e.label}: exit code {e.proc.returncode}, expected {e.code}\n"
                                             f"stdout:\n{e.proc.stdout}\nstderr:\n{e.proc.stderr}")
        assert os.path.isfile(e.path), f"{e.path} was not written"
    leftovers = [f for f in os.listdir(ctx.tmp) if ".tmp-" in f or f.endswith(".spool")]
    assert not leftovers, f"temporary or spool files left behind: {leftovers}"
    assert "FAILED" in ctx.files["failing"].proc.stderr, ctx.files["failing"].proc.stderr


# ---- checks of one file ----

def check_root(e):
    with h5py.File(e.path, "r") as f:
        for name in STRING_ATTRS + INT_ATTRS + ["scenario_files"]:
            assert name in f.attrs, f"{e.label}: root attribute '{name}' is missing"
        for name in STRING_ATTRS:
            assert isinstance(text_attr(f, name), str), f"{e.label}: root attribute '{name}' is not a string"
        for name in NONEMPTY_ATTRS:
            assert text_attr(f, name).strip(), f"{e.label}: root attribute '{name}' is empty"
        for name in INT_ATTRS:
            value = np.asarray(f.attrs[name])
            assert value.shape == () and value.dtype == np.int64, f"{e.label}: {name} is {value.dtype}{value.shape}"
        files = f.attrs["scenario_files"]
        assert np.ndim(files) == 1 and len(files) >= 1, f"{e.label}: scenario_files {files!r}"
        assert text_attr(f, "format") == "berdaya-results"
        assert text_attr(f, "format_version") == "4.2", text_attr(f, "format_version")
        assert text_attr(f, "Conventions") == "CF-1.10", text_attr(f, "Conventions")
        assert "description" not in f.attrs
        assert text_attr(f, "kind") == e.kind
        assert text_attr(f, "case_dimension") == e.case_dim
        assert int(f.attrs["cases"]) == len(e.cases)
        assert int(f.attrs["replicates"]) == e.replicates
        assert int(f.attrs["months"]) == e.months
        assert "[business]" in text_attr(f, "scenario_toml"), "scenario_toml has no [business] table"
        created = text_attr(f, "created")
        assert len(created) == 20 and created.endswith("Z") and created[10] == "T", created
        if e.kind == "run":
            assert text_attr(f, "experiment_toml") == "", "a single run has no experiment file"
            assert text_attr(f, "experiment") == text_attr(f, "scenario")
        else:
            assert "replicates" in text_attr(f, "experiment_toml"), "experiment_toml is not the experiment file"
        if e.kind == "compare":
            assert text_attr(f, "baseline") == "kota-batu" and text_attr(f, "counterfactual") == "no-program"
            assert text_attr(f, "scenario") == text_attr(f, "baseline")
        else:
            assert text_attr(f, "baseline") == "" and text_attr(f, "counterfactual") == ""


def check_cases(e):
    C = len(e.cases)
    with h5py.File(e.path, "r") as f:
        g = f["cases"]
        assert text_attr(g, "description"), "/cases has no description"
        check_case_scale(g, e.case_dim, e.cases)
        assert strings(g["name"]) == e.cases, strings(g["name"])
        expected = {"name"} | ({"description", "scenario_toml"} if e.kind != "sweep" else set())
        assert set(data_datasets(g)) == expected, sorted(data_datasets(g))
        for name in expected:
            d = g[name]
            assert d.shape == (C,), f"/cases/{name}: shape {d.shape}"
            assert h5py.check_string_dtype(d.dtype) is not None, f"/cases/{name}: not strings"
            assert text_attr(d, "long_name"), f"/cases/{name}: no long_name"
            assert "description" not in d.attrs, f"/cases/{name}: a description attribute"
            assert scale_names(d) == (e.case_dim,), scale_names(d)
        if e.kind != "sweep":
            for toml in strings(g["scenario_toml"]):
                assert "[business]" in toml, "/cases/scenario_toml lacks [business]"


def check_matrix_group(e, group_name, time_dim, n_time, must_have):
    C, R = len(e.cases), e.replicates
    with h5py.File(e.path, "r") as f:
        g = f[group_name]
        assert text_attr(g, "description"), f"/{group_name} has no description"
        check_case_scale(g, e.case_dim, e.cases)
        check_scale(g, "replicate", np.arange(R), unit="1")
        check_scale(g, time_dim, np.arange(1, n_time + 1), unit=time_dim)
        datasets = data_datasets(g)
        assert must_have in datasets, f"/{group_name}/{must_have} is missing"
        assert len(datasets) >= 10, f"/{group_name}: only {len(datasets)} datasets"
        for name, d in datasets.items():
            where = f"{e.label}: /{group_name}/{name}"
            assert d.shape == (C, R, n_time), f"{where}: shape {d.shape}"
            assert d.dtype in (np.float64, np.int32), f"{where}: dtype {d.dtype}"
            assert text_attr(d, "units"), f"{where}: no 'units' attribute"
            assert text_attr(d, "long_name"), f"{where}: no 'long_name' attribute"
            assert "description" not in d.attrs, f"{where}: a description attribute"
            assert scale_names(d) == (e.case_dim, "replicate", time_dim), f"{where}: scales {scale_names(d)}"
            check_fill(d, where)
            values = d[()]
            assert values.shape == (C, R, n_time), f"{where}: read {values.shape}"


def check_groups(e):
    C, R, M = len(e.cases), e.replicates, e.months
    with h5py.File(e.path, "r") as f:
        g = f["groups"]
        assert text_attr(g, "description"), "/groups has no description"
        rows = g["row"].shape[0]
        assert rows > 0, "/groups has no rows"
        check_scale(g, "row", np.arange(rows), unit="1")
        columns = data_datasets(g)
        for name in [e.case_dim, "replicate", "group", "funded_month", "failed_month", "cause", "business"]:
            assert name in columns, f"/groups/{name} is missing"
        for name, d in columns.items():
            where = f"{e.label}: /groups/{name}"
            assert d.shape == (rows,), f"{where}: shape {d.shape}, expected ({rows},)"
            assert d.dtype in (np.float64, np.int32), f"{where}: dtype {d.dtype}"
            # A code column has labels and no unit; every other column has a unit.
            assert ("labels" in d.attrs) != ("units" in d.attrs), f"{where}: needs a unit or labels, not both"
            assert "labels" in d.attrs or text_attr(d, "units"), f"{where}: empty 'units' attribute"
            assert text_attr(d, "long_name"), f"{where}: no 'long_name' attribute"
            assert "description" not in d.attrs, f"{where}: a description attribute"
            assert scale_names(d) == ("row",), f"{where}: scales {scale_names(d)}"
            values = d[()]
            if "labels" in d.attrs:  # codes: 0 .. len(labels)-1
                n = len(d.attrs["labels"])
                assert values.min() >= 0 and values.max() < n, f"{where}: code outside labels"
                check_flags(d, [v.decode() if isinstance(v, bytes) else v for v in d.attrs["labels"]], where)
            if "_FillValue" in d.attrs:
                check_fill(d, where)
        check_flags(g[e.case_dim], e.cases, f"{e.label}: /groups/{e.case_dim}")
        case = g[e.case_dim][()]
        replicate = g["replicate"][()]
        assert case.min() >= 0 and case.max() < C, f"/groups/{e.case_dim} out of range"
        assert replicate.min() >= 0 and replicate.max() < R, "/groups/replicate out of range"
        # Runs in case-then-replicate order.
        order = case.astype(np.int64) * R + replicate
        assert np.all(np.diff(order) >= 0), "/groups rows are not in case-then-replicate order"
        for name in ["formed_month", "funded_month", "failed_month"]:
            m = g[name][()]
            assert np.all((m == -1) | ((m >= 1) & (m <= M))), f"/groups/{name}: not -1 or 1..{M}"
        assert np.all(g["formed_month"][()] >= 1), "formed_month is never -1"
        # /runs locates each run's rows.
        start, count = f["runs/row_start"][()], f["runs/row_count"][()]
        assert int(count.sum()) == rows, f"row_count sums to {count.sum()}, /groups has {rows} rows"
        for c in range(C):
            for r in range(R):
                s, n = int(start[c, r]), int(count[c, r])
                assert np.all(case[s:s + n] == c) and np.all(replicate[s:s + n] == r), f"run ({c}, {r}): rows"
                gid = g["group"][s:s + n]
                np.testing.assert_array_equal(gid, np.arange(n), err_msg=f"run ({c}, {r}): group ids")


def check_runs(e):
    C, R = len(e.cases), e.replicates
    with h5py.File(e.path, "r") as f:
        g = f["runs"]
        assert text_attr(g, "description"), "/runs has no description"
        check_case_scale(g, e.case_dim, e.cases)
        check_scale(g, "replicate", np.arange(R), unit="1")
        datasets = data_datasets(g)
        assert set(datasets) == {"failed", "message", "row_start", "row_count"}, sorted(datasets)
        check_flags(g["failed"], ["ok", "failed"], f"{e.label}: /runs/failed")
        dtypes = {"failed": np.int32, "row_start": np.int64, "row_count": np.int32}
        for name, d in datasets.items():
            where = f"{e.label}: /runs/{name}"
            assert d.shape == (C, R), f"{where}: shape {d.shape}"
            assert text_attr(d, "long_name"), f"{where}: no long_name"
            assert scale_names(d) == (e.case_dim, "replicate"), f"{where}: scales {scale_names(d)}"
            if name == "message":
                assert h5py.check_string_dtype(d.dtype) is not None, f"{where}: not strings"
                assert "units" not in d.attrs, f"{where}: a string dataset with units"
            else:
                assert d.dtype == dtypes[name], f"{where}: dtype {d.dtype}"
                assert text_attr(d, "units") == "1", f"{where}: units {text_attr(d, 'units')!r}"
        failed = g["failed"][()]
        messages = np.array(g["message"].asstr()[()].tolist())
        assert set(np.unique(failed)) <= {0, 1}, "failed is not 0/1"
        assert np.all((failed == 1) == (messages != "")), "a message without failure, or a failure without one"
        start, count = g["row_start"][()].reshape(-1), g["row_count"][()].reshape(-1)
        np.testing.assert_array_equal(start, np.concatenate([[0], np.cumsum(count)[:-1]]),
                                      err_msg="row_start is not the running sum of row_count")


def check_meta(e):
    with h5py.File(e.path, "r") as f:
        g = f["meta"]
        assert set(g) >= {"causes", "business_types", "cost_categories", "villages", "village_districts"}, sorted(g)
        for name, d in g.items():
            assert d.ndim == 1 and d.shape[0] > 0, f"/meta/{name}: shape {d.shape}"
            assert h5py.check_string_dtype(d.dtype) is not None, f"/meta/{name}: not strings"
            assert text_attr(d, "long_name"), f"/meta/{name}: no long_name"
            if name in ("village_districts", "village_households"):  # one per village: variables along villages
                assert not h5py.h5ds.is_scale(d.id), f"/meta/{name} is a dimension scale"
                assert scale_names(d) == ("villages",), scale_names(d)
            else:
                assert h5py.h5ds.is_scale(d.id), f"/meta/{name} is not a dimension scale"
        assert len(g["villages"]) == len(g["village_districts"]) == len(g["village_households"])
        assert all(int(n) >= 5 for n in strings(g["village_households"])), strings(g["village_households"])
        assert strings(g["causes"])[0] == "none"
        labels = [v.decode() if isinstance(v, bytes) else v for v in f["groups/cause"].attrs["labels"]]
        assert labels == strings(g["causes"]), "/groups/cause labels differ from /meta/causes"
        costs = ["cost_" + c for c in strings(g["cost_categories"])]
        assert set(costs) <= set(f["series"]), f"cost series missing for {costs}"


def check_design(e):
    P = len(e.cases)
    with h5py.File(e.path, "r") as f:
        g = f["design"]
        K = g["factor"].shape[0]
        assert text_attr(g, "description"), "/design has no description"
        for name in ["factors", "points"]:
            assert name in g.attrs, f"/design attribute {name} is missing"
        assert int(g.attrs["factors"]) == K and int(g.attrs["points"]) == P
        check_case_scale(g, "point", e.cases)
        assert h5py.h5ds.is_scale(g["factor"].id), "/design/factor is not a dimension scale"
        shapes = {"unit": (P, K), "value": (P, K), "low": (K,), "high": (K,), "scale": (K,), "block": (P,),
                  "group": (P,)}
        dims = {"unit": ("point", "factor"), "value": ("point", "factor"), "low": ("factor",), "high": ("factor",),
                "scale": ("factor",), "block": ("point",), "group": ("point",)}
        assert set(data_datasets(g)) == set(shapes), sorted(data_datasets(g))
        for name, shape in shapes.items():
            assert g[name].shape == shape, f"/design/{name}: shape {g[name].shape}, expected {shape}"
            assert text_attr(g[name], "long_name"), f"/design/{name}: no long_name"
            assert scale_names(g[name]) == dims[name], f"/design/{name}: scales {scale_names(g[name])}"
        unit, value = g["unit"][()], g["value"][()]
        low, high = g["low"][()], g["high"][()]
        assert np.all((unit >= 0) & (unit <= 1)), "/design/unit outside [0, 1]"
        assert np.all((value >= low - 1e-12) & (value <= high + 1e-12)), "/design/value outside [low, high]"
        kind = text_attr(g, "kind")
        if kind == "lhs":
            assert int(g.attrs["samples"]) == P and "design_seed" in g.attrs
            for j in range(K):  # one point per stratum in every column
                np.testing.assert_array_equal(np.sort(np.floor(unit[:, j] * P)), np.arange(P))
            assert set(strings(g["scale"])) == {"linear"}
            np.testing.assert_allclose(value, low + unit * (high - low), rtol=1e-9)
        np.testing.assert_array_equal(g["block"][()], -1)
        np.testing.assert_array_equal(g["group"][()], np.arange(P))
        assert strings(f["cases/name"]) == [str(i) for i in range(P)]


def check_failed_runs(e):
    with h5py.File(e.path, "r") as f:
        failed = f["runs/failed"][()]
        np.testing.assert_array_equal(failed, [[0, 0], [1, 1]])
        msg = f["runs/message"].asstr()[()]
        assert "reinvest_share" in msg[1, 0], msg[1, 0]
        np.testing.assert_array_equal(f["runs/row_count"][1], [0, 0])
        for group in ["series", "yearly"]:
            for name, d in data_datasets(f[group]).items():
                bad, good = d[1], d[0]
                if d.dtype == np.int32:
                    assert np.all(bad == -1), f"/{group}/{name}: failed run not -1"
                    assert np.all(good != -1), f"/{group}/{name}: a good run holds -1"
                else:
                    assert np.all(np.isnan(bad)), f"/{group}/{name}: failed run not NaN"
        assert np.all(np.isfinite(f["series/groups_active"][0])), "a good run holds NaN in groups_active"
        assert f["yearly/year"].shape == (3,), "30 months make 3 years"
        assert np.all(f["groups/point"][()] == 0), "a failed run added rows to /groups"


def check_xarray(e):
    C, R = len(e.cases), e.replicates
    for group_name, time_dim, n_time in [("series", "month", e.months), ("yearly", "year", e.years)]:
        with h5py.File(e.path, "r") as f:
            expected = set(data_datasets(f[group_name]))
        dims = (e.case_dim, "replicate", time_dim)
        with xr.open_dataset(e.path, group=group_name, engine="h5netcdf") as ds:
            assert dict(ds.sizes) == dict(zip(dims, (C, R, n_time))), f"/{group_name}: sizes {dict(ds.sizes)}"
            assert set(ds.data_vars) == expected, f"/{group_name}: xarray sees {sorted(ds.data_vars)}"
            for name, var in ds.data_vars.items():
                assert var.dims == dims, f"/{group_name}/{name}: dims {var.dims}, expected {dims}"
                assert var.values.shape == (C, R, n_time), f"/{group_name}/{name}: loaded {var.values.shape}"
                assert "units" in var.attrs, f"/{group_name}/{name}: xarray lost the 'units' attribute"
            np.testing.assert_array_equal(ds[time_dim].values, np.arange(1, n_time + 1))
            assert list(ds[e.case_dim].values) == e.cases, f"/{group_name}: {e.case_dim} {ds[e.case_dim].values}"
    with xr.open_dataset(e.path, group="runs", engine="h5netcdf") as ds:
        assert ds["failed"].dims == (e.case_dim, "replicate"), ds["failed"].dims
        assert ds["message"].dims == (e.case_dim, "replicate"), ds["message"].dims
        assert list(ds[e.case_dim].values) == e.cases
    with xr.open_dataset(e.path, group="groups", engine="h5netcdf") as ds:
        assert set(ds.dims) == {"row"}, dict(ds.sizes)
        df = ds.to_dataframe()
        assert e.case_dim in df.columns and "replicate" in df.columns
    with xr.open_dataset(e.path, group="cases", engine="h5netcdf") as ds:
        assert list(ds["name"].values) == e.cases and ds["name"].dims == (e.case_dim,)
    if e.kind == "sweep":
        with xr.open_dataset(e.path, group="design", engine="h5netcdf") as ds:
            assert ds["value"].dims == ("point", "factor"), ds["value"].dims
            assert ds["low"].dims == ("factor",), ds["low"].dims
            assert all(isinstance(v, str) for v in ds["factor"].values), ds["factor"].values
    with xr.open_dataset(e.path, engine="h5netcdf") as ds:
        assert ds.attrs["format_version"] == "4.2" and ds.attrs["kind"] == e.kind
        assert ds.attrs["Conventions"] == "CF-1.10"


def check_values(e):
    with xr.open_dataset(e.path, group="series", engine="h5netcdf") as ds:
        active = ds["groups_active"].values
        formed = ds["groups_formed"].values
    assert np.all(np.isfinite(active)), "groups_active has non-finite values"
    assert np.all(active >= 0), "groups_active has negative values"
    assert np.all(active <= formed), "more groups active than formed"
    assert np.all(np.diff(formed, axis=2) >= 0), "groups_formed decreases"


# ---- the list of tests: one per check and file ----

CHECKS = [check_root, check_cases, check_groups, check_runs, check_meta, check_xarray, check_values]


def make_tests():
    tests = [("files_written", test_files_written)]
    for label in ["run", "compare", "sweep", "failing"]:
        for check in CHECKS:
            if label == "failing" and check is check_values:
                continue  # its second point has no values
            tests.append((f"{label}_{check.__name__[6:]}", lambda ctx, c=check, l=label: c(ctx.files[l])))
        tests.append((f"{label}_series", lambda ctx, l=label: check_matrix_group(
            ctx.files[l], "series", "month", ctx.files[l].months, "groups_active")))
        tests.append((f"{label}_yearly", lambda ctx, l=label: check_matrix_group(
            ctx.files[l], "yearly", "year", ctx.files[l].years, "active_share")))
        if label in ("sweep", "failing"):
            tests.append((f"{label}_design", lambda ctx, l=label: check_design(ctx.files[l])))
    tests.append(("failing_fill_values", lambda ctx: check_failed_runs(ctx.files["failing"])))
    return tests


if __name__ == "__main__":
    sys.exit(main(sys.argv, "berdaya-read-", write_files, lambda ctx: make_tests()))
