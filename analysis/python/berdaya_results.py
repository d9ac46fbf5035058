"""Reads berdaya result files (format 4.x, docs/output-format.md) into xarray and pandas.

    import berdaya_results as br

    with br.open_results("kota-batu-levers.h5") as r:
        r.kind, r.cases, r.replicates, r.months   # what the file holds
        r.attrs["seed"]                           # every root attribute, decoded
        active = r.series("groups_active")        # DataArray (scenario, replicate, month)
        yearly = r.yearly()                       # Dataset (scenario, replicate, year)
        groups = r.groups()                       # DataFrame, one row per group per run
        runs = r.runs()                           # DataFrame, one row per run
        design = r.design()                       # sweeps: DataFrame of factor values per point

For runs and comparisons the leading dimension is `scenario` and its coordinate holds
the scenario names. For sweeps it is `point` (0 ... P-1), and every factor is an extra
coordinate along `point` named after its parameter, e.g. `training.hours`.

Values are exactly those of the file, not masked: NaN in float datasets and -1 in integer
datasets where a run failed (see `runs()`), -1 in month columns of the group table for
"never" or "censored". Each variable's `_FillValue` attribute names that value (plain
`xarray.open_dataset` masks it to NaN; this reader does not). Files of format 3.x are
refused: rerun the experiment with a current berdaya. Needs h5py, xarray (with h5netcdf),
pandas and numpy only.
"""

import os

import h5py
import numpy as np
import pandas as pd
import xarray as xr

FORMAT_NAME = "berdaya-results"
MAJOR_VERSION = 4

_GROUPS = ("cases", "series", "yearly", "runs", "meta")
_ROOT_ATTRS = ("format_version", "kind", "case_dimension", "cases", "replicates", "months")


