"""berdaya optimize on the ventures test model (tests/toy/ventures.cpp), whose optimum under
a grant budget is known, and on the shipped Kota Batu file. Usage:
test_optimize.py <berdaya or berdaya_toy> <source dir> <part>
part: known (the known optimum, one objective with GACO and two with NSGA-II; every
reported mix within budget), cli (1 vs 2 threads, interrupt and --resume, posterior
robustness rule, bad files, summary) or kube (the shipped file: the front dominates or
matches every hand-made start scenario within the budget; kube-combined: the same at the
cost of the combined scenario, where every single-lever scenario is within it), or mpi (2 and 3 ranks against
threads; the mpiexec path follows the part). Fixed seeds throughout."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
PART = sys.argv[3] if len(sys.argv) > 3 else "known"
BASE = os.path.join(SRC, "tests", "toy", "scenarios", "ventures.toml")
TMP = tempfile.mkdtemp(prefix="berdaya-optimize-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures, same_datasets  # noqa: E402

# Each group costs ventures.grant = 1000 when funded, so a total budget of 100000 funds
# 100 groups. Profit at month 24 grows with the groups, falls with the early hazard and
# scales with the profit per group: the optimum is 100 groups, the lowest hazard (0.01)
# and the largest profit choice (200), exactly (common random numbers make it monotone).
BUDGET = 100000


def run(*args, code=0, timeout=600):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=timeout, cwd=TMP)
    if p.returncode != code:
        raise AssertionError(f"berdaya {' '.join(args)}: exit {p.returncode}, wanted {code}\n{p.stdout}\n{p.stderr}")
    return p



def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def problem(name, objectives=("profit",), algorithm="auto", population=16, generations=8, replicates=2, seed=5,
            extra="", groups_high=200):
    text = f'''name = "{name}"
scenario = "{BASE}"
{extra}
[budget]
series = "cost"
total = {BUDGET}
[search]
algorithm = "{algorithm}"
population = {population}
generations = {generations}
replicates = {replicates}
seed = {seed}
[[variable]]
name = "ventures.groups"
low = 20
high = {groups_high}
[[variable]]
name = "ventures.early_hazard"
low = 0.01
high = 0.1
[[variable]]
name = "ventures.profit"
choices = [50, 100, 200]
'''
    if "profit" in objectives:
        text += '[[objective]]\nname = "profit-24"\nstatistic = "series"\nseries = "profit"\nmonth = 24\n' \
                'direction = "maximize"\n'
    if "failures" in objectives:
        text += '[[objective]]\nname = "failures-y1"\nstatistic = "yearly"\nyearly = "failures"\nyear = 1\n' \
                'direction = "minimize"\n'
    return write(name + ".toml", text)


def load(path):
    with h5py.File(path, "r") as f:
        g = f["optimization"]
        out = {k: g[k][()] for k in g}
        out["attrs"] = dict(f.attrs)
    for k in ("variable", "objective", "start", "value_text"):
        out[k] = np.vectorize(lambda s: s.decode() if isinstance(s, bytes) else s)(out[k])
    return out



def within_budget(r):
    """Every reported mix (the front) is feasible and within the budget; the cost is the
    model's own (1000 per group funded)."""
    front = r["front"] == 1
    assert front.any(), "empty front"
    assert np.all(r["feasible"][front] == 1)
    assert np.all(r["cost"][front] <= BUDGET), r["cost"][front]
    groups = r["value"][:, 0]
    assert np.array_equal(r["cost"][r["failed"] == 0], 1000 * groups[r["failed"] == 0]), "cost is not grant x groups"
    assert np.array_equal(r["feasible"] == 1, r["cost"] <= BUDGET)


