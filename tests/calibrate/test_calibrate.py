"""berdaya calibrate (ABC-SMC) on the ventures test model (tests/toy/ventures.cpp), whose
statistics are known in closed form. Usage: test_calibrate.py <berdaya_toy> <source dir> [part [mpiexec]]
part: recovery (planted values recovered; an uninformed parameter keeps its prior), cli
(1 vs 2 threads, interrupt and --resume, bad files, summary) or mpi (2 and 3 ranks against
threads). Fixed seeds throughout."""
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
PART = sys.argv[3] if len(sys.argv) > 3 else "all"
BASE = os.path.join(SRC, "tests", "toy", "scenarios", "ventures.toml")
TMP = tempfile.mkdtemp(prefix="berdaya-calibrate-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures, same_datasets  # noqa: E402

# The planted world the targets are simulated from.
PLANTED = {"ventures.early_hazard": 0.06, "ventures.late_hazard": 0.015, "ventures.market_share": 0.7,
           "ventures.profit": 150.0, "ventures.savings_rate": 0.2}
PRIORS = {"ventures.early_hazard": ("uniform", 0.0, 0.2), "ventures.late_hazard": ("uniform", 0.0, 0.06),
          "ventures.market_share": ("uniform", 0.0, 1.0), "ventures.profit": ("loguniform", 20.0, 1000.0),
          "ventures.savings_rate": ("uniform", 0.0, 1.0)}


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


def observed():
    """Targets computed here, with numpy, from 8 replicates of the planted scenario."""
    planted = write("planted.toml", f'name = "planted"\nextends = "{BASE}"\n[run]\nreplicates = 8\nseed = 99\n'
                    "[ventures]\n" + "".join(f"{k.split('.')[1]} = {v}\n" for k, v in PLANTED.items()))
    out = os.path.join(TMP, "planted.h5")
    run("run", planted, "-o", out, "--force")
    with h5py.File(out, "r") as f:
        funded, failed = f["groups/funded_month"][()], f["groups/failed_month"][()]
        cause = f["groups/cause"][()]
        profit, active = f["series/profit"][0], f["series/active"][0]
        savings = f["series/savings"][0][:, 47]
    age = np.where(failed >= 0, failed - funded, 10**6)  # no group is censored before 36 months
    n = len(age)
    alive12 = int((age > 12).sum())
    at24, at36 = (age > 24).sum(), (age > 36).sum()
    h3 = 1 - at36 / at24
    market, failures_n = int((cause == 1).sum()), int((cause > 0).sum())
    ratio = profit.sum() / active.sum()
    return {"survival": (alive12, n), "hazard": (h3, np.sqrt(h3 * (1 - h3) / at24)),
            "share": (market, failures_n), "ratio": ratio, "savings": savings.mean()}


OBS = None


def calibration(name, particles=200, generations=14, replicates=4, seed=11, savings=True, extra=""):
    global OBS
    if OBS is None:
        OBS = observed()
    o = OBS
    text = f'name = "{name}"\nscenario = "{BASE}"\n\n[method]\nparticles = {particles}\ngenerations = {generations}\n' \
           f"replicates = {replicates}\nseed = {seed}\nquantile = 0.5\n{extra}\n"
    for k, (prior, lo, hi) in PRIORS.items():
        text += f'[[parameter]]\nname = "{k}"\nprior = "{prior}"\nlow = {lo}\nhigh = {hi}\n\n'
    text += ('[[target]]\nname = "alive-12"\nstatistic = "survival"\nstart = "funded_month"\nend = "failed_month"\n'
             f"month = 12\nsuccesses = {o['survival'][0]}\ntrials = {o['survival'][1]}\n\n"
             '[[target]]\nname = "hazard-3"\nstatistic = "hazard"\nstart = "funded_month"\nend = "failed_month"\n'
             f"year = 3\nvalue = {o['hazard'][0]}\nsd = {o['hazard'][1]}\n\n"
             '[[target]]\nname = "market"\nstatistic = "share"\ncolumn = "cause"\nlabel = "market"\n'
             f"successes = {o['share'][0]}\ntrials = {o['share'][1]}\n\n"
             '[[target]]\nname = "profit-per-group"\nstatistic = "ratio"\nnumerator = "profit"\ndenominator = "active"\n'
             f"value = {o['ratio']}\nsd = {0.05 * o['ratio']}\n\n")
    if savings:
        text += f'[[target]]\nname = "savings-48"\nstatistic = "series"\nseries = "savings"\nmonth = 48\n' \
                f"value = {o['savings']}\nsd = {0.05 * o['savings']}\n"
    return write(name + ".toml", text)


def posterior(path):
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["posterior/parameter"][()]]
        return {n: (f["posterior/q05"][i], f["posterior/median"][i], f["posterior/q95"][i],
                    f["posterior/prior_q05"][i], f["posterior/prior_q95"][i]) for i, n in enumerate(names)}



