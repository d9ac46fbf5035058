"""A result file as one xarray Dataset, read through the project's reader
(analysis/python/berdaya_results.py, copied beside this file by the build)."""

import os

import h5py
import numpy as np
import xarray as xr

try:
    from . import berdaya_results as br
except ImportError:  # the package copied by hand without the reader: take it from the path
    import berdaya_results as br

# The entity table (root attribute `table`, /groups for KUBE) has its own dimension `row`;
# its columns are named <table>.<column>, e.g. groups.cause, since some share a name with a
# series (captured, payouts) or a dimension (replicate).


def _strings(dataset):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in dataset[()].tolist()]


def _group(path, name):
    # Unmasked, as the reader reads /series and /yearly: -1 stays -1 and integers integers.
    with xr.open_dataset(path, group=name, engine="h5netcdf", mask_and_scale=False) as ds:
        return ds.load()


def load(path, summary=None, keep_path=True):
    """Reads the whole file at `path` into memory. The file's root attributes become the
    Dataset's attributes, with `summary` (the text the command line prints) added; with
    keep_path, attrs["file"] and encoding["source"] name the file."""
    path = os.fspath(path)
    with br.open_results(path) as r:
        dim, kind, cases = r.case_dimension, r.kind, list(r.cases)
        attrs = dict(r.attrs)
        series = r.series()
        yearly = r.yearly()
    # The reader's coordinates along the case dimension (names, or point numbers and factor
    # values), as plain values: the file's own case coordinate holds the names as text.
    case_coords = {k: (v.dims, v.values, v.attrs) for k, v in series.coords.items() if dim in v.dims}

    runs = _group(path, "runs").assign_coords(case_coords)
    table = str(attrs.get("table", "groups"))
    groups = _group(path, table)
    rows = groups.sizes.get("row", 0)
    groups = groups.rename({v: f"{table}.{v}" for v in groups.data_vars})
    # The run of each row as coordinates along `row`: the case (its name, for runs and
    # comparisons, as on the scenario dimension) and the replicate.
    case_col = f"{table}.{dim}"
    if case_col in groups and kind != "sweep":
        index = groups[case_col].values.astype(np.int64)
        keep = {k: v for k, v in groups[case_col].attrs.items() if not k.startswith("flag_")}  # codes no more
        groups[case_col] = ("row", np.array(cases, dtype=object)[index] if rows else np.array([], dtype=object),
                            keep)
    groups = groups.set_coords([c for c in (case_col, f"{table}.replicate") if c in groups])

    ds = xr.merge([series, yearly, runs, groups], combine_attrs="drop_conflicts")
    with h5py.File(path, "r") as f:
        c = f["cases"]
        for name in ("description", "scenario_toml"):
            if name in c:
                ds.coords[name] = (dim, np.array(_strings(c[name]), dtype=object), dict(c[name].attrs))
    ds.attrs = attrs
    if summary is not None:
        ds.attrs["summary"] = summary
    if keep_path:
        ds.attrs["file"] = os.path.abspath(path)
        ds.encoding["source"] = os.path.abspath(path)
    return ds
