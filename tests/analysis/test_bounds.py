#!/usr/bin/env python3
"""Every interval berdaya shows stays within the natural bounds of its quantity.

Run by CTest as

    python3 tests/analysis/test_bounds.py <berdaya binary> <source dir>

Writes a small run (8 replicates, 48 months) and a small comparison (baseline, the
counterfactual that funds no group, two levers; 8 replicates, 48 months, so no group can
be followed 60 months) and checks, in `run --json`, `compare --json`, `summary --json`,
the text outputs and the HTML reports (Indonesian and English): every estimate has
lo <= mean <= hi; shares stay in [0, 1], differences of shares in [-1, 1], counts, costs
and months are >= 0; a horizon too few groups could be followed to is flagged
({"estimable": false, "at_risk": n} in JSON, "not estimable (n at risk)" in text), never
a number; each output says its intervals measure simulation (Monte Carlo) precision; the
lasting income gain and the one-off transfer are reported apart. Needs h5py (the shared
harness). Prints "N passed, M failed".
"""

import html.parser
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from harness import main  # noqa: E402

REPLICATES, MONTHS, SEED = 8, 48, 7
EXPERIMENT = """name = "bounds"
replicates = {replicates}
seed = {seed}
months = {months}
baseline = "kota-batu"
counterfactual = "no-program"
scenarios = ["{s}/kota-batu.toml", "{s}/no-program.toml", "{s}/socialization.toml", "{s}/monitoring.toml"]
"""

SHARE, DIFF_SHARE, NONNEG, ANY = (0.0, 1.0), (-1.0, 1.0), (0.0, math.inf), (-math.inf, math.inf)

# Natural bounds of every estimate of the run summary, by JSON path.
RUN_BOUNDS = {
    "active_share": SHARE,
    "income.members": NONNEG, "income.members_cf": NONNEG, "income.pool": NONNEG, "income.pool_cf": NONNEG,
    "income.members_transfer": NONNEG, "income.members_gain": ANY,
    "poverty.members": SHARE, "poverty.members_cf": SHARE, "poverty.pool": SHARE, "poverty.pool_cf": SHARE,
    "poverty.members_change": DIFF_SHARE,
    "cost.total": NONNEG, "cost.per_funded_group": NONNEG, "cost.per_active_group": NONNEG,
    "cost.per_active_group_36": NONNEG, "cost.cost_per_rupiah": NONNEG, "cost.income_per_rupiah": ANY,
    "indicators.effectiveness": SHARE,
    "indicators.responsiveness.median_months": NONNEG,
    "indicators.responsiveness.within_3_months": SHARE, "indicators.responsiveness.at_risk_visited_1m": SHARE,
    "indicators.accountability.reports_on_time": SHARE, "indicators.accountability.report_error": ANY,
    "indicators.accountability.office_overstatement_end": ANY,
}

# The comparison's metrics: bounds of a value and of a difference to the baseline.
COMPARE_BOUNDS = {
    "active_12": (SHARE, DIFF_SHARE), "active_36": (SHARE, DIFF_SHARE), "active_60": (SHARE, DIFF_SHARE),
    "income_effect": (ANY, ANY), "income_transfer": (NONNEG, ANY),
    "poverty_change_members": (DIFF_SHARE, DIFF_SHARE), "poverty_change": (DIFF_SHARE, DIFF_SHARE),
    "cost_per_active_36": (NONNEG, ANY), "cost_per_rupiah": (NONNEG, ANY),
    "effectiveness": (SHARE, DIFF_SHARE), "responsiveness": (NONNEG, ANY), "accountability": (ANY, ANY),
    "cost_total": (NONNEG, ANY), "active_36_per_billion": (NONNEG, ANY), "income_per_rupiah": (ANY, ANY),
    "lifted_per_billion": (ANY, ANY),
}
SURVIVAL = {"active_12", "active_36", "active_60", "cost_per_active_36", "active_36_per_billion"}