if PART in ("recovery", "all"):
    @check("recovery: the 90% intervals hold the planted values and are at most half the prior's")
    def _():
        out = os.path.join(TMP, "recovery.h5")
        p = run("calibrate", calibration("recovery"), "-o", out, "--threads", "2", "--json")
        summary = json.loads(p.stdout)
        assert summary["kind"] == "calibration" and summary["generations"] == 14, summary
        post = posterior(out)
        for name, planted in PLANTED.items():
            lo, med, hi, plo, phi = post[name]
            assert lo <= planted <= hi, f"{name}: planted {planted} outside [{lo}, {hi}]"
            assert hi - lo < 0.5 * (phi - plo), f"{name}: 90% width {hi - lo} not below half the prior's {phi - plo}"
        # Every target's observation lies in its posterior predictive 90% interval.
        for t in summary["targets"]:
            assert t["covered"], t
        with h5py.File(out, "r") as f:
            tol = f["calibration/tolerance"][()]
            assert np.isinf(tol[0]) and np.all(np.diff(tol[1:]) <= 0), tol  # the tolerance only tightens
            w = f["calibration/weights"][()]
            assert np.allclose(w.sum(axis=1), 1), w.sum(axis=1)
            ess = f["calibration/ess"][()]
            assert np.all((ess > 1) & (ess <= 200 + 1e-9)), ess
            acc = f["calibration/acceptance_rate"][()]
            assert acc[0] == 1 and np.all((acc[1:] > 0) & (acc[1:] <= 1)), acc
            assert f["calibration/particles"].shape == (14, 200, 5)
            assert f["calibration/statistics"].shape == (14, 200, 5)

    @check("no information: without a savings target, savings_rate keeps its prior (90% width >= 0.7 of the prior's, "
           "median in [0.3, 0.7])")
    def _():
        out = os.path.join(TMP, "uninformed.h5")
        run("calibrate", calibration("uninformed", savings=False), "-o", out, "--threads", "2")
        lo, med, hi, plo, phi = posterior(out)["ventures.savings_rate"]
        assert hi - lo >= 0.7 * (phi - plo), (lo, hi, plo, phi)
        assert 0.3 <= med <= 0.7, med
        # The informed ones are still learned.
        lo, med, hi, plo, phi = posterior(out)["ventures.early_hazard"]
        assert lo <= 0.06 <= hi and hi - lo < 0.5 * (phi - plo), (lo, hi)

