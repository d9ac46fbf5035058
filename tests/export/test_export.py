"""berdaya export: a comparison's tables in .xlsx (read with openpyxl) and .csv hold the same
numbers as `summary --json` (CSV exactly, the shortest text that reads back as the number;
xlsx to 15 significant digits, as Excel keeps them), the series table the replicate mean of
the file's own /series, a calibration file exports too, and bad requests exit 2 leaving
nothing written.
Usage: test_export.py <berdaya> <source dir>"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import openpyxl

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="berdaya-export-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures  # noqa: E402


def berdaya(*args):
    return subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          stdin=subprocess.DEVNULL, timeout=600)


H5 = os.path.join(TMP, "levers.h5")
p = berdaya("compare", os.path.join(SRC, "scenarios/experiments/kota-batu-levers.toml"), "-o", H5,
            "--replicates", "3", "--months", "24", "--threads", "2")
assert p.returncode == 0, p.stderr
SUMMARY = json.loads(berdaya("summary", H5, "--json").stdout)


def flatten(v, path, out):
    """The summary's values by path, as the export names its columns (a.b.0.c)."""
    if isinstance(v, dict):
        for k, x in v.items():
            flatten(x, f"{path}.{k}" if path else k, out)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            flatten(x, f"{path}.{i}", out)
    else:
        out[path] = v


def column_path(header):
    """A column's path without its unit ("value.active_12.mean (share)")."""
    return header.split(" (")[0]


def same(expected, got, exact):
    if expected is None:
        return got in (None, "")
    if isinstance(expected, bool):
        return got == ("true" if expected else "false")
    if isinstance(expected, (int, float)):
        if exact:
            return float(got) == float(expected)
        return math.isclose(float(got), float(expected), rel_tol=1e-14, abs_tol=0)
    return got == expected


def compare_records(rows, records, exact):
    header = [column_path(h) for h in rows[0]]
    assert len(rows) - 1 == len(records), (len(rows) - 1, len(records))
    checked = 0
    for row, record in zip(rows[1:], records):
        want = {}
        flatten(record, "", want)
        assert set(want) <= set(header), sorted(set(want) - set(header))[:5]
        for path, value in want.items():
            got = row[header.index(path)]
            assert same(value, got, exact), (record.get("name"), path, value, got)
            checked += 1
    return checked


XLSX, CSV = os.path.join(TMP, "levers.xlsx"), os.path.join(TMP, "levers.csv")


def export_table(name):
    """One table of the result file as CSV rows, and its header's column paths."""
    out = os.path.join(TMP, name + ".csv")
    p = berdaya("export", H5, "-o", out, "--table", name)
    assert p.returncode == 0, p.stderr
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows, [column_path(h) for h in rows[0]]


@check("the xlsx export holds the summary's records, the about sheet and the series, with units in headers")
def _():
    p = berdaya("export", H5, "-o", XLSX)
    assert p.returncode == 0, p.stderr
    wb = openpyxl.load_workbook(XLSX, read_only=True)
    assert wb.sheetnames == ["scenarios", "brief", "about", "series", "groups"], wb.sheetnames
    rows = [list(r) for r in wb["scenarios"].iter_rows(values_only=True)]
    n = compare_records(rows, SUMMARY["scenarios"], exact=False)
    assert n > 500, n
    assert "value.active_12.mean (share)" in rows[0], rows[0][:8]
    # The brief for the head of the office: its ranked options, a sheet of their own.
    rows = [list(r) for r in wb["brief"].iter_rows(values_only=True)]
    assert compare_records(rows, SUMMARY["brief"]["options"], exact=False) > 50
    assert "cost_total.value (Rp)" in rows[0], rows[0]
    about = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True)}
    assert about["experiment"] == SUMMARY["experiment"] and about["replicates"] == SUMMARY["replicates"], about


