"""The toy model (tests/toy/toy.cpp) through every command of berdaya_toy, against answers
known exactly: it shows that the engine and the commands work for any program model.
Usage: test_toy.py <berdaya_toy binary> <source dir>"""
import json
import math
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TOY = os.path.join(SRC, "tests", "toy", "scenarios")
TMP = tempfile.mkdtemp(prefix="berdaya-toy-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures  # noqa: E402


def run(*args, code=0):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600, cwd=TMP)
    if p.returncode != code:
        raise AssertionError(f"berdaya {' '.join(args)}: exit {p.returncode}, wanted {code}\n{p.stdout}\n{p.stderr}")
    return p



def scenario(name):
    return os.path.join(TOY, name)


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


@check("models lists both, KUBE the default")
def _():
    out = run("models").stdout
    assert "kube (default)" in out and "toy:" in out, out


@check("validate and params speak of the toy model")
def _():
    assert "toy scenario 'circle'" in run("validate", scenario("circle.toml")).stdout
    out = run("params", "--model", "toy").stdout
    assert "circle.leave_probability" in out and "membership." not in out, out
    md = run("params", "--model", "toy", "--markdown").stdout
    assert md.startswith("# Parameters of model toy") and "`circle.deposit`" in md, md
    assert "Did you mean 'toy'" in run("params", "--model", "toyy", code=2).stderr


@check("run: savings grow by the deposit of every member still in, exactly")
def _():
    out = os.path.join(TMP, "run.h5")
    p = run("run", scenario("circle.toml"), "-o", out, "--replicates", "400", "--json")
    summary = json.loads(p.stdout)
    assert summary["model"] == "toy" and summary["replicates"] == 400, summary
    with h5py.File(out, "r") as f:
        assert f.attrs["model"] == "toy" and f.attrs["table"] == "members"
        active = f["series/active"][0]    # [replicate x month]
        savings = f["series/savings"][0]
        members = 10
        before = np.concatenate([np.full((400, 1), members), active[:, :-1]], axis=1)
        assert np.array_equal(np.diff(np.concatenate([np.zeros((400, 1)), savings], axis=1), axis=1), 1000 * before)
        left = f["members/left_month"][()]
        assert len(left) == 400 * members
        # Members never gone are the ones still in at the end, run by run.
        still = (left.reshape(400, members) == -1).sum(axis=1)
        assert np.array_equal(still, active[:, -1])
        yearly = f["yearly/deposits"][0]
        assert np.allclose(yearly.sum(axis=1), savings[:, -1])
    # E[active at month 24] = 10 (1 - 0.05)^24; tolerance 4 standard errors over 400 replicates.
    q = 0.95 ** 24
    mean, se = members * q, math.sqrt(members * q * (1 - q) / 400)
    got = next(s for s in summary["series"] if s["name"] == "active")["last_month"][0]
    assert abs(got["mean"] - mean) < 4 * se, (got, mean, se)
    assert got["lo"] <= got["mean"] <= got["hi"], got


@check("results do not depend on the thread count")
def _():
    a, b = os.path.join(TMP, "t1.h5"), os.path.join(TMP, "t2.h5")
    run("run", scenario("circle.toml"), "-o", a, "--threads", "1")
    run("run", scenario("circle.toml"), "-o", b, "--threads", "2")
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for name in ("series/active", "series/savings", "members/left_month"):
            assert np.array_equal(fa[name][()], fb[name][()]), name


@check("compare: the same members leave in both scenarios; savings double exactly")
def _():
    out = os.path.join(TMP, "compare.h5")
    s = json.loads(run("compare", scenario("compare.toml"), "-o", out, "--json").stdout)
    with h5py.File(out, "r") as f:
        active, savings = f["series/active"][()], f["series/savings"][()]
        assert np.array_equal(active[0], active[1])
        assert np.array_equal(savings[1], 2 * savings[0])
        assert f.attrs["counterfactual"] == ""
    act = next(x for x in s["series"] if x["name"] == "active")["difference"][1]
    assert act["mean"] == 0 and act["lo"] == 0 and act["hi"] == 0, act
    sav = next(x for x in s["series"] if x["name"] == "savings")
    assert math.isclose(sav["difference"][1]["mean"], sav["last_month"][0]["mean"], rel_tol=1e-5), sav


@check("sweep: with nobody leaving, savings are members x deposit x months at every point")
def _():
    out = os.path.join(TMP, "sweep.h5")
    run("sweep", scenario("sweep.toml"), "-o", out)
    with h5py.File(out, "r") as f:
        deposit = f["design/value"][:, 0]
        savings = f["series/savings"][:, :, -1]  # [point x replicate]
        assert len(deposit) == 3
        for p in range(3):
            assert np.all(savings[p] == 10 * deposit[p] * 12), (p, savings[p])