if PART in ("cli", "all"):
    @check("1 and 2 threads give identical calibration files")
    def _():
        cal = calibration("threads", particles=60, generations=3)
        a, b = os.path.join(TMP, "t1.h5"), os.path.join(TMP, "t2.h5")
        run("calibrate", cal, "-o", a, "--threads", "1")
        run("calibrate", cal, "-o", b, "--threads", "2")
        same_datasets(a, b)

    @check("interrupted, then --resume: the same file as an uninterrupted run")
    def _():
        # Bigger runs so the calibration lasts long enough to be interrupted in a middle generation.
        cal = calibration("resume", particles=100, generations=4, replicates=12)
        whole, part = os.path.join(TMP, "whole.h5"), os.path.join(TMP, "part.h5")
        run("calibrate", cal, "-o", whole, "--threads", "2")
        proc = subprocess.Popen([BIN, "calibrate", cal, "-o", part, "--threads", "2"], cwd=TMP,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        marker = os.path.join(part + ".calibration", "g1-r0.spool")
        deadline = time.time() + 120
        while not os.path.exists(marker) and proc.poll() is None and time.time() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, (proc.returncode, err)
        assert "--resume" in err and not os.path.exists(part), err
        p = run("calibrate", cal, "-o", part, "--threads", "1", code=2)
        assert "--resume" in p.stderr, p.stderr
        run("calibrate", cal, "-o", part, "--threads", "1", "--resume")
        assert not os.path.exists(part + ".calibration")
        same_datasets(whole, part)

    @check("summary prints the marginals and the predictive check; --json too")
    def _():
        path = os.path.join(TMP, "t1.h5")
        text = run("summary", path).stdout
        assert "Posterior marginals" in text and "ventures.early_hazard" in text, text
        assert "Posterior predictive check" in text and "alive-12" in text, text
        js = json.loads(run("summary", path, "--json").stdout)
        assert [p["name"] for p in js["parameters"]] == list(PRIORS), js
        for p in js["parameters"]:
            assert p["q05"] <= p["median"] <= p["q95"], p
        assert {t["name"] for t in js["targets"]} == {"alive-12", "hazard-3", "market", "profit-per-group", "savings-48"}

    BAD = [
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.early_hazrd"\n'
         'prior = "uniform"\nlow = 0\nhigh = 1\n', ":6:", "Did you mean 'ventures.early_hazard'"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.early_hazard"\n'
         'prior = "uniform"\nlow = 0\nhigh = 2\n', ":9:", "outside the valid range"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.early_hazard"\n'
         'prior = "gamma"\nlow = 0\nhigh = 1\n', ":7:", "Choose one of"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\nparticels = 3\n', ":5:", "Did you mean 'particles'"),
        ('scenario = "{base}"\n[method]\nparticles = 50\n', "", "no seed"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "normal"\nmean = 100\nsd = 10\n[[target]]\nname = "a"\nstatistic = "survival"\nstart = "funded_month"\n'
         'end = "failed_month"\nmonth = 99\nsuccesses = 1\ntrials = 2\n', ":15:", "outside 1 .. 48"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "normal"\nmean = 100\nsd = 10\n[[target]]\nname = "a"\nstatistic = "share"\ncolumn = "cause"\n'
         'label = "markt"\nsuccesses = 1\ntrials = 2\n', ":14:", "Did you mean 'market'"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "normal"\nmean = 100\nsd = 10\n[[target]]\nname = "a"\nstatistic = "series"\nseries = "active"\n'
         'month = 3\nsuccesses = 1\ntrials = 2\n', ":16:", "takes value and sd"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "normal"\nmean = 100\nsd = 10\n[[target]]\nname = "a"\nstatistic = "ratio"\nnumerator = "profit"\n'
         'denominator = "actve"\nvalue = 1\nsd = 1\n', ":14:", "Did you mean 'active'"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "uniform"\nlow = 1\nhigh = 10\n[[target]]\nname = "a"\nstatistic = "series"\nseries = "active"\n'
         'month = 3\nvalue = 1\n', ":11:", "needs both value and sd"),
        ('scenario = "nowhere.toml"\n[method]\nparticles = 50\nseed = 1\n', ":1:", "not found"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "uniform"\nlow = 1\nhigh = 10\n[[target]]\nname = "a"\nstatistic = "series"\nseries = "active"\n'
         'month = 3\nat_most = 1\n', ":11:", "without sd"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "uniform"\nlow = 1\nhigh = 10\n[[target]]\nname = "a"\nstatistic = "series"\nseries = "active"\n'
         'month = 3\nat_most = 1\nat_least = 0\nsd = 1\n', ":16:", "not both"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "run.months"\n'
         'prior = "uniform"\nlow = 1\nhigh = 10\n', ":6:", "cannot be calibrated"),
        ('scenario = "{base}"\n[method\n', ":2:", "malformed TOML"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "uniform"\nlow = 1\nhigh = 10\n[[target]]\nname = "a"\nstatistic = "series"\nseries = "active"\n'
         'month = 3\nversus = "{base}"\nvalue = 0\nsd = 1\n', ":15:", "own scenario"),
        ('scenario = "{base}"\n[method]\nparticles = 50\nseed = 1\n[[parameter]]\nname = "ventures.profit"\n'
         'prior = "uniform"\nlow = 1\nhigh = 10\n[[target]]\nname = "a"\nstatistic = "series"\nseries = "active"\n'
         'month = 3\ncontrast = "ratio"\nvalue = 1\nsd = 1\n', ":15:", "contrast needs versus"),
    ]

    @check("--check: a good file is ok and nothing is written; inspect shows the summary; report writes its page")
    def _():
        out = run("calibrate", calibration("threads", particles=60, generations=3), "--check").stdout
        assert "ok (ventures calibration 'threads', 5 free parameters, 5 targets, 1 scenario)" in out, out
        assert not os.path.exists(os.path.join(TMP, "threads-posterior.h5"))
        assert not os.path.exists(os.path.join(TMP, "threads-posterior.h5.calibration"))
        out = run("calibrate", os.path.join(SRC, "scenarios", "calibration", "kota-batu.toml"), "--check").stdout
        assert "kube calibration" in out and "28 targets" in out, out
        assert "Posterior marginals" in run("inspect", os.path.join(TMP, "t1.h5")).stdout
        page = os.path.join(TMP, "t1-report.html")
        run("report", os.path.join(TMP, "t1.h5"), "-o", page, "--lang", "en", "--force")
        with open(page, encoding="utf-8") as f:
            html = f.read()
        assert html.count('id="fig-density-') == 5 and 'id="predictive"' in html, "report of a ventures calibration"

    @check("bad calibration files: exit 2, the place and the fix")
    def _():
        for i, (text, place, words) in enumerate(BAD):
            path = write(f"bad{i}.toml", text.replace("{base}", BASE))
            err = run("calibrate", path, "-o", os.path.join(TMP, f"bad{i}.h5"), code=2).stderr
            assert (place == "" or f"bad{i}.toml{place}" in err) and words in err, (i, err)
            assert not os.path.exists(os.path.join(TMP, f"bad{i}.h5")), i

if PART == "mpi":
    @check("2 and 3 MPI ranks give the file of one process with threads")
    def _():
        mpiexec = sys.argv[4]
        env = dict(os.environ)
        env.update({"OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                    "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"})
        cal = calibration("mpi", particles=60, generations=3)
        ref = os.path.join(TMP, "mpi-threads.h5")
        run("calibrate", cal, "-o", ref, "--threads", "2")
        for n in (2, 3):
            out = os.path.join(TMP, f"mpi-{n}.h5")
            p = subprocess.run([mpiexec, "-np", str(n), BIN, "calibrate", cal, "-o", out], capture_output=True,
                               text=True, timeout=600, cwd=TMP, env=env)
            assert p.returncode == 0, (n, p.stdout, p.stderr)
            assert p.stdout.count("Posterior marginals") == 1, p.stdout  # rank 0 alone prints
            same_datasets(ref, out)

if failures:
    print(f"{len(failures)} failed: {', '.join(failures)}")
    sys.exit(1)
print("all calibration checks passed")