# Natural bounds of the numbers behind each chart of the report, by chart id.
CHART_BOUNDS = [
    (r"brief-groups$", NONNEG), (r"over-time-income$", ANY), (r"over-time-poverty$", DIFF_SHARE),
    (r"survival$", SHARE), (r"causes-.*", SHARE), (r"income-.*", NONNEG), (r"poverty-.*", SHARE),
    (r"effect-income$", ANY), (r"effect-transfer$", NONNEG), (r"effect-poverty$", DIFF_SHARE),
    (r"diff-income$", ANY), (r"diff-transfer$", ANY), (r"diff-poverty$", DIFF_SHARE),
    (r"cost-per-active-36$", NONNEG), (r"cost-per-rupiah$", NONNEG),
    (r"indicator-effectiveness$", SHARE), (r"indicator-responsiveness$", NONNEG), (r"indicator-accountability$", ANY),
]

LABEL_EN = "simulation (Monte Carlo) precision"


def run(ctx, args):
    p = subprocess.run([ctx.berdaya] + args, capture_output=True, text=True, timeout=600, cwd=ctx.tmp)
    assert p.returncode == 0, f"{args}: exit {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}"
    return p.stdout


def write_files(ctx):
    scenarios = os.path.join(ctx.source, "scenarios")
    with open(os.path.join(ctx.tmp, "bounds.toml"), "w") as f:
        f.write(EXPERIMENT.format(replicates=REPLICATES, seed=SEED, months=MONTHS, s=scenarios))
    common = ["--threads", "2"]
    ctx.run_json = json.loads(run(ctx, ["run", os.path.join(scenarios, "kota-batu.toml"), "-o", "run.h5", "--json",
                                        "--replicates", str(REPLICATES), "--months", str(MONTHS), "--seed",
                                        str(SEED)] + common))
    ctx.compare_json = json.loads(run(ctx, ["compare", "bounds.toml", "-o", "cmp.h5", "--json"] + common))
    ctx.summary_json = {name: json.loads(run(ctx, ["summary", "--json", name])) for name in ("run.h5", "cmp.h5")}
    ctx.text = {name: run(ctx, ["summary", name]) for name in ("run.h5", "cmp.h5")}
    ctx.html = {}
    for name in ("run", "cmp"):
        for lang in ("id", "en"):
            out = f"{name}-{lang}.html"
            run(ctx, ["report", f"{name}.h5", "-o", out, "--lang", lang])
            with open(os.path.join(ctx.tmp, out), encoding="utf-8") as f:
                ctx.html[out] = f.read()


# ---- checks of one estimate ----

def number(v, what):
    assert isinstance(v, (int, float)) and not isinstance(v, bool), f"{what}: {v!r} is not a number"
    return float(v)


def check_estimate(e, bounds, what, survival=False):
    """One JSON estimate: a flag, or mean/lo/hi inside `bounds` with lo <= mean <= hi."""
    assert isinstance(e, dict), f"{what}: {e!r} is not an estimate"
    if e.get("estimable") is False:
        assert survival, f"{what}: flagged not estimable, but it rests on no survival horizon: {e}"
        assert isinstance(e.get("at_risk"), int) and e["at_risk"] >= 0, f"{what}: no at_risk count in {e}"
        assert e.get("reachable", 0) < 10, f"{what}: {e.get('reachable')} groups could be followed, yet not estimable"
        for k in ("mean", "lo", "hi"):
            assert k not in e, f"{what}: not estimable, yet it holds a number under {k!r}: {e}"
        return "flagged"
    for k in ("mean", "lo", "hi", "n"):
        assert k in e, f"{what}: no {k!r} in {e}"
    if e["mean"] is None:  # undefined, e.g. no recipients in the counterfactual
        assert e["lo"] is None and e["hi"] is None, f"{what}: no estimate but an interval: {e}"
        return "undefined"
    mean = number(e["mean"], what)
    lo = -math.inf if e.get("lo_unbounded") else number(e["lo"], what + " lo")
    hi = math.inf if e.get("hi_unbounded") else number(e["hi"], what + " hi")
    assert lo <= mean <= hi, f"{what}: not lo <= mean <= hi: {e}"
    assert bounds[0] <= lo and hi <= bounds[1], f"{what}: interval [{lo}, {hi}] outside the bounds {bounds}"
    if survival and "reachable" in e:
        assert e["reachable"] >= 10, f"{what}: estimated although only {e['reachable']} groups could be followed"
    return "number"


def lookup(obj, path):
    for part in path.split("."):
        obj = obj[part]
    return obj


