"""berdaya compare --posterior on the toy savings circle (tests/toy/toy.cpp) with tiny
calibrations of its leave probability: the draws are the documented resampling of the final
generation, reproducible and independent of the thread count; a posterior concentrated at
one point leaves an interval of Monte Carlo width; p_better and rank probabilities where the
answer is certain by construction; the file re-analysed alone; an interrupted run resumed;
bad input exits 2 with the place.
Usage: test_posterior.py <berdaya_toy> <source dir> [mpiexec] (with mpiexec: also 2 MPI ranks
against threads). Fixed seeds throughout."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
TOY = os.path.join(SRC, "tests", "toy", "scenarios")
TMP = tempfile.mkdtemp(prefix="berdaya-posterior-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures  # noqa: E402


def run(*args, code=0, cwd=TMP):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300, cwd=cwd)
    if p.returncode != code:
        raise AssertionError(f"berdaya {' '.join(args)}: exit {p.returncode}, wanted {code}\n{p.stdout}\n{p.stderr}")
    return p



def write(name, text):
    path = os.path.join(TMP, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def calibrate(name, low, high, generations=3, seed=3):
    """A tiny calibration of circle.leave_probability to 5 of 10 members active at month 12
    (one generation: the prior itself)."""
    toml = write(name + ".toml", f'name = "{name}"\nscenario = "{TOY}/circle.toml"\n[method]\nparticles = 40\n'
                 f"generations = {generations}\nreplicates = 2\nseed = {seed}\n[[parameter]]\nname = \"circle.leave_probability\"\n"
                 f'prior = "uniform"\nlow = {low}\nhigh = {high}\n[[target]]\nname = "active-12"\n'
                 f'statistic = "series"\nseries = "active"\nmonth = 12\nvalue = 5.0\nsd = 1.0\n')
    out = os.path.join(TMP, name + ".h5")
    run("calibrate", toml, "-o", out, "--force")
    return out


HALF = write("half-deposit.toml", f'name = "half-deposit"\nextends = "{TOY}/circle.toml"\n[circle]\ndeposit = 500.0\n')


def comparison(name, posterior, draws=None, replicates=10, extra="", folder=""):
    text = (f'name = "{name}"\nscenarios = ["{TOY}/circle.toml", "{TOY}/double-deposit.toml", "{HALF}"]\n'
            f'baseline = "circle"\nreplicates = {replicates}\nseed = 7\n')
    if posterior is not None:
        text += f'posterior = "{posterior}"\n'
    if draws is not None:
        text += f"draws = {draws}\n"
    return write(os.path.join(folder, name + ".toml"), text + extra)


def compare(toml, out, *args, cwd=TMP):
    p = run("compare", toml, "-o", out, "--force", "--json", *args, cwd=cwd)
    return json.loads(p.stdout)


# The documented derivation (sim/random.h, sim/posterior.cpp), in Python.
M64 = (1 << 64) - 1


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M64
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M64
    return z ^ (z >> 31)


def combine(key, value):
    return mix64(key ^ ((value + 0x9e3779b97f4a7c15 + ((key << 6) & M64) + (key >> 2)) & M64))


def expected_particles(cal, seed, draws):
    with h5py.File(cal, "r") as f:
        w = f["calibration/weights"][-1]
    key = combine(combine(0x706f73746572696f, seed), 0x64726177)
    u = (mix64((key + 0x9e3779b97f4a7c15) & M64) >> 11) * 2.0 ** -53
    cum = np.cumsum(w)
    out, j = [], 0
    for k in range(draws):
        t = (k + u) / draws * cum[-1]
        while j + 1 < len(w) and cum[j] < t:
            j += 1
        out.append(j)
    return out


WIDE = calibrate("wide", 0.0, 0.3, generations=1)  # the prior: equal weights
FITTED = calibrate("fitted", 0.0, 0.3)  # three generations: unequal weights
POINT = calibrate("point", 0.1, 0.1 + 1e-9)


def metric(summary, scenario, key):
    s = next(x for x in summary["scenarios"] if x["name"] == scenario)
    return s["p_better"][key], s["rank_probability"][key], s["effect"][key]


@check("draws: the documented resampling of the final generation, stored with the calibration's name")
def _():
    toml = comparison("draws", FITTED, draws=15)
    compare(toml, "draws.h5")
    with h5py.File(os.path.join(TMP, "draws.h5"), "r") as f, h5py.File(FITTED, "r") as c:
        g = f["posterior"]
        particle = list(g["particle"][()])
        assert particle == expected_particles(FITTED, 7, 15), (particle, expected_particles(FITTED, 7, 15))
        assert len(set(c["calibration/weights"][-1])) > 1, "the weights should differ for this check"
        final = c["calibration/particles"][-1]
        assert np.array_equal(g["value"][()], final[particle]), "draw values are not the particles drawn"
        assert g.attrs["calibration_file"] == FITTED and g.attrs["draws"] == 15
        assert len(g.attrs["calibration_fingerprint"]) > 10
        names = [n.decode() if isinstance(n, bytes) else n for n in f["cases/name"][()]]
        assert len(names) == 45 and names[0] == "circle@0" and names[16] == "double-deposit@1", names[:17]
        assert list(g["case_draw"][()][:16]) == list(range(15)) + [0]
        # Each case ran the draw's value of the calibrated parameter, and the scenario's own others.
        tomls = f["cases/scenario_toml"][()]
        text = tomls[16].decode() if isinstance(tomls[16], bytes) else tomls[16]
        assert "deposit = 2000" in text, text
        v = g["value"][1, 0]
        assert any(abs(float(line.split("=")[1].split("#")[0]) - v) < 1e-12 * max(1, v)
                   for line in text.splitlines() if line.strip().startswith("leave_probability")), text


@check("reproducible: the same file for 1 and 2 threads, and again")
def _():
    toml = comparison("threads", FITTED, draws=12)
    a, b = os.path.join(TMP, "t1"), os.path.join(TMP, "t2")
    os.makedirs(a, exist_ok=True)
    os.makedirs(b, exist_ok=True)
    ja = compare(toml, "out.h5", "--threads", "1", cwd=a)
    jb = compare(toml, "out.h5", "--threads", "2", cwd=b)
    assert ja == jb, "JSON summaries differ between 1 and 2 threads"
    with h5py.File(os.path.join(a, "out.h5"), "r") as fa, h5py.File(os.path.join(b, "out.h5"), "r") as fb:
        for path in ["posterior/value", "posterior/particle", "series/savings", "series/active", "members/left_month"]:
            assert np.array_equal(fa[path][()], fb[path][()]), path
    jc = compare(toml, "out.h5", "--threads", "2", cwd=a)
    assert jc == ja, "a second run differs"


@check("certain by construction: a double deposit always saves more, a half deposit always less")
def _():
    s = compare(comparison("certain", WIDE, draws=20), "certain.h5")
    p, rank, eff = metric(s, "double-deposit", "savings")
    assert p == 1.0 and rank == [1.0, 0.0, 0.0], (p, rank)
    p, rank, _ = metric(s, "half-deposit", "savings")
    assert p == 0.0 and rank == [0.0, 0.0, 1.0], (p, rank)
    p, rank, _ = metric(s, "circle", "savings")
    assert p is None and rank == [0.0, 1.0, 0.0], (p, rank)
    # The deposit does not change who leaves (common random numbers): active members tie
    # at every draw, so no scenario beats another and the three share every rank.
    for name in ["double-deposit", "half-deposit"]:
        p, rank, eff = metric(s, name, "active")
        assert p == 0.0 and eff["median"] == 0 and eff["lo"] == 0 and eff["hi"] == 0, (name, p, eff)
        assert all(abs(r - 1 / 3) < 1e-5 for r in rank), rank
    # Shares in [0, 1]; rank probabilities sum to 1 per scenario and per rank (1e-5: JSON
    # numbers carry 6 significant digits).
    for key in s["better"]:
        table = np.array([x["rank_probability"][key] for x in s["scenarios"]])
        assert np.all((table >= 0) & (table <= 1)), table
        assert np.allclose(table.sum(axis=0), 1, atol=1e-5) and np.allclose(table.sum(axis=1), 1, atol=1e-5), table
        for x in s["scenarios"]:
            assert x["p_better"][key] is None or 0 <= x["p_better"][key] <= 1
    assert s["better"]["savings"] == "higher"
    text = run("summary", os.path.join(TMP, "certain.h5")).stdout
    assert "better than the baseline in 100 % of plausible worlds" in text, text
    assert "double-deposit is the best in 100 % of plausible worlds" in text, text


@check("a posterior at one point: the interval collapses to the Monte Carlo one; a wide one is wider")
def _():
    # The double deposit's effect on savings is the circle's own savings: it varies with the
    # leave probability and with the replicates. 40 draws of 10 replicates each; stated
    # tolerance: the 90% interval over draws within a factor 2 of +-1.645 Monte Carlo errors
    # at one point, and over 3 times as wide when the posterior is wide.
    def ratio(cal):
        s = compare(comparison("spread", cal, draws=40), "spread.h5")
        _, _, eff = metric(s, "double-deposit", "savings")
        return (eff["hi"] - eff["lo"]) / (2 * 1.6448536 * eff["mc_se"])
    point, wide = ratio(POINT), ratio(WIDE)
    print(f"     interval / Monte Carlo interval: {point:.2f} at one point, {wide:.2f} wide")
    assert 0.5 <= point <= 2.0, point
    assert wide > 3 * point and wide > 3, (wide, point)


@check("the file is analysed alone: summary without the calibration file gives the same numbers")
def _():
    folder = os.path.join(TMP, "alone")
    os.makedirs(folder, exist_ok=True)
    cal = shutil.copy(WIDE, os.path.join(folder, "cal.h5"))
    toml = comparison("alone", "cal.h5", draws=8, folder="alone")  # relative to the comparison file
    first = compare(toml, "alone.h5", cwd=folder)
    os.remove(cal)
    again = json.loads(run("summary", "alone.h5", "--json", cwd=folder).stdout)
    assert first == again
    assert again["calibration"]["file"].endswith("cal.h5") and again["draws"] == 8


@check("--posterior and --draws over the file's keys")
def _():
    toml = comparison("flags", None)
    s = compare(toml, "flags.h5", "--posterior", WIDE, "--draws", "5")
    assert s["draws"] == 5 and s["calibration"]["file"] == WIDE
    s = compare(comparison("flags2", WIDE, draws=9), "flags2.h5", "--draws", "4")
    assert s["draws"] == 4
    s = compare(comparison("flags3", WIDE), "flags3.h5")
    assert s["draws"] == 20  # the default


@check("bad input exits 2 and names the place")
def _():
    missing = comparison("missing", "no-such.h5", draws=3)
    e = run("compare", missing, "-o", "x.h5", "--force", code=2).stderr
    assert "missing.toml:" in e and "no-such.h5" in e and "not found" in e, e
    e = run("compare", comparison("flagmissing", None), "--posterior", "gone.h5", "-o", "x.h5", code=2).stderr
    assert "--posterior" in e and "gone.h5" in e, e
    e = run("compare", comparison("zero", WIDE, draws=0), "-o", "x.h5", code=2).stderr
    assert "zero.toml:" in e and "draws" in e and "out of range" in e, e
    e = run("compare", comparison("big", WIDE, draws=100001), "-o", "x.h5", code=2).stderr
    assert "big.toml:" in e and "out of range" in e, e
    e = run("compare", comparison("flagzero", WIDE), "--draws", "0", "-o", "x.h5", code=2).stderr
    assert "--draws" in e, e
    e = run("compare", comparison("nopost", None, draws=3), "-o", "x.h5", code=2).stderr
    assert "nopost.toml:" in e and "draws without posterior" in e, e
    e = run("compare", f"{TOY}/compare.toml", "--draws", "3", "-o", "x.h5", code=2).stderr
    assert "--draws 3 without a posterior" in e, e
    # A result file that is no calibration, and a calibration of another model.
    run("compare", f"{TOY}/compare.toml", "-o", "plain.h5", "--force", "--json")
    e = run("compare", comparison("plain", "plain.h5", draws=3), "-o", "x.h5", code=2).stderr
    assert "plain.toml:" in e and "not a calibration file" in e, e
    other = write("ventures-compare.toml", f'name = "v"\nscenarios = ["{TOY}/ventures.toml"]\nbaseline = "ventures"\n'
                  f'replicates = 2\nseed = 1\nposterior = "{WIDE}"\n')
    e = run("compare", other, "-o", "x.h5", code=2).stderr
    assert "ventures-compare.toml:" in e and 'calibrates model "toy"' in e and '"ventures"' in e, e
    assert not os.path.exists(os.path.join(TMP, "x.h5"))


@check("interrupted, then --resume: the same file as an uninterrupted run")
def _():
    # Bigger circles over 50 years, so the runs last long enough to be interrupted.
    big = write("big-circle.toml", f'name = "big-circle"\nextends = "{TOY}/circle.toml"\n[circle]\nmembers = 3000\n'
                "leave_probability = 0.001\n")
    write("big-double.toml", 'name = "big-double"\nextends = "big-circle.toml"\n[circle]\ndeposit = 2000.0\n')
    toml = write("big.toml", f'name = "big"\nscenarios = ["{big}", "big-double.toml"]\nbaseline = "big-circle"\n'
                 f'replicates = 20\nseed = 7\nmonths = 600\nposterior = "{FITTED}"\ndraws = 10\n')
    whole, part = os.path.join(TMP, "whole.h5"), os.path.join(TMP, "part.h5")
    first = compare(toml, whole, "--threads", "2")
    proc = subprocess.Popen([BIN, "compare", toml, "-o", part, "--threads", "2", "--json"], cwd=TMP,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    spool = part + ".spool"
    deadline = time.time() + 120
    while not (os.path.exists(spool) and os.path.getsize(spool) > 0) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.002)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, err)
    assert "--resume" in err and not os.path.exists(part), err
    again = json.loads(run("compare", toml, "-o", part, "--threads", "1", "--resume", "--json").stdout)
    assert not os.path.exists(spool)
    first.pop("file"), again.pop("file")
    assert first == again
    with h5py.File(whole, "r") as fa, h5py.File(part, "r") as fb:
        for path in ["posterior/value", "series/savings", "series/active", "members/left_month", "runs/failed"]:
            assert np.array_equal(fa[path][()], fb[path][()]), path


if len(sys.argv) > 3:
    @check("2 MPI ranks write the file of one process with threads")
    def _():
        env = dict(os.environ)
        env.update({"OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                    "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"})
        toml = comparison("mpi", FITTED, draws=6)
        for sub in ("mpi-threads", "mpi-ranks"):
            os.makedirs(os.path.join(TMP, sub), exist_ok=True)
        ref = compare(toml, "out.h5", "--threads", "2", cwd=os.path.join(TMP, "mpi-threads"))
        p = subprocess.run([sys.argv[3], "-np", "2", BIN, "compare", toml, "-o", "out.h5", "--json"],
                           capture_output=True, text=True, timeout=300, cwd=os.path.join(TMP, "mpi-ranks"), env=env)
        assert p.returncode == 0, (p.stdout, p.stderr)
        assert json.loads(p.stdout) == ref
        with h5py.File(os.path.join(TMP, "mpi-threads", "out.h5"), "r") as fa, \
                h5py.File(os.path.join(TMP, "mpi-ranks", "out.h5"), "r") as fb:
            for path in ["posterior/value", "posterior/particle", "series/savings", "members/left_month"]:
                assert np.array_equal(fa[path][()], fb[path][()]), path

if failures:
    print(f"{len(failures)} checks failed: {', '.join(failures)}")
    sys.exit(1)
shutil.rmtree(TMP, ignore_errors=True)
