"""berdaya init: a planner's village list (semicolon-separated, UTF-8 with a byte-order mark,
per-village DTKS households, a quoted name holding the separator) becomes a scenario set
whose comparison and report run, with the village names and household counts in the
result file; a budget adds an optimization file that checks; too many groups are warned
about with the numbers; bad lists exit 2 naming the line and the fix, writing nothing.
Usage: test_init.py <berdaya> <source dir>"""
import os
import subprocess
import sys
import tempfile

import h5py

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TMP = tempfile.mkdtemp(prefix="berdaya-init-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures  # noqa: E402

VILLAGES = [("Klojen", "Kauman", 412), ("Klojen", "Oro-oro Dowo", 288), ("Klojen", "Samaan; Utara", 350),
            ("Lowokwaru", "Tlogomas", 530), ("Lowokwaru", "Dinoyo", 615), ("Blimbing", "Polowijen", 470),
            ("Blimbing", "Pandanwangi", 505), ("Kedungkandang", "Buring", 390)]


def berdaya(*args, cwd=None):
    return subprocess.run([BIN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          stdin=subprocess.DEVNULL, timeout=600, cwd=cwd)


def write_csv(name, header, rows, bom=True, sep=";"):
    path = os.path.join(TMP, name)
    def field(v):
        v = str(v)
        return f'"{v}"' if sep in v else v
    text = sep.join(header) + "\r\n" + "".join(sep.join(field(v) for v in r) + "\r\n" for r in rows)
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


AREA = os.path.join(TMP, "kota-malang")
CSV = write_csv("malang.csv", ["Kecamatan", "Village", "Households"], VILLAGES)


@check("init writes the baseline, the levers, the experiment and, with a budget, the optimization file")
def _():
    p = berdaya("init", AREA, "--villages", CSV, "--groups-per-cohort", "8", "--cohorts", "3", "--budget", "2.5e8",
                "--poverty-line", "590000")
    assert p.returncode == 0, p.stderr
    assert "warning" not in p.stderr, p.stderr
    files = sorted(os.listdir(AREA))
    for f in ["kota-malang.toml", "kota-malang-levers.toml", "kota-malang-budget.toml", "villages.csv",
              "no-program.toml", "socialization.toml", "combined.toml"]:
        assert f in files, files
    for f in files:
        if f.endswith(".toml") and f not in ("kota-malang-levers.toml", "kota-malang-budget.toml"):
            v = berdaya("validate", os.path.join(AREA, f))
            assert v.returncode == 0, (f, v.stderr)
    base = open(os.path.join(AREA, "kota-malang.toml"), encoding="utf-8").read()
    assert "groups_per_cohort = 8" in base and "cohorts = 3" in base and "poverty_line = 590000" in base, base
    assert "households_per_village" not in base, base
    c = berdaya("optimize", os.path.join(AREA, "kota-malang-budget.toml"), "--check", "-o",
                os.path.join(TMP, "budget.h5"))
    assert c.returncode == 0, c.stderr
    budget = open(os.path.join(AREA, "kota-malang-budget.toml"), encoding="utf-8").read()
    assert "per_year = 250000000" in budget and "Batu" not in budget, budget[:400]


@check("the comparison and the report run, with every village's name and households in the file")
def _():
    out = os.path.join(TMP, "levers.h5")
    p = berdaya("compare", os.path.join(AREA, "kota-malang-levers.toml"), "-o", out, "--replicates", "3",
                "--months", "24", "--threads", "2")
    assert p.returncode == 0, p.stderr
    with h5py.File(out, "r") as f:
        names = [x.decode() for x in f["meta/villages"][()]]
        counts = [int(x.decode()) for x in f["meta/village_households"][()]]
        districts = [x.decode() for x in f["meta/village_districts"][()]]
        cases = [x.decode() for x in f["series/scenario"][()]]
    assert names == [v[1] for v in VILLAGES], names
    assert counts == [v[2] for v in VILLAGES], counts
    assert districts == [v[0] for v in VILLAGES], districts
    assert cases[0] == "kota-malang" and "no-program" in cases, cases
    r = berdaya("report", out, "-o", os.path.join(TMP, "levers.html"))
    assert r.returncode == 0, r.stderr
    html = open(os.path.join(TMP, "levers.html"), encoding="utf-8").read()
    assert "kota-malang" in html


@check("a comma list without households gives every village the default count, said in the file")
def _():
    csv = write_csv("plain.csv", ["kecamatan", "village", "kind"], [("A", "Satu", "desa"), ("A", "Dua", "desa")],
                    bom=False, sep=",")
    d = os.path.join(TMP, "plain")
    p = berdaya("init", d, "--villages", csv)
    assert p.returncode == 0, p.stderr
    base = open(os.path.join(d, "plain.toml"), encoding="utf-8").read()
    assert "households_per_village = 150" in base, base


@check("more groups than the villages' eligible households can fill are warned about with the numbers")
def _():
    d = os.path.join(TMP, "too-many")
    p = berdaya("init", d, "--villages", CSV, "--groups-per-cohort", "200")
    assert p.returncode == 0, p.stderr
    assert "warning" in p.stderr and "200 groups a cohort" in p.stderr and "3560 households" in p.stderr, p.stderr


@check("bad village lists and requests exit 2 naming the place and the fix, writing nothing")
def _():
    bad_col = write_csv("badcol.csv", ["kecamatan", "village", "rumah_tangga"], [("A", "B", 10)])
    bad_count = write_csv("badcount.csv", ["kecamatan", "village", "households"], [("A", "B", 100), ("A", "C", "x")])
    twice = write_csv("twice.csv", ["kecamatan", "village"], [("A", "B"), ("A", "B")])
    before = sorted(os.listdir(TMP))
    cases = [
        (["init", os.path.join(TMP, "n1"), "--villages", bad_col], ["badcol.csv:1", "rumah_tangga", "households"]),
        (["init", os.path.join(TMP, "n2"), "--villages", bad_count], ["badcount.csv:3", "whole number"]),
        (["init", os.path.join(TMP, "n3"), "--villages", twice], ["twice.csv:3", "twice"]),
        (["init", os.path.join(TMP, "n4"), "--villages", os.path.join(TMP, "none.csv")], ["no such file"]),
        (["init", os.path.join(TMP, "Bad Name"), "--villages", CSV], ["--name", "lowercase"]),
        (["init", AREA, "--villages", CSV], ["exists", "--force"]),
    ]
    for args, words in cases:
        p = berdaya(*args)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        for w in words:
            assert w in p.stderr, (args, w, p.stderr)
    assert sorted(os.listdir(TMP)) == before, sorted(set(os.listdir(TMP)) ^ set(before))


if failures:
    sys.exit(f"{len(failures)} failed: {', '.join(failures)}")
print("init: all passed")