def walk_estimates(obj, prefix=""):
    """Every JSON object that is an estimate, with its dotted path."""
    if isinstance(obj, dict):
        if "mean" in obj or obj.get("estimable") is False:
            yield prefix, obj
            return
        for k, v in obj.items():
            yield from walk_estimates(v, f"{prefix}.{k}" if prefix else k)


def bounds_of_run_path(path):
    for key, b in RUN_BOUNDS.items():
        if path == key or path.startswith(key + "."):
            return b
    raise AssertionError(f"{path}: no natural bounds known for this estimate; add them to RUN_BOUNDS")


# ---- tests ----

def check_summary(s, what):
    kinds = {}
    for path, e in walk_estimates(s):
        kinds[path] = check_estimate(e, bounds_of_run_path(path), f"{what} {path}",
                                     survival=path.startswith("active_share") or path == "cost.per_active_group_36")
    assert len(kinds) >= 25, f"{what}: only {len(kinds)} estimates found"
    # 48 months: no group can be followed 60 months, so that horizon is flagged, not a number.
    assert kinds["active_share.60"] == "flagged", s["active_share"]["60"]
    assert kinds["active_share.12"] == "number", s["active_share"]["12"]
    assert "Monte Carlo" in s["interval"]["measures"] and s["interval"]["replicates"] == REPLICATES, s["interval"]
    # The lasting gain and the one-off transfer, apart.
    for k in ("members_gain", "members_transfer"):
        assert kinds[f"income.{k}"] == "number", s["income"][k]


def test_run_json(ctx):
    check_summary(ctx.run_json, "run --json")
    assert ctx.run_json == ctx.summary_json["run.h5"], "berdaya summary of the file differs from what run printed"


def test_summary_json_reproducible(ctx):
    again = json.loads(run(ctx, ["summary", "--json", "run.h5"]))
    assert again == ctx.summary_json["run.h5"], "a second summary of the same file differs (bootstrap not seeded?)"


def test_compare_json(ctx):
    for label, t in (("compare --json", ctx.compare_json), ("summary --json (compare)", ctx.summary_json["cmp.h5"])):
        assert "Monte Carlo" in t["interval"]["measures"], t["interval"]
        assert set(t["units"]) == set(COMPARE_BOUNDS), f"metrics {sorted(t['units'])}: add bounds for new ones"
        flagged = 0
        for row in t["scenarios"]:
            for key, (value_bounds, diff_bounds) in COMPARE_BOUNDS.items():
                what = f"{label} {row['name']} {key}"
                survival = key in SURVIVAL
                kinds = [check_estimate(row["value"][key], value_bounds, what, survival),
                         check_estimate(row["diff"][key], diff_bounds, what + " diff", survival),
                         check_estimate(row["diff_unpaired"][key], diff_bounds, what + " diff_unpaired", survival)]
                flagged += kinds.count("flagged")
                if key == "active_60":
                    assert kinds == ["flagged"] * 3, f"{what}: 60 months in a 48-month run must be flagged: {row}"
                if row["name"] == "no-program" and survival:
                    assert kinds[0] == "flagged", f"{what}: the counterfactual funds no group: {row['value'][key]}"
            if row["name"] == t["baseline"]:
                for key in COMPARE_BOUNDS:
                    d = row["diff"][key]
                    if d.get("estimable") is not False and d["mean"] is not None:
                        assert d["mean"] == d["lo"] == d["hi"] == 0, f"baseline minus itself is not 0: {key} {d}"
        assert flagged >= 4 * 3, f"{label}: only {flagged} flagged estimates"


def test_text(ctx):
    for name, text in ctx.text.items():
        assert LABEL_EN in text, f"{name}: the text does not say what its intervals measure\n{text[:800]}"
        assert "not estimable (" in text and " at risk)" in text, f"{name}: no horizon flagged in the text"
        assert re.search(r"not estimable \(\d+ at risk\)", text), text
    run_text = ctx.text["run.h5"]
    line = next(l for l in run_text.splitlines() if l.strip().startswith("60 months:"))
    assert "not estimable" in line and "%" not in line, line
    assert "lasting income gain" in run_text and "one-off transfer" in run_text, run_text
    cmp_text = ctx.text["cmp.h5"]
    assert "lasting income gain" in cmp_text and "One-off transfer" in cmp_text, cmp_text
    # Text intervals of shares stay in [0, 100] percent.
    for m in re.finditer(r"(\d+\.\d)%\s+\[(-?\d+\.\d), (-?\d+\.\d)\]", run_text):
        mean, lo, hi = (float(x) for x in m.groups())
        assert 0 <= lo <= mean <= hi <= 100, m.group(0)