class FormatError(ValueError):
    """The file is not a berdaya result file this module can read; the message names it."""


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [_text(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _strings(dataset):
    return [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in dataset[()].tolist()]


def _is_scale(dataset):
    return h5py.h5ds.is_scale(dataset.id)


class Results:
    """An open result file. Use `open_results(path)`; close it, or use it in a `with`."""

    def __init__(self, path):
        self.path = os.fspath(path)
        if not os.path.isfile(self.path):
            raise FileNotFoundError(f"{self.path}: no such file")
        try:
            self._file = h5py.File(self.path, "r")
        except OSError as e:
            raise FormatError(f"{self.path}: not an HDF5 file, so not a berdaya result file ({e})") from None
        try:
            self._check()
        except Exception:
            self._file.close()
            raise

    def _check(self):
        f = self._file
        fmt = _text(f.attrs.get("format", ""))
        if fmt != FORMAT_NAME:
            raise FormatError(f"{self.path}: an HDF5 file, but not a berdaya result file "
                              f"(root attribute format is {fmt!r}, expected {FORMAT_NAME!r})")
        version = str(_text(f.attrs.get("format_version", "?")))
        major = version.split(".")[0]
        if major != str(MAJOR_VERSION):
            older = major.isdigit() and int(major) < MAJOR_VERSION
            raise FormatError(f"{self.path}: format version {version}, written by "
                              f"{'an older' if older else 'another'} berdaya; this reader reads "
                              f"{MAJOR_VERSION}.x (docs/output-format.md says what changed). "
                              + ("Rerun the experiment with this version of berdaya to rewrite the file"
                                 if older else
                                 "Read it with the berdaya version that wrote it, or rerun the experiment "
                                 "with this version"))
        for name in _ROOT_ATTRS:
            if name not in f.attrs:
                raise FormatError(f"{self.path}: the root attribute '{name}' is missing (damaged file?)")
        self.attrs = {k: _text(v) for k, v in f.attrs.items()}
        self.kind = self.attrs["kind"]
        self.case_dimension = self.attrs["case_dimension"]
        # The program model that wrote the file and the name of its entity table (KUBE:
        # groups); files that do not say are KUBE's.
        self.model = self.attrs.get("model", "kube")
        self.table_name = self.attrs.get("table", "groups")
        needed = _GROUPS + (self.table_name,) + (("design",) if self.kind == "sweep" else ())
        for name in needed:
            if not isinstance(f.get(name), h5py.Group):
                raise FormatError(f"{self.path}: the group /{name} is missing (damaged or incomplete file?)")
        self.cases = _strings(f["cases/name"])
        self.replicates = int(self.attrs["replicates"])
        self.months = int(self.attrs["months"])
        self.format_version = str(self.attrs["format_version"])
        if len(self.cases) != int(self.attrs["cases"]):
            raise FormatError(f"{self.path}: /cases/name has {len(self.cases)} entries but the root attribute "
                              f"cases says {self.attrs['cases']}")

    # ---- lifetime ----

    def close(self):
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return (f"<berdaya {self.kind} {self.path!r}: {len(self.cases)} {self.case_dimension}(s) x "
                f"{self.replicates} replicate(s) x {self.months} month(s)>")

    # ---- cases ----

    def _case_coords(self):
        """Coordinates of the case dimension: scenario names, or point index plus factor values.

        The file's own case coordinate holds the names (for sweeps "0", "1", ...); sweeps get
        the point index as a number here, so that selecting and plotting by point works."""
        dim = self.case_dimension
        if self.kind != "sweep":
            return {dim: (dim, np.array(self.cases, dtype=object))}
        coords = {dim: (dim, np.arange(len(self.cases), dtype=np.int32))}
        d = self.design()
        for factor in d.columns:
            coords[factor] = (dim, d[factor].to_numpy())
        return coords

    def _matrix_group(self, group, name):
        g = self._file[group]
        names = [k for k, v in g.items() if isinstance(v, h5py.Dataset) and not _is_scale(v)]
        if name is not None:
            wanted = [name] if isinstance(name, str) else list(name)
            unknown = [n for n in wanted if n not in names]
            if unknown:
                raise KeyError(f"{self.path}: /{group} has no {', '.join(unknown)}; it has {', '.join(sorted(names))}")
        # Unmasked: integer series stay integers and -1 stays -1, as documented above.
        with xr.open_dataset(self.path, group=group, engine="h5netcdf", mask_and_scale=False) as ds:
            if name is not None:
                ds = ds[wanted]
            ds = ds.load()
        ds = ds.assign_coords(self._case_coords())
        ds.attrs.update({"file": self.path, "kind": self.kind})
        if isinstance(name, str):
            return ds[name]
        return ds

    def series(self, name=None):
        """Monthly series: a DataArray for one name, else a Dataset of all (or of a list of names).

        Dimensions (scenario | point, replicate, month); month runs from 1."""
        return self._matrix_group("series", name)

    def yearly(self, name=None):
        """Yearly indicators, like `series` with dimension year (from 1) instead of month."""
        return self._matrix_group("yearly", name)

    # ---- tables ----

    def groups(self, labels=False):
        """The entity table (for KUBE the groups): one row per entity per run, runs in
        case-then-replicate order; `table()` is the same under the model-neutral name.

        The case column (scenario or point) holds scenario names for runs and comparisons;
        sweeps keep the point index and get one column per factor with its value at the
        point. With labels=True, code columns (cause, business) become categoricals of
        their label names."""
        g = self._file[self.table_name]
        dim = self.case_dimension
        columns = {}
        for name, d in g.items():
            if not isinstance(d, h5py.Dataset) or _is_scale(d):
                continue
            values = d[()]
            if name == dim:
                continue
            if labels and "labels" in d.attrs:
                values = pd.Categorical.from_codes(values, categories=_text(d.attrs["labels"]))
            columns[name] = values
        case = g[dim][()] if dim in g else np.zeros(0, dtype=np.int32)
        if self.kind == "sweep":
            front = {dim: case}
            d = self.design()
            for factor in d.columns:
                front[factor] = d[factor].to_numpy()[case]
        else:
            front = {dim: pd.Categorical.from_codes(case, categories=self.cases)}
        order = [c for c in ("replicate", "group") if c in columns]
        order += [c for c in columns if c not in order]
        return pd.DataFrame({**front, **{c: columns[c] for c in order}})

    def table(self, labels=False):
        """The model's entity table (its group is named by the root attribute `table`)."""
        return self.groups(labels)

    def runs(self):
        """One row per run (case, replicate): failed (bool), message, row_start, row_count.

        row_start and row_count locate the run's rows in `groups()`."""
        g = self._file["runs"]
        C, R = len(self.cases), self.replicates
        case = np.repeat(np.arange(C), R)
        frame = {
            self.case_dimension: (case if self.kind == "sweep"
                                  else pd.Categorical.from_codes(case, categories=self.cases)),
            "replicate": np.tile(np.arange(R), C),
            "failed": g["failed"][()].reshape(-1).astype(bool),
            "message": [m for row in g["message"].asstr()[()].tolist() for m in row],
            "row_start": g["row_start"][()].reshape(-1),
            "row_count": g["row_count"][()].reshape(-1),
        }
        return pd.DataFrame(frame)

    def design(self, unit=False, with_blocks=False):
        """Sweeps: the factor values run at each point, indexed by point, one column per factor.

        unit=True gives the points in the unit hypercube instead. with_blocks=True adds the
        columns block and group (Saltelli matrix and base row; Morris factor changed and
        trajectory). The design's kind and settings are in the DataFrame's attrs."""
        if self.kind != "sweep" or "design" not in self._file:
            raise ValueError(f"{self.path}: a {self.kind} file has no design; only sweeps do")
        g = self._file["design"]
        factors = _strings(g["factor"])
        values = g["unit" if unit else "value"][()]
        frame = pd.DataFrame(values, columns=factors, index=pd.RangeIndex(values.shape[0], name="point"))
        if with_blocks:
            frame["block"] = g["block"][()]
            frame["group"] = g["group"][()]
        frame.attrs = {k: _text(v) for k, v in g.attrs.items()}
        frame.attrs.update(low=dict(zip(factors, g["low"][()].tolist())),
                           high=dict(zip(factors, g["high"][()].tolist())),
                           scale=dict(zip(factors, _strings(g["scale"]))))
        return frame

    def meta(self, name):
        """A label list of /meta, e.g. meta("causes") or meta("villages")."""
        if name not in self._file["meta"]:
            raise KeyError(f"{self.path}: /meta has no {name}; it has {', '.join(self._file['meta'])}")
        return _strings(self._file["meta"][name])

    def case_descriptions(self):
        """Scenario descriptions by name (runs and comparisons); empty for sweeps."""
        g = self._file["cases"]
        if "description" not in g:
            return {}
        return dict(zip(self.cases, _strings(g["description"])))


def open_results(path):
    """Opens a result file. FormatError (a ValueError naming the file) when it is not a
    berdaya result file of format 4.x or lacks a group; FileNotFoundError when missing."""
    return Results(path)
