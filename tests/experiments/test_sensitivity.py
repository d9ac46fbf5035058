#!/usr/bin/env python3
"""End-to-end tests of berdaya sensitivity, the one-at-a-time screen of every parameter.

Usage (CTest runs it this way):
    python3 tests/experiments/test_sensitivity.py <berdaya binary> <repo root> [-k PATTERN]

On a tiny scenario (few households, groups, replicates and months) it checks: the design
holds exactly the expected points, computed here from the parameter table that
`berdaya params --markdown` prints (each side clamped to the valid range, integers
rounded, a side that comes back to the reference value left out, a zero moved by the
fraction of its range, choices to each other option, booleans flipped, run.* and text
left out, a change that breaks a relation between parameters left out with a note);
1 and 2 threads write identical files; a kill and --resume end identical to an
uninterrupted screen; the reference point's change against itself is exactly zero, a
cost parameter (which changes no behaviour) moves nothing at all, and a smaller grant
lowers the recipients' lasting income; each change is, to the number, the paired difference
`berdaya compare` gives for the same two scenarios; summary, inspect, report and the Python reader
read the file; bad input ends with exit code 2 and nothing written.
Needs h5py and numpy (Debian python3-h5py).
"""
import json
import math
import os
import signal
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_experiments import assert_identical, describe, leftovers, wait_for_records, write  # noqa: E402
import test_experiments  # noqa: E402

BINARY = None
REPO = None
TIMEOUT = 600

# A tiny world: 4 synthetic villages of 40 households, one cohort of 6 groups, 44 months
# (36 months of follow-up after funding). Planted for the design checks:
#   status.min_contributors = 8 with program.group_size = 9: group_size -25% (7) and
#     min_contributors +25% (10) break "min_contributors <= group_size" and are left out;
#   socialization.attendance = 0.9: +25% is clamped to its upper bound 1;
#   split.base = -2: a negative value, whose -25% side is -1.5;
#   socialization.sessions = 1, permits.per_year = 2: sides that round back are left out.
TINY = """name = "tiny"
[run]
months = 44
replicates = 4
seed = 17

[population]
villages = 4
households_per_village = 40

[program]
cohorts = 1
groups_per_cohort = 6
group_size = 9

[status]
min_contributors = 8

[socialization]
attendance = 0.9
sessions = 1

[split]
base = -2.0
"""
TINY_SETTINGS = {"run.months": 44, "run.replicates": 4, "run.seed": 17, "population.villages": 4,
                 "population.households_per_village": 40, "program.cohorts": 1, "program.groups_per_cohort": 6,
                 "program.group_size": 9, "status.min_contributors": 8, "socialization.attendance": 0.9,
                 "socialization.sessions": 1, "split.base": -2.0}
# Changes the model's own relations reject, for the scenario above.
INVALID = {("program.group_size", 7), ("status.min_contributors", 10)}


def berdaya(args, cwd, **kw):
    return subprocess.run([BINARY] + list(args), cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT, **kw)


def tiny(tmp, extra=""):
    return write(tmp, "tiny.toml", TINY + extra)