class Cells(html.parser.HTMLParser):
    """The headline cells (elements with data-part, their metric from the enclosing cell,
    and their text) and the charts' number tables (rows of data-role cells)."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts, self.tables = [], {}
        self.table = self.row = None
        self.metric = None
        self.open = []  # (tag, part or None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-for" in a:
            self.table = self.tables.setdefault(a["data-for"], [])
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table.append(self.row)
        elif tag == "td" and self.row is not None and "data-role" in a:
            self.row.append((a["data-role"], float(a["data-v"])))
        if "data-metric" in a:
            self.metric = a["data-metric"]
        part = None
        if "data-part" in a:
            part = dict(a, text="")
            part.setdefault("data-metric", self.metric)
            self.parts.append(part)
        if tag not in self.VOID:
            self.open.append((tag, part))

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = self.row = None
        while self.open:
            t, _ = self.open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, part in self.open:
            if part is not None:
                part["text"] += data


def test_html_reports(ctx):
    for name, page in ctx.html.items():
        lang_en = name.endswith("-en.html")
        assert ("simulation precision" if lang_en else "presisi simulasi") in page, f"{name}: no interval label"
        p = Cells()
        p.feed(page)
        assert p.parts, f"{name}: no headline cells with data attributes"
        flagged = 0
        for cell in p.parts:
            what = f"{name} {cell.get('data-metric', '?')} {cell['data-part']}"
            if cell.get("data-estimable") == "false":
                flagged += 1
                word = "not estimable (" if lang_en else "tidak dapat diestimasi ("
                assert word in cell["text"], f"{what}: flagged, but the cell reads {cell['text']!r}"
                assert float(cell["data-at-risk"]) >= 0
                continue
            mean, lo, hi = (float(cell[k]) for k in ("data-mean", "data-lo", "data-hi"))
            if math.isnan(mean):
                continue
            value_bounds, diff_bounds = COMPARE_BOUNDS[cell["data-metric"]]
            b = value_bounds if cell["data-part"] == "value" else diff_bounds
            assert lo <= mean <= hi, f"{what}: not lo <= mean <= hi: {lo} {mean} {hi}"
            assert b[0] <= lo and hi <= b[1], f"{what}: [{lo}, {hi}] outside {b}"
        assert flagged >= 1, f"{name}: no cell flagged not estimable"
        checked = 0
        for chart, rows in p.tables.items():
            bounds = next((b for pattern, b in CHART_BOUNDS if re.match(pattern, chart)), None)
            assert bounds is not None, f"{name}: chart {chart} has no natural bounds known; add them to CHART_BOUNDS"
            for row in rows:
                triples, cur = [], None
                for role, v in row:
                    if role == "value":
                        cur = [v, math.nan, math.nan]
                        triples.append(cur)
                    elif role in ("lo", "hi") and cur is not None:
                        cur[1 if role == "lo" else 2] = v
                for mean, lo, hi in triples:
                    if math.isnan(mean):
                        continue
                    assert bounds[0] - 1e-12 <= mean <= bounds[1] + 1e-12, f"{name} {chart}: {mean} outside {bounds}"
                    if math.isnan(lo) and math.isnan(hi):
                        continue
                    assert lo <= mean <= hi, f"{name} {chart}: not lo <= value <= hi: {lo} {mean} {hi}"
                    assert bounds[0] <= lo and hi <= bounds[1], f"{name} {chart}: [{lo}, {hi}] outside {bounds}"
                    checked += 1
        assert checked > 100, f"{name}: only {checked} intervals behind the charts"


def make_tests(ctx):
    return [(f.__name__, f) for f in (test_run_json, test_summary_json_reproducible, test_compare_json, test_text,
                                      test_html_reports)]


if __name__ == "__main__":
    sys.exit(main(sys.argv, "berdaya-bounds-", write_files, make_tests))