@check("the csv export of each table holds the same numbers exactly")
def _():
    p = berdaya("export", H5, "-o", CSV)
    assert p.returncode == 0, p.stderr
    with open(CSV, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert compare_records(rows, SUMMARY["scenarios"], exact=True) > 500


@check("the series table is the mean over the successful replicates of each /series dataset")
def _():
    rows, header = export_table("series")
    assert header[:2] == ["scenario", "month"], header[:3]
    with h5py.File(H5, "r") as f:
        cases = [c.decode() if isinstance(c, bytes) else str(c) for c in f["series/scenario"][()]]
        failed = f["runs/failed"][()]
        months = f["series/income_pool"].shape[2]
        assert len(rows) - 1 == len(cases) * months
        for name in ("income_pool", "groups_active", "poverty_members"):
            data = f["series/" + name][()]
            col = header.index(name)
            for c in (0, len(cases) - 1):
                ok = data[c][failed[c] == 0]
                for m in (0, months - 1):
                    row = rows[1 + c * months + m]
                    assert row[0] == cases[c] and int(float(row[1])) == m + 1, row[:2]
                    vals = ok[:, m][np.isfinite(ok[:, m])]
                    if len(vals) == 0:
                        assert row[col] == "", row[col]
                    else:
                        assert math.isclose(float(row[col]), float(np.mean(vals)), rel_tol=1e-12), (name, row[col])


@check("the groups table is the file's entity table, row for row, codes in words and fill values empty")
def _():
    rows, header = export_table("groups")
    with h5py.File(H5, "r") as f:
        g = f["groups"]
        cases = [c.decode() if isinstance(c, bytes) else str(c) for c in f["cases/name"][()]]
        assert len(rows) - 1 == g["scenario"].shape[0] > 100, (len(rows), g["scenario"].shape)
        meanings = g["cause"].attrs["flag_meanings"]
        meanings = (meanings.decode() if isinstance(meanings, bytes) else str(meanings)).split()
        words = dict(zip(g["cause"].attrs["flag_values"], meanings))
        fill = g["failed_month"].attrs["_FillValue"]
        empty = 0
        for i in range(1, len(rows), 37):
            row = rows[i]
            assert row[0] == cases[g["scenario"][i - 1]], (row[0], i)
            assert row[header.index("cause")] == words[g["cause"][i - 1]], (row, i)
            assert float(row[header.index("funded_month")]) == g["funded_month"][i - 1]
            assert math.isclose(float(row[header.index("final_capital")]), g["final_capital"][i - 1], rel_tol=1e-12)
            if g["failed_month"][i - 1] == fill:
                assert row[header.index("failed_month")] == "", row
                empty += 1
            else:
                assert float(row[header.index("failed_month")]) == g["failed_month"][i - 1]
        assert empty > 0, "no active group sampled: the fill value is untested"


@check("a calibration file exports its summary (the shipped Kota Batu posterior)")
def _():
    out = os.path.join(TMP, "posterior.xlsx")
    p = berdaya("export", os.path.join(SRC, "scenarios/calibration/kota-batu-posterior.h5"), "-o", out)
    assert p.returncode == 0, p.stderr
    summary = json.loads(berdaya("summary", os.path.join(SRC, "scenarios/calibration/kota-batu-posterior.h5"),
                                 "--json").stdout)
    wb = openpyxl.load_workbook(out, read_only=True)
    records = [k for k, v in summary.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
    assert records and [s for s in wb.sheetnames if s != "about"] == [k[:28] for k in records], (wb.sheetnames, records)
    rows = [list(r) for r in wb[records[0][:28]].iter_rows(values_only=True)]
    compare_records(rows, summary[records[0]], exact=False)


@check("bad requests exit 2 with the fix in the message and write nothing")
def _():
    before = sorted(os.listdir(TMP))
    cases = [
        (["export", H5, "-o", os.path.join(TMP, "out.txt")], ".xlsx"),
        (["export", H5, "-o", CSV], "--force"),
        (["export", H5, "-o", os.path.join(TMP, "t.csv"), "--table", "nope"], "scenarios, brief, about, series, groups"),
        (["export", os.path.join(TMP, "missing.h5"), "-o", os.path.join(TMP, "m.xlsx")], "no such file"),
        (["export", os.path.join(SRC, "scenarios/kota-batu.toml"), "-o", os.path.join(TMP, "k.xlsx")], "kota-batu.toml"),
        (["export", H5, "-o", os.path.join(TMP, "x.xlsx"), "--table", "series"], "--table"),
    ]
    for args, words in cases:
        p = berdaya(*args)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert words in p.stderr, (args, p.stderr)
    assert sorted(os.listdir(TMP)) == before, sorted(set(os.listdir(TMP)) - set(before))


if failures:
    sys.exit(f"{len(failures)} failed: {', '.join(failures)}")
print("export: all passed")