def param_table():
    """{name: (kind, default, low, high, options)} from `berdaya params --markdown`."""
    p = subprocess.run([BINARY, "params", "--markdown"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, describe(p)
    table, section = {}, None
    for line in p.stdout.splitlines():
        if line.startswith("## ["):
            section = line[4:-1]
        elif line.startswith("| `") and section:
            cells = [c.strip() for c in line.split("|")[1:5]]
            key, kind, default, rng = cells[0].strip("`"), cells[1], cells[2], cells[3]
            low = high = None
            options = []
            if kind in ("number", "integer"):
                low, high = (float(x) for x in rng.split(" .. "))
                default = float(default) if kind == "number" else int(default)
            elif kind == "boolean":
                default = default == "true"
            elif kind == "choice":
                options = [o.strip() for o in rng.split(",")]
                default = default.strip('"')
            table[f"{section}.{key}"] = (kind, default, low, high, options)
    assert len(table) > 100, len(table)
    return table


def number_text(v):
    """How berdaya writes a number: whole numbers without a point, others in shortest form."""
    if v == math.floor(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def expected_design(table, settings, fraction):
    """[(parameter, value)] of every point after the reference, in table order, and the
    parameters of run.* and text that must be listed as not varied."""
    points, not_varied = [], []
    for name, (kind, default, low, high, options) in table.items():
        ref = settings.get(name, default)
        if name.startswith("run.") or kind == "string":
            not_varied.append(name)
            continue
        if kind == "boolean":
            points.append((name, not ref))
        elif kind == "choice":
            points += [(name, o) for o in options if o != ref]
        else:
            x = float(ref)
            for d in (-1, 1):
                raw = x * (1 + d * fraction) if x != 0 else x + d * fraction * (high - low)
                v = min(max(raw, low), high)
                if kind == "integer":
                    v = min(max(float(math.floor(v + 0.5)), low), high)  # half away from zero, as llround
                else:
                    v = min(max(float("%.12g" % v), low), high)
                if v != x:
                    points.append((name, v))
    return points, not_varied


def text_of(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return v
    return number_text(float(v))


def strings(d):
    return [x.decode() if isinstance(x, bytes) else x for x in d[()]]


def run_screen(tmp, out, *args):
    p = berdaya(["sensitivity", tiny(tmp), "-o", out, "--json"] + list(args), tmp)
    assert p.returncode == 0, describe(p)
    return json.loads(p.stdout)


# ---- tests ----

def test_design_points(tmp):
    table = param_table()
    j = run_screen(tmp, "tiny.h5", "--threads", "2")
    expected, not_varied = expected_design(table, TINY_SETTINGS, 0.25)
    valid = [(n, v) for n, v in expected if (n, v) not in INVALID]
    assert len(valid) == len(expected) - len(INVALID), "a planted invalid change is not in the expected design"
    with h5py.File(os.path.join(tmp, "tiny.h5"), "r") as f:
        assert f.attrs["kind"] == "sweep" and f.attrs["case_dimension"] == "point"
        g = f["design"]
        kind = g.attrs["kind"]
        assert (kind.decode() if isinstance(kind, bytes) else kind) == "oat"
        assert float(g.attrs["fraction"]) == 0.25
        factors = strings(g["factor"])
        block, group = g["block"][()], g["group"][()]
        values, point_text, ref_text = g["value"][()], strings(g["point_text"]), strings(g["reference_text"])
        skipped = strings(g["skipped"])
        P, K = values.shape
        assert P == len(valid) + 1 == j["points"], (P, len(valid), j["points"])
        assert int(g.attrs["points"]) == P and int(g.attrs["factors"]) == K == len(factors)
        assert f["series/groups_active"].shape == (P, 4, 44)
        assert strings(f["cases/description"])[0].startswith("reference point")
        # Point 0 is the reference: nothing changed.
        assert block[0] == -1 and group[0] == 0 and point_text[0] == ""
        got = []
        for p in range(1, P):
            k = int(block[p])
            name = factors[k]
            kind, default, low, high, options = table[name]
            ref = TINY_SETTINGS.get(name, default)
            assert ref_text[k] == text_of(ref), (name, ref_text[k], ref)
            # Only the changed column differs from the reference row.
            others = [c for c in range(K) if c != k]
            np.testing.assert_array_equal(values[p, others], values[0, others], err_msg=f"point {p} ({name})")
            if kind in ("number", "integer"):
                v = float(values[p, k])
                assert low <= v <= high, (name, v)
                assert group[p] == (1 if v > float(ref) else -1), (name, v, group[p])
                got.append((name, v))
                assert point_text[p] == number_text(v), (name, point_text[p], v)
            elif kind == "boolean":
                assert values[p, k] == (0.0 if ref else 1.0)
                got.append((name, point_text[p] == "true"))
            else:
                assert np.isnan(values[p, k]) and point_text[p] in options
                got.append((name, point_text[p]))
        assert got == valid, (sorted(set(got) ^ set(valid)))
        assert not [n for n, _ in got if n.startswith("run.")], "a run.* parameter was varied"
    # Spot checks of the rules, against hand-worked values.
    got_set = set(got)
    for change in [("socialization.attendance", 1.0), ("socialization.attendance", 0.675), ("split.base", -1.5),
                   ("split.base", -2.5), ("program.group_size", 11), ("status.min_contributors", 6),
                   ("permits.per_year", 3), ("training.hours", 250), ("training.who", "officers"),
                   ("program.enabled", False), ("business.payout_rule", "all")]:
        assert change in got_set, change
    for change in [("socialization.sessions", 1), ("permits.per_year", 2), ("training.hours", 0),
                   ("household.withdrawal_cap", 1.0)]:
        assert change not in got_set, change
    text = "\n".join(skipped)
    for name in not_varied:
        assert name in text, f"{name} is not listed as left out:\n{text}"
    for needle in ["program.group_size -25% = 7: the scenario would be invalid",
                   "status.min_contributors +25% = 10: the scenario would be invalid",
                   "socialization.sessions -25%: 0.75 rounds back to 1", "permits.per_year -25%: 1.5 rounds back to 2",
                   "training.hours -25% of range: already at its lower bound 0",
                   "household.withdrawal_cap +25%: already at its upper bound 1"]:
        assert needle in text, f"{needle!r} not in\n{text}"
    assert j["skipped"] == skipped
    # The summary's rows: one per point, the largest survival change first.
    rows = j["changes"]
    assert sorted(r["point"] for r in rows) == list(range(1, P))
    by_point = {r["point"]: r for r in rows}
    for p in range(1, P):
        assert by_point[p]["parameter"] == factors[int(block[p])]
    sizes = [abs(r["active_36"]["mean"]) for r in rows if r["active_36"].get("mean") is not None]
    assert sizes == sorted(sizes, reverse=True), "rows not sorted by the absolute survival change"
    first_na = next((i for i, r in enumerate(rows) if r["active_36"].get("mean") is None), len(rows))
    assert all(r["active_36"].get("mean") is None for r in rows[first_na:]), "an undefined change sorted before a defined one"
    sides = {(r["parameter"], r["change"]) for r in rows}
    for side in [("split.base", "-25%"), ("split.base", "+25%"), ("training.hours", "+25% of range"),
                 ("training.who", "other option"), ("program.enabled", "flipped")]:
        assert side in sides, side


def test_paired_changes(tmp):
    j = run_screen(tmp, "pair.h5")
    assert "Monte Carlo" in j["interval"]["measures"], j["interval"]
    assert j["interval"]["resamples"] == j["resamples"] == 1999 and j["interval"]["replicates"] == 4, j["interval"]
    # The reference against itself: exactly zero, interval included.
    for key in ["active_36", "income_gain"]:
        zero = j["reference_change"][key]
        assert (zero["mean"], zero["lo"], zero["hi"]) == (0, 0, 0), j["reference_change"]
        ref = j["reference"][key]
        assert ref["lo"] <= ref["mean"] <= ref["hi"], ref
    assert 0 < j["reference"]["active_36"]["mean"] < 1, j["reference"]
    rows = {(r["parameter"], r["value"]): r for r in j["changes"]}
    # A cost changes the books, not behaviour: with common random numbers the runs are
    # the same, so both changes are exactly zero.
    for name in ["mentors.cost_per_month", "monitoring.cost_per_visit"]:
        for value in [r["value"] for r in j["changes"] if r["parameter"] == name]:
            r = rows[(name, value)]
            for key in ["active_36", "income_gain"]:
                assert (r[key]["mean"], r[key]["lo"], r[key]["hi"]) == (0, 0, 0), (name, value, key, r[key])
    # A smaller grant leaves less capital to earn from: lasting income falls, surely.
    r = rows[("program.grant_per_member", 1500000)]
    assert r["income_gain"]["mean"] < 0 and r["income_gain"]["hi"] < 0, r
    up = rows[("program.grant_per_member", 2500000)]
    assert up["income_gain"]["mean"] > 0, up
    # Intervals hold their estimate.
    for r in j["changes"]:
        for key in ["active_36", "income_gain"]:
            c = r[key]
            if c.get("mean") is not None and c["lo"] is not None:
                assert c["lo"] <= c["mean"] + 1e-9 and c["mean"] <= c["hi"] + 1e-9, (r["parameter"], key, c)
    # Switching the program off leaves no funded group: survival is not estimable, not 0.
    off = rows[("program.enabled", False)]
    assert off["active_36"] == {"estimable": False, "at_risk": 0, "reachable": 0}, off


def test_changes_are_the_paired_differences_of_compare(tmp):
    # The screen and berdaya compare estimate the same way: the reference point is the
    # comparison's baseline, a point its other scenario, and with the same seed and
    # replicates the screen's change is the comparison's paired difference to the number.
    j = run_screen(tmp, "screen.h5")
    write(tmp, "low-grant.toml", 'extends = "tiny.toml"\nname = "low-grant"\n[program]\ngrant_per_member = 1500000\n')
    write(tmp, "cheap.toml", 'extends = "tiny.toml"\nname = "cheap"\n[mentors]\ncost_per_month = 1875000\n')
    write(tmp, "off.toml", 'extends = "tiny.toml"\nname = "off"\n[program]\nenabled = false\n')
    write(tmp, "pair.toml", 'name = "pair"\nreplicates = 4\nseed = 17\nbaseline = "tiny"\ncounterfactual = "off"\n'
                            'scenarios = ["tiny.toml", "off.toml", "low-grant.toml", "cheap.toml"]\n')
    p = berdaya(["compare", "pair.toml", "-o", "pair.h5", "--json"], tmp)
    assert p.returncode == 0, describe(p)
    c = {s["name"]: s for s in json.loads(p.stdout)["scenarios"]}
    assert c["tiny"]["value"]["active_36"] == j["reference"]["active_36"], (c["tiny"]["value"], j["reference"])
    assert c["tiny"]["value"]["income_effect"] == j["reference"]["income_gain"], (c["tiny"]["value"], j["reference"])
    rows = {(r["parameter"], r["value"]): r for r in j["changes"]}
    for name, key in [("low-grant", ("program.grant_per_member", 1500000)),
                      ("cheap", ("mentors.cost_per_month", 1875000)), ("off", ("program.enabled", False))]:
        r = rows[key]
        assert c[name]["diff"]["active_36"] == r["active_36"], (name, c[name]["diff"]["active_36"], r["active_36"])
        assert c[name]["diff"]["income_effect"] == r["income_gain"], (name, c[name]["diff"]["income_effect"], r)
    assert json.loads(p.stdout)["interval"] == j["interval"]


def test_one_and_two_threads_identical(tmp):
    a = run_screen(tmp, "t1.h5", "--threads", "1")
    b = run_screen(tmp, "t2.h5", "--threads", "2")
    assert_identical(os.path.join(tmp, "t1.h5"), os.path.join(tmp, "t2.h5"))
    for d in (a, b):
        d.pop("file")
    assert a == b


def test_kill_then_resume_is_identical(tmp):
    # More months make each run long enough to be caught in the middle.
    path = tiny(tmp)
    ref = berdaya(["sensitivity", path, "-o", "ref.h5", "--months", "60", "--threads", "2"], tmp)
    assert ref.returncode == 0, describe(ref)
    out, spool = os.path.join(tmp, "killed.h5"), os.path.join(tmp, "killed.h5.spool")
    proc = subprocess.Popen([BINARY, "sensitivity", path, "-o", out, "--months", "60", "--threads", "1"], cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_records(spool, 300_000, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not os.path.exists(out), "a killed screen left a result file"
    again = berdaya(["sensitivity", path, "-o", "killed.h5", "--months", "60"], tmp)
    assert again.returncode == 2 and "--resume" in again.stderr, describe(again)
    p = berdaya(["sensitivity", path, "-o", "killed.h5", "--months", "60", "--resume", "--threads", "2"], tmp)
    assert p.returncode == 0, describe(p)
    assert "kept from the interrupted run" in p.stderr, p.stderr
    assert not os.path.exists(spool), "spool left after the resumed screen completed"
    assert_identical(os.path.join(tmp, "ref.h5"), out)
    # Another fraction is another experiment: its spool is not resumed.
    proc = subprocess.Popen([BINARY, "sensitivity", path, "-o", out + "2", "--months", "60", "--threads", "1"],
                            cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_records(out + "2.spool", 100_000, proc)
    proc.kill()
    proc.wait()
    p = berdaya(["sensitivity", path, "-o", out + "2", "--months", "60", "--fraction", "0.1", "--resume"], tmp)
    assert p.returncode == 2 and "different experiment" in p.stderr, describe(p)


def test_readers_of_the_file(tmp):
    j = run_screen(tmp, "read.h5", "--fraction", "0.5")
    assert j["fraction"] == 0.5
    s = berdaya(["summary", "read.h5", "--json"], tmp)
    assert s.returncode == 0, describe(s)
    assert json.loads(s.stdout) == j, "summary --json differs from the command's own summary"
    t = berdaya(["summary", "read.h5"], tmp)
    assert t.returncode == 0 and "one parameter at a time by 50%" in t.stdout and "95% MC" in t.stdout, describe(t)
    assert "simulation (Monte Carlo) precision" in t.stdout, t.stdout
    assert "Not in the screen" in t.stdout and "run.months, run.replicates, run.seed" in t.stdout, t.stdout
    m = berdaya(["summary", "read.h5", "--markdown"], tmp)
    assert m.returncode == 0, describe(m)
    lines = m.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| parameter |"))
    assert lines[header + 1] == "|---|---|---|---|---|---|", lines[header + 1]
    body = [line for line in lines[header + 2:] if line.startswith("| `")]
    assert len(body) == len(j["changes"]), (len(body), len(j["changes"]))
    assert all(line.count(" | ") == 5 for line in body), body[:3]
    direct = berdaya(["sensitivity", tiny(tmp), "-o", "md.h5", "--fraction", "0.5", "--markdown"], tmp)
    assert direct.returncode == 0 and direct.stdout.replace("md.h5", "read.h5") == m.stdout, describe(direct)
    i = berdaya(["inspect", "read.h5"], tmp)
    assert i.returncode == 0 and "/design" in i.stdout, describe(i)
    r = berdaya(["report", "read.h5", "-o", "read.html", "--lang", "en"], tmp)
    assert r.returncode == 0, describe(r)
    with open(os.path.join(tmp, "read.html"), encoding="utf-8") as f:
        html = f.read()
    assert "split.base" in html and "Monte Carlo" in html, "the report lacks the screen's table"
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import berdaya_results as br\n"
            "r = br.open_results(sys.argv[2]); d = r.design(with_blocks=True)\n"
            "print(d.attrs['kind'], len(d), d['split.base'].iloc[0], int((d['block'] >= 0).sum()))")
    py = subprocess.run([sys.executable, "-c", code, os.path.join(REPO, "analysis", "python"),
                         os.path.join(tmp, "read.h5")], capture_output=True, text=True, timeout=120)
    assert py.returncode == 0, py.stderr
    kind, n, base, changed = py.stdout.split()
    assert kind == "oat" and int(n) == j["points"] and float(base) == -2.0 and int(changed) == j["points"] - 1, py.stdout
    # --markdown is for screens only.
    other = write(tmp, "run.toml", TINY)
    assert berdaya(["run", other, "-o", "run.h5"], tmp).returncode == 0
    p = berdaya(["summary", "run.h5", "--markdown"], tmp)
    assert p.returncode == 2 and "not one" in p.stderr, describe(p)


def test_replicates_from_the_scenario_or_the_flag(tmp):
    j = run_screen(tmp, "own.h5")
    assert j["replicates"] == 4, j["replicates"]
    j = run_screen(tmp, "flag.h5", "--replicates", "2")
    assert j["replicates"] == 2, j["replicates"]
    with h5py.File(os.path.join(tmp, "flag.h5"), "r") as f:
        assert f["series/groups_active"].shape[1] == 2
        assert "replicates = 2" in f.attrs["experiment_toml"] and "fraction = 0.25" in f.attrs["experiment_toml"]


def test_bad_input(tmp):
    good = tiny(tmp)
    bad_toml = write(tmp, "bad.toml", "[run]\nmonths = \n")
    unknown = write(tmp, "unknown.toml", "[socialization]\nsesions = 2\n")
    cases = [
        (["sensitivity", os.path.join(tmp, "nope.toml"), "-o", "x.h5"], "not found"),
        (["sensitivity", bad_toml, "-o", "x.h5"], "malformed TOML"),
        (["sensitivity", unknown, "-o", "x.h5"], "Did you mean 'socialization.sessions'"),
        (["sensitivity", good, "-o", "x.h5", "--fraction", "0"], "--fraction 0 is outside (0, 1]"),
        (["sensitivity", good, "-o", "x.h5", "--fraction", "1.5"], "--fraction 1.5 is outside (0, 1]"),
        (["sensitivity", good, "-o", "x.h5", "--fraction", "-0.2"], "outside (0, 1]"),
        (["sensitivity", good, "-o", "x.h5", "--fraction", "lots"], "fraction"),
        (["sensitivity", good, "-o", "x.h5", "--json", "--markdown"], "choose one"),
        (["sensitivity", good, "-o", os.path.join(tmp, "no-such-folder", "x.h5")], "no-such-folder"),
        (["sensitivity", good, "-o", "x.h5", "--replicates", "0"], "replicates"),
    ]
    for args, needle in cases:
        p = berdaya(args, tmp)
        assert p.returncode == 2, f"{args}\n" + describe(p)
        assert needle in p.stderr, f"{args}: {needle!r} not in\n" + describe(p)
        assert leftovers(tmp, "x.h5") == [], (args, leftovers(tmp, "x.h5"))
    assert "--fraction 0.25" in berdaya(cases[3][0], tmp).stderr, "the message does not say the fix"


def main():
    def setup(binary, repo):
        global BINARY, REPO
        BINARY, REPO = binary, repo
        test_experiments.BINARY, test_experiments.REPO = binary, repo
    return test_experiments.run_tests(globals(), "berdaya-oat-", sys.argv[1:], setup)


if __name__ == "__main__":
    sys.exit(main())