if PART == "known":
    @check("one objective (GACO): the known optimum, 100 groups (tolerance: at least 97), early hazard at most "
           "0.02 (bound 0.01), profit choice 200")
    def _():
        out = os.path.join(TMP, "one.h5")
        s = json.loads(run("optimize", problem("one"), "-o", out, "--threads", "2", "--json").stdout)
        assert s["kind"] == "optimization" and s["method"] == "GACO", s
        r = load(out)
        within_budget(r)
        ok = r["feasible"] == 1
        best = np.flatnonzero(ok)[np.argmax(r["objective_value"][ok, 0])]
        groups, hazard, profit = r["value"][best]
        assert r["value_text"][best, 2] == "200" and profit == 2, r["value_text"][best]
        assert 97 <= groups <= 100 and hazard <= 0.02, r["value"][best]
        # The summary's recommended mix is that candidate, in words.
        assert s["objectives"][0]["best"] == best, (s["objectives"], best)
        text = run("summary", out).stdout
        assert "Recommended mixes" in text and "Mean monthly profit of an active group: 200 instead of 100" in text, text
        # Every generation is one batch; the candidates record theirs.
        assert r["attrs"]["batches"] == 9 and r["generation"].max() <= 8, r["attrs"]["batches"]

    @check("two objectives (NSGA-II): the front within budget, its most profitable mix at the optimum (groups >= 95, "
           "hazard <= 0.02, profit 200), and its hazards near the bound that is best for both (median <= 0.03)")
    def _():
        out = os.path.join(TMP, "two.h5")
        s = json.loads(run("optimize", problem("two", ("profit", "failures"), population=24, generations=15),
                           "-o", out, "--threads", "2", "--json").stdout)
        assert s["method"] == "NSGA-II", s
        r = load(out)
        within_budget(r)
        front = np.flatnonzero(r["front"] == 1)
        top = front[np.argmax(r["objective_value"][front, 0])]
        assert r["value"][top, 0] >= 95 and r["value"][top, 1] <= 0.02 and r["value_text"][top, 2] == "200", \
            r["value"][top]
        assert np.median(r["value"][front, 1]) <= 0.03, r["value"][front, 1]
        # No front mix is dominated by another evaluated mix within budget (objectives and cost).
        ok = np.flatnonzero(r["feasible"] == 1)
        crit = np.column_stack([-r["objective_value"][:, 0], r["objective_value"][:, 1], r["cost"]])
        for i in front:
            dominated = np.all(crit[ok] <= crit[i], axis=1) & np.any(crit[ok] < crit[i], axis=1)
            assert not dominated.any(), i