@check("sensitivity: every toy parameter moved, summary from the generic analysis")
def _():
    out = os.path.join(TMP, "sens.h5")
    s = json.loads(run("sensitivity", scenario("circle.toml"), "-o", out, "--replicates", "3", "--json").stdout)
    assert s["model"] == "toy" and s["kind"] == "sweep", s
    with h5py.File(out, "r") as f:
        factors = [x.decode() if isinstance(x, bytes) else x for x in f["design/factor"][()]]
    assert set(factors) == {"circle.members", "circle.deposit", "circle.leave_probability"}, factors
    assert "no Markdown table" in run("sensitivity", scenario("circle.toml"), "--markdown", "-o",
                                      os.path.join(TMP, "sens2.h5"), code=2).stderr


@check("calibrate: the leave probability from the members still in after a year")
def _():
    out = os.path.join(TMP, "calibration.h5")
    s = json.loads(run("calibrate", scenario("calibrate.toml"), "-o", out, "--json").stdout)
    text = json.dumps(s)
    assert "circle.leave_probability" in text, text[:400]
    with h5py.File(out, "r") as f:
        assert f.attrs["kind"] == "calibration" and f.attrs["model"] == "toy", dict(f.attrs)
    # 0.95^12 x 10 = 5.4 gives p = 0.05; the posterior must sit well inside the prior [0, 0.5]:
    # the 90% interval holds 0.05 and is under half the prior's width.
    m = next(x for x in s["parameters"] if x["name"] == "circle.leave_probability")
    assert m["q05"] <= 0.05 <= m["q95"] and m["width_ratio"] < 0.5, m


@check("summary, inspect and report read toy files")
def _():
    out = os.path.join(TMP, "compare.h5")
    text = run("summary", out).stdout
    assert "(model toy)" in text and "savings (IDR)" in text and "vs circle" in text, text
    listing = run("inspect", out).stdout
    assert "\n/members" in listing and "left_month" in listing, listing
    assert 'model = "toy"' in run("inspect", "--scenario", out).stdout
    html = os.path.join(TMP, "compare.html")
    run("report", out, "-o", html)
    page = open(html).read()
    assert "<h2>savings (IDR)</h2>" in page and "simulation (Monte Carlo) precision" in page


@check("the project's Python reader reads a toy file by its model's table and names")
def _():
    sys.path.insert(0, os.path.join(SRC, "analysis", "python"))
    import berdaya_results as br
    with br.open_results(os.path.join(TMP, "compare.h5")) as r:
        assert r.model == "toy" and r.table_name == "members", (r.model, r.table_name)
        t = r.table()
        assert "left_month" in t.columns and len(t) == 2 * 20 * 10, t.shape
        savings = r.series("savings")
        assert list(savings.coords["scenario"].values) == ["circle", "double-deposit"]
        assert np.array_equal(savings.sel(scenario="double-deposit").values, 2 * savings.sel(scenario="circle").values)


@check("serve refuses a model without a trainer page")
def _():
    assert "has no trainer page" in run("serve", scenario("circle.toml"), "--port", "0", code=2).stderr


@check("bad input: unknown model, mixed models, a relation, a missing counterfactual")
def _():
    bad = write("bad-model.toml", 'name = "x"\nmodel = "toyy"\n')
    assert "Did you mean 'toy'" in run("validate", bad, code=2).stderr
    mixed = write("mixed.toml", 'scenarios = ["%s", "%s"]\nbaseline = "circle"\nreplicates = 2\nseed = 1\n'
                  % (scenario("circle.toml"), os.path.join(SRC, "scenarios", "kota-batu.toml")))
    err = run("compare", mixed, code=2).stderr
    assert "comparison compares scenarios of one model" in err, err
    kube = write("kube.toml", 'scenarios = ["%s", "%s"]\nbaseline = "kota-batu"\nreplicates = 2\nseed = 1\n'
                 % (os.path.join(SRC, "scenarios", "kota-batu.toml"), os.path.join(SRC, "scenarios", "no-program.toml")))
    err = run("compare", kube, code=2).stderr
    assert "'counterfactual' is missing" in err and 'model "kube"' in err, err
    never = write("never.toml", 'extends = "%s"\nname = "never"\n[circle]\nleave_probability = 1.0\ndeposit = 0.0\n'
                  % scenario("circle.toml"))
    assert "never exists" in run("run", never, "-o", os.path.join(TMP, "never.h5"), code=2).stderr
    clash = write("clash.toml", 'extends = "%s"\nname = "clash"\nmodel = "kube"\n' % scenario("circle.toml"))
    assert "extends only scenarios of its own model" in run("validate", clash, code=2).stderr


if failures:
    print(f"{len(failures)} failed: {', '.join(failures)}")
    sys.exit(1)
print("all toy checks passed")