if PART == "cli":
    @check("1 and 2 threads give identical optimization files")
    def _():
        cfg = problem("threads", ("profit", "failures"), population=16, generations=4)
        a, b = os.path.join(TMP, "t1.h5"), os.path.join(TMP, "t2.h5")
        run("optimize", cfg, "-o", a, "--threads", "1")
        run("optimize", cfg, "-o", b, "--threads", "2")
        same_datasets(a, b)

    @check("common random numbers: the same candidate's runs are the same in every generation's batch and file")
    def _():
        r = load(os.path.join(TMP, "t1.h5"))
        # Candidates that differ only in the profit choice lose the same groups (failures-y1 equal).
        key = {}
        for i in range(len(r["cost"])):
            k = (r["value"][i, 0], r["value"][i, 1])
            key.setdefault(k, set()).add(r["objective_value"][i, 1])
        assert all(len(v) == 1 for v in key.values()), [v for v in key.values() if len(v) > 1]

    @check("interrupted, then --resume: the same file as an uninterrupted run")
    def _():
        cfg = problem("resume", ("profit", "failures"), population=16, generations=4, replicates=200,
                      groups_high=2000)
        whole, part = os.path.join(TMP, "whole.h5"), os.path.join(TMP, "part.h5")
        run("optimize", cfg, "-o", whole, "--threads", "2")
        proc = subprocess.Popen([BIN, "optimize", cfg, "-o", part, "--threads", "2"], cwd=TMP,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        marker = os.path.join(part + ".optimization", "b1.spool")
        deadline = time.time() + 120
        while not os.path.exists(marker) and proc.poll() is None and time.time() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, (proc.returncode, err)
        assert "--resume" in err and not os.path.exists(part), err
        p = run("optimize", cfg, "-o", part, "--threads", "1", code=2)
        assert "--resume" in p.stderr, p.stderr
        run("optimize", cfg, "-o", part, "--threads", "1", "--resume")
        assert not os.path.exists(part + ".optimization")
        same_datasets(whole, part)

    @check("robustness across a posterior: every candidate at the same draws; the 20% rule is the documented "
           "quantile of the draws (the worse side for a minimized objective)")
    def _():
        cal = write("cal.toml", f'''name = "cal"
scenario = "{BASE}"
[method]
particles = 40
generations = 2
replicates = 2
seed = 3
[[parameter]]
name = "ventures.late_hazard"
prior = "uniform"
low = 0.0
high = 0.05
[[target]]
name = "late"
statistic = "hazard"
start = "funded_month"
end = "failed_month"
year = 2
value = 0.15
sd = 0.05
''')
        post = os.path.join(TMP, "post.h5")
        run("calibrate", cal, "-o", post, "--threads", "2")
        extra = f'[robustness]\nposterior = "{post}"\ndraws = 5\nrule = "quantile"\nquantile = 0.2\n'
        cfg = problem("robust", ("profit", "failures"), population=8, generations=2, extra=extra)
        out = os.path.join(TMP, "robust.h5")
        run("optimize", cfg, "-o", out, "--threads", "2")
        r = load(out)
        assert r["objective_draw"].shape == (len(r["cost"]), 2, 5), r["objective_draw"].shape
        assert r["attrs"]["draws"] == 5 and r["attrs"]["rule"] == "quantile"
        for i in range(len(r["cost"])):
            v = np.sort(r["objective_draw"][i, 0])  # maximized: the 20% quantile
            assert r["objective_value"][i, 0] == v[int(np.ceil(0.2 * 5)) - 1], (i, v, r["objective_value"][i, 0])
            v = np.sort(r["objective_draw"][i, 1])  # minimized: the 80% quantile
            assert r["objective_value"][i, 1] == v[int(np.ceil(0.8 * 5)) - 1], (i, v, r["objective_value"][i, 1])
            assert np.isclose(r["objective_mean"][i, 0], r["objective_draw"][i, 0].mean())
        # A calibrated parameter is not a lever.
        bad = problem("robust-bad", extra=extra).replace(".toml", "")
        text = open(bad + ".toml").read().replace('name = "ventures.groups"', 'name = "ventures.late_hazard"') \
            .replace("low = 20\nhigh = 200", "low = 0.0\nhigh = 0.05")
        err = run("optimize", write("robust-bad.toml", text), "-o", os.path.join(TMP, "rb.h5"), code=2).stderr
        assert "calibrated parameter" in err, err

    @check("summary prints the front and the recommended mixes; --json parses; --check runs nothing")
    def _():
        path = os.path.join(TMP, "t1.h5")
        text = run("summary", path).stdout
        assert "Non-dominated mixes within the budget" in text and "Best for profit-24" in text, text
        s = json.loads(run("summary", path, "--json").stdout)
        assert s["kind"] == "optimization" and len(s["front"]) == int(load(path)["front"].sum()), s
        p = run("optimize", problem("checked"), "--check")
        assert ": ok (" in p.stdout and not os.path.exists(os.path.join(TMP, "checked-optimization.h5")), p.stdout

    @check("report: cost against each objective with the front and the start scenarios, in Indonesian and English")
    def _():
        path = os.path.join(TMP, "t1.h5")
        fronts = int(load(path)["front"].sum())
        for lang, words in (("id", "Campuran yang dianjurkan"), ("en", "Recommended mixes")):
            out = os.path.join(TMP, f"t1-{lang}.html")
            run("report", path, "--lang", lang, "-o", out)
            html = open(out).read()
            assert words in html and html.count("<svg") == 2, lang  # one chart per objective
            assert html.count("<tr><td>") == fronts, (lang, html.count("<tr><td>"), fronts)
        run("report", path, "-o", os.path.join(TMP, "t1-id.html"), code=2)  # exists: --force to replace

    BAD = [
        ('scenario = "{base}"\nbogus = 1\n', ":2:", "unknown key 'bogus'"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 8\nseed = 1\n'
         '[[variable]]\nname = "ventures.grups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":9:", "Did you mean 'ventures.groups'"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 8\nseed = 1\n'
         '[[variable]]\nname = "ventures.groups"\nlow = 30\nhigh = 20\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         "", "needs low < high"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\nper_year = 1\n[search]\npopulation = 8\n'
         'seed = 1\n[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         "", "exactly one of per_year"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 10\nseed = 1\n'
         '[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n'
         '[[objective]]\nname = "b"\nstatistic = "series"\nseries = "active"\nmonth = 1\ndirection = "minimize"\n',
         ":6:", "multiple of 4"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 8\n'
         '[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":6:", "has no seed"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 8\nseed = 1\n'
         '[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximise"\n',
         ":17:", "Did you mean 'maximize'"),
        ('scenario = "{base}"\n[robustness]\ndraws = 4\n[budget]\nseries = "cost"\ntotal = 1\n[search]\n'
         'population = 8\nseed = 1\n[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":3:", "draws without a posterior"),
        ('scenario = "{base}"\n[robustness]\nrule = "quantile"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\n'
         'population = 8\nseed = 1\n[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":3:", "needs quantile"),
        ('scenario = "{base}"\nstart = ["{base}"]\n[budget]\nseries = "cost"\ntotal = 1\n[search]\n'
         'population = 8\nseed = 1\n[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":2:", "outside the variable's [1, 2]"),
        ('scenario = "{base}"\n[budget]\nseries = "cots"\ntotal = 1\n[search]\npopulation = 8\nseed = 1\n'
         '[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":3:", "Did you mean 'cost'"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 8\nseed = 1\n'
         '[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 99\ndirection = "maximize"\n',
         ":16:", "month = 99 is outside"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\nalgorithm = "nsga2"\n'
         'population = 8\nseed = 1\n[[variable]]\nname = "ventures.groups"\nlow = 1\nhigh = 2\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":6:", "nsga2 searches several objectives"),
        ('scenario = "{base}"\n[budget]\nseries = "cost"\ntotal = 1\n[search]\npopulation = 8\nseed = 1\n'
         '[[variable]]\nname = "ventures.groups"\nchoices = [1, 1]\n'
         '[[objective]]\nname = "a"\nstatistic = "series"\nseries = "profit"\nmonth = 1\ndirection = "maximize"\n',
         ":10:", "listed twice"),
    ]

    @check("bad optimization files: exit 2, the place and the fix, nothing written")
    def _():
        for i, (text, place, words) in enumerate(BAD):
            path = write(f"bad{i}.toml", text.replace("{base}", BASE))
            err = run("optimize", path, "-o", os.path.join(TMP, f"bad{i}.h5"), code=2).stderr
            assert (place == "" or f"bad{i}.toml{place}" in err) and words in err, (i, err)
            assert not os.path.exists(os.path.join(TMP, f"bad{i}.h5")), i

if PART == "mpi":
    @check("2 and 3 MPI ranks give the file of one process with threads")
    def _():
        mpiexec = sys.argv[4]
        env = dict(os.environ)
        env.update({"OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                    "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"})
        cfg = problem("mpi", ("profit", "failures"), population=16, generations=3)
        ref = os.path.join(TMP, "mpi-threads.h5")
        run("optimize", cfg, "-o", ref, "--threads", "2")
        for n in (2, 3):
            out = os.path.join(TMP, f"mpi-{n}.h5")
            p = subprocess.run([mpiexec, "-np", str(n), BIN, "optimize", cfg, "-o", out], capture_output=True,
                               text=True, timeout=600, cwd=TMP, env=env)
            assert p.returncode == 0, (n, p.stdout, p.stderr)
            assert p.stdout.count("Recommended mixes") == 1, p.stdout  # rank 0 alone prints
            same_datasets(ref, out)

if PART == "kube":
    @check("the shipped robust file (8 posterior draws, 20th percentile; about 4,000 runs, not run here) checks")
    def _():
        cfg = os.path.join(SRC, "scenarios", "optimization", "kota-batu-budget-robust.toml")
        p = run("optimize", cfg, "--check")
        assert ": ok (" in p.stdout and "at most 4992 runs" in p.stdout, p.stdout

if PART in ("kube", "kube-combined"):
    # kota-batu-budget.toml: the baseline's budget (every single-lever scenario costs more);
    # kota-batu-combined-budget.toml: the combined scenario's cost (every one is within it).
    FILE = "kota-batu-budget" if PART == "kube" else "kota-batu-combined-budget"

    @check(f"the shipped {FILE}.toml: every front mix within the budget; the front dominates or matches every "
           "hand-made start scenario within the budget")
    def _():
        cfg = os.path.join(SRC, "scenarios", "optimization", FILE + ".toml")
        out = os.path.join(TMP, FILE + ".h5")
        s = json.loads(run("optimize", cfg, "-o", out, "--threads", "2", "--json").stdout)
        r = load(out)
        budget = r["attrs"]["budget"]
        front = r["front"] == 1
        assert front.any() and np.all(r["cost"][front] <= budget) and np.all(r["feasible"][front] == 1)
        starts = {x["name"]: x for x in s["starts"]}
        assert {"kota-batu", "socialization", "training", "monitoring", "mentors", "labels", "combined"} <= set(starts)
        within = [n for n, x in starts.items() if x["feasible"]]
        assert "kota-batu" in within, starts["kota-batu"]
        if PART == "kube-combined":
            assert set(within) == set(starts), within  # every shipped scenario costs no more than combined
        for name, x in starts.items():
            if x["feasible"]:
                assert x["matched_by_front"], (name, x)
        print("  starts:", {n: (round(x["cost"] / 1e6), x["feasible"], x["matched_by_front"]) for n, x in starts.items()})

if failures:
    print(f"{len(failures)} failed: {', '.join(failures)}")
    sys.exit(1)
print("all optimization checks passed")
