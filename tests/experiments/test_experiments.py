#!/usr/bin/env python3
"""End-to-end tests of berdaya compare and berdaya sweep.

Usage (CTest runs it this way):
    python3 tests/experiments/test_experiments.py <berdaya binary> <repo root> [-k PATTERN]

Covers: the comparison table and its common random numbers (paired intervals narrower
than unpaired), identical datasets for 1 and 2 threads, every sweep design with its
design matrix in the file, a sweep killed with SIGKILL and resumed ending identical to
an uninterrupted one, Ctrl-C, failed runs recorded while the rest go on, and bad
experiment files (exit code 2, file:line, nothing left behind).
Needs h5py and numpy (Debian python3-h5py).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback

import h5py
import numpy as np

BINARY = None
REPO = None
TIMEOUT = 600


def berdaya(args, cwd, **kw):
    return subprocess.run([BINARY] + list(args), cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=TIMEOUT, **kw)


def describe(p):
    return f"exit code {p.returncode}\n--- stdout ---\n{p.stdout[-3000:]}\n--- stderr ---\n{p.stderr[-3000:]}"


def datasets(path):
    """Every dataset of a file as {path: numpy array}."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out


def assert_identical(a, b):
    da, db = datasets(a), datasets(b)
    assert sorted(da) == sorted(db), f"different datasets: {sorted(set(da) ^ set(db))}"
    assert len(da) > 80, f"only {len(da)} datasets"
    for name in da:
        x, y = da[name], db[name]
        assert x.shape == y.shape and x.dtype == y.dtype, f"{name}: {x.shape} {x.dtype} vs {y.shape} {y.dtype}"
        if x.dtype.kind == "f":
            assert x.tobytes() == y.tobytes(), f"{name}: values differ"
        else:
            assert np.array_equal(x, y), f"{name}: values differ"


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def scenario(name):
    return os.path.join(REPO, "scenarios", name)


def comparison_file(tmp, replicates=12, months=48, extra=""):
    return write(tmp, "levers.toml", f"""
name = "levers-test"
replicates = {replicates}
seed = 11
months = {months}
baseline = "kota-batu"
counterfactual = "no-program"
scenarios = ["{scenario('kota-batu.toml')}", "{scenario('no-program.toml')}", "{scenario('training.toml')}",
             "{scenario('monitoring.toml')}"]
{extra}""")


def sweep_file(tmp, name, design, body, replicates=2, months=24):
    return write(tmp, name, f"""
name = "{name[:-5]}"
scenario = "{scenario('kota-batu.toml')}"
design = "{design}"
replicates = {replicates}
seed = 5
months = {months}
{body}
[[factor]]
name = "membership.motivation_rate"
low = 0.005
high = 0.03
scale = "log"

[[factor]]
name = "socialization.sessions"
low = 0
high = 4
""")


def leftovers(tmp, stem):
    return [n for n in os.listdir(tmp) if n.startswith(stem) and not n.endswith(".toml")]


# ---- tests ----

def test_compare_table_and_common_random_numbers(tmp):
    exp = comparison_file(tmp)
    p = berdaya(["compare", exp, "-o", "cmp.h5", "--json"], tmp)
    assert p.returncode == 0, describe(p)
    t = json.loads(p.stdout)
    names = [s["name"] for s in t["scenarios"]]
    assert names == ["kota-batu", "no-program", "training", "monitoring"], names
    assert t["baseline"] == "kota-batu" and t["counterfactual"] == "no-program"
    rows = {s["name"]: s for s in t["scenarios"]}
    for key in ["active_12", "active_36", "income_effect", "poverty_change", "cost_per_active_36",
                "cost_per_rupiah", "effectiveness", "responsiveness", "accountability"]:
        v = rows["training"]["value"][key]
        assert v["lo"] <= v["mean"] <= v["hi"], (key, v)
    # The baseline against itself is exactly zero; the counterfactual changes no poverty.
    assert rows["kota-batu"]["diff"]["income_effect"]["mean"] == 0
    assert rows["no-program"]["value"]["poverty_change"]["mean"] == 0
    # Common random numbers: the paired interval of a lever's effect is narrower than the
    # interval the same runs would give if they were independent.
    checked = 0
    for lever in ["training", "monitoring"]:
        for key in ["active_36", "income_effect", "poverty_change", "effectiveness"]:
            d, u = rows[lever]["diff"][key], rows[lever]["diff_unpaired"][key]
            if d["mean"] is None or u["mean"] is None:
                continue
            paired, unpaired = d["hi"] - d["lo"], u["hi"] - u["lo"]
            assert paired < unpaired, f"{lever} {key}: paired width {paired} not below unpaired {unpaired}"
            checked += 1
    assert checked >= 6, checked
    # The text table, and summary from the file without rerunning.
    s = berdaya(["summary", "cmp.h5"], tmp)
    assert s.returncode == 0, describe(s)
    assert "minus kota-batu" in s.stdout and "training" in s.stdout, s.stdout
    with h5py.File(os.path.join(tmp, "cmp.h5"), "r") as f:
        assert f.attrs["kind"] == "compare"
        assert f["series/income_pool"].shape == (4, 12, 48)
        assert [x.decode() if isinstance(x, bytes) else x for x in f["cases/name"][()]] == names
        assert "extends" in f["cases/scenario_toml"][2].decode() or "[training]" in f["cases/scenario_toml"][2].decode()
        assert "scenarios" in f.attrs["experiment_toml"]
    assert not os.path.exists(os.path.join(tmp, "cmp.h5.spool")), "spool left after a complete run"


def test_one_and_two_threads_identical(tmp):
    exp = comparison_file(tmp, replicates=4, months=36)
    for threads in ["1", "2"]:
        p = berdaya(["compare", exp, "-o", f"t{threads}.h5", "--threads", threads], tmp)
        assert p.returncode == 0, describe(p)
    assert_identical(os.path.join(tmp, "t1.h5"), os.path.join(tmp, "t2.h5"))
    p = berdaya(["compare", exp, "-o", "seed.h5", "--seed", "12"], tmp)
    with h5py.File(os.path.join(tmp, "t1.h5"), "r") as a, h5py.File(os.path.join(tmp, "seed.h5"), "r") as b:
        assert not np.array_equal(a["series/income_pool"][()], b["series/income_pool"][()]), "another seed, same data"


def test_every_design_writes_its_matrix(tmp):
    cases = {
        "grid": ("", 3 * 2),
        "lhs": ("samples = 5", 5),
        "saltelli": ("samples = 4", 4 * (2 + 2)),
        "morris": ("trajectories = 3\nlevels = 4", 3 * (2 + 1)),
    }
    for design, (body, points) in cases.items():
        text = body
        path = sweep_file(tmp, f"sw-{design}.toml", design, text)
        if design == "grid":  # levels per factor
            with open(path, encoding="utf-8") as f:
                src = f.read()
            src = src.replace('scale = "log"', 'scale = "log"\nlevels = 3').replace("high = 4", "high = 4\nlevels = 2")
            with open(path, "w", encoding="utf-8") as f:
                f.write(src)
        p = berdaya(["sweep", path, "-o", f"sw-{design}.h5", "--json"], tmp)
        assert p.returncode == 0, design + "\n" + describe(p)
        j = json.loads(p.stdout)
        assert j["design"] == design and j["points"] == points, (design, j["points"], points)
        with h5py.File(os.path.join(tmp, f"sw-{design}.h5"), "r") as f:
            assert f.attrs["kind"] == "sweep" and f.attrs["case_dimension"] == "point"
            unit, value = f["design/unit"][()], f["design/value"][()]
            assert unit.shape == (points, 2) and value.shape == (points, 2), (design, unit.shape)
            assert ((unit >= 0) & (unit <= 1)).all()
            assert (value[:, 0] >= 0.005 - 1e-12).all() and (value[:, 0] <= 0.03 + 1e-12).all()
            assert set(np.unique(value[:, 1])) <= {0, 1, 2, 3, 4}, "an integer parameter got a fraction"
            assert f["series/groups_active"].shape == (points, 2, 24)
            assert f["runs/failed"][()].sum() == 0


def wait_for_records(spool, n_bytes, proc, limit=120):
    start = time.time()
    while time.time() - start < limit:
        if os.path.exists(spool) and os.path.getsize(spool) > n_bytes:
            return
        if proc.poll() is not None:
            raise AssertionError("the run ended before it could be interrupted")
        time.sleep(0.02)
    raise AssertionError("the spool did not grow")


def test_sigkill_then_resume_is_identical(tmp):
    path = sweep_file(tmp, "kill.toml", "lhs", "samples = 12", replicates=4, months=72)
    ref = berdaya(["sweep", path, "-o", "ref.h5", "--threads", "2"], tmp)
    assert ref.returncode == 0, describe(ref)
    out, spool = os.path.join(tmp, "killed.h5"), os.path.join(tmp, "killed.h5.spool")
    proc = subprocess.Popen([BINARY, "sweep", path, "-o", out, "--threads", "1"], cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_records(spool, 200_000, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not os.path.exists(out), "a killed run left a result file"
    kept = os.path.getsize(spool)
    # Tear the last record, as a kill in the middle of a write would.
    with open(spool, "r+b") as f:
        f.truncate(kept - 1000)
    again = berdaya(["sweep", path, "-o", "killed.h5"], tmp)
    assert again.returncode == 2 and "--resume" in again.stderr, describe(again)
    p = berdaya(["sweep", path, "-o", "killed.h5", "--resume", "--threads", "2"], tmp)
    assert p.returncode == 0, describe(p)
    assert "kept from the interrupted run" in p.stderr, p.stderr
    assert not os.path.exists(spool), "spool left after the resumed run completed"
    assert_identical(os.path.join(tmp, "ref.h5"), out)


def test_ctrl_c_keeps_finished_runs(tmp):
    path = sweep_file(tmp, "intr.toml", "lhs", "samples = 12", replicates=4, months=72)
    out, spool = os.path.join(tmp, "intr.h5"), os.path.join(tmp, "intr.h5.spool")
    proc = subprocess.Popen([BINARY, "sweep", path, "-o", out, "--threads", "1"], cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_records(spool, 100_000, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 130, f"exit {proc.returncode}: {err}"
    assert "--resume" in err and not os.path.exists(out), err
    p = berdaya(["sweep", path, "-o", "intr.h5", "--resume"], tmp)
    assert p.returncode == 0, describe(p)


def test_failed_runs_are_recorded_and_the_rest_go_on(tmp):
    # reinvest_share + iks_share (0.1) above 1 breaks a relation: those points fail alone.
    path = write(tmp, "fail.toml", f"""
scenario = "{scenario('kota-batu.toml')}"
design = "grid"
replicates = 2
seed = 3
months = 12
[[factor]]
name = "business.reinvest_share"
values = [0.3, 0.95, 0.5]
""")
    p = berdaya(["sweep", path, "-o", "fail.h5"], tmp)
    assert p.returncode == 3, describe(p)
    assert "FAILED" in p.stdout or "FAILED" in p.stderr, describe(p)
    with h5py.File(os.path.join(tmp, "fail.h5"), "r") as f:
        failed = f["runs/failed"][()]
        assert failed.tolist() == [[0, 0], [1, 1], [0, 0]], failed
        msg = f["runs/message"][1, 0]
        msg = msg.decode() if isinstance(msg, bytes) else msg
        assert "exceeds 1" in msg, msg
        assert np.isnan(f["series/income_pool"][1]).all()
        assert np.isfinite(f["series/income_pool"][0]).all() and np.isfinite(f["series/income_pool"][2]).all()


def test_progress_on_a_terminal_only(tmp):
    import pty
    path = sweep_file(tmp, "prog.toml", "lhs", "samples = 6", replicates=2, months=24)
    # stderr on a terminal: done/total, runs per second, time left.
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(tmp)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        os.execv(BINARY, [BINARY, "sweep", path, "-o", "tty.h5", "--threads", "1"])
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    text = seen.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "12/12 runs" in text and "runs/s" in text and "s left" in text, text
    # Not a terminal: no progress lines in logs.
    p = berdaya(["sweep", path, "-o", "pipe.h5"], tmp)
    assert p.returncode == 0 and "runs/s" not in p.stderr, describe(p)


def test_summary_refuses_foreign_files(tmp):
    import shutil
    exp = comparison_file(tmp, replicates=2, months=12)
    assert berdaya(["compare", exp, "-o", "good.h5"], tmp).returncode == 0
    good = os.path.join(tmp, "good.h5")

    def variant(name, edit):
        path = os.path.join(tmp, name)
        shutil.copy(good, path)
        with h5py.File(path, "r+") as f:
            edit(f)
        return name

    cases = [
        (variant("v1.h5", lambda f: f.attrs.__setitem__("format_version", "1.0")), "format version 1.0"),
        (variant("nods.h5", lambda f: f.__delitem__("series/income_pool")), "income_pool' is missing"),
        (variant("old.h5", lambda f: f.__delitem__("series/recipients")), "from before recipients and one-off"),
        (variant("foreign.h5", lambda f: f.attrs.__setitem__("format", "something-else")), "not a berdaya result file"),
    ]
    with open(good, "rb") as f:
        head = f.read(2000)
    with open(os.path.join(tmp, "cut.h5"), "wb") as f:
        f.write(head)
    cases.append(("cut.h5", "cut.h5"))
    with open(os.path.join(tmp, "text.h5"), "w", encoding="utf-8") as f:
        f.write("not hdf5\n")
    cases.append(("text.h5", "not an HDF5 file"))
    cases.append(("missing.h5", "not found"))
    edited = {"v1.h5", "nods.h5", "foreign.h5", "old.h5"}
    for name, needle in cases:
        # inspect describes whatever a berdaya file holds, so only summary needs every dataset.
        commands = [["summary", name], ["summary", name, "--json"]] + (
            [] if name in ("nods.h5", "old.h5") else [["inspect", name]])
        for args in commands:
            # A file edited after it was written breaks its seal; read on purpose with
            # --unchecked, its own checks still refuse it.
            if name in edited:
                p = berdaya(args, tmp)
                assert p.returncode == 2 and "changed since berdaya wrote it" in p.stderr, f"{args}\n" + describe(p)
                args = args + ["--unchecked"]
            p = berdaya(args, tmp)
            assert p.returncode == 2, f"{args}\n" + describe(p)
            assert needle in p.stderr and name in p.stderr, f"{args}\n" + describe(p)


BAD = [
    ("malformed", 'replicates = 2\nseed = 1\nscenarios = ["a.toml"\n', "malformed TOML", 3),
    ("unknown key", 'replicates = 2\nseed = 1\nreplicate = 3\n', "Did you mean 'replicates'", 3),
    ("missing scenario", 'replicates = 2\nseed = 1\nbaseline = "x"\ncounterfactual = "x"\nscenarios = ["nope.toml"]\n',
     "not found", 5),
    ("baseline unknown", None, "is not one of the scenarios", None),
    ("replicates range", 'replicates = 0\nseed = 1\n', "out of range", 1),
]


def test_bad_comparison_files(tmp):
    for label, text, needle, line in BAD:
        if text is None:
            path = comparison_file(tmp, extra="")
            with open(path, encoding="utf-8") as f:
                src = f.read().replace('baseline = "kota-batu"', 'baseline = "kota-bat"')
            text = src
        path = write(tmp, "bad.toml", text)
        p = berdaya(["compare", path, "-o", "bad.h5"], tmp)
        assert p.returncode == 2, label + "\n" + describe(p)
        assert needle in p.stderr, label + "\n" + describe(p)
        if line is not None:
            assert f"bad.toml:{line}:" in p.stderr, label + "\n" + describe(p)
        assert leftovers(tmp, "bad.h5") == [], (label, leftovers(tmp, "bad.h5"))


SWEEP_BAD = [
    ("unknown parameter", 'name = "membership.motivaton_rate"\nlow = 0.01\nhigh = 0.02',
     "Did you mean 'membership.motivation_rate'"),
    ("out of range", 'name = "socialization.attendance"\nlow = 0.1\nhigh = 1.5', "outside the valid range"),
    ("run parameter", 'name = "run.months"\nlow = 1\nhigh = 5', "cannot be swept"),
    ("low above high", 'name = "training.hours"\nlow = 10\nhigh = 5', "low must be below high"),
    ("choice without values", 'name = "training.who"\nlow = 0\nhigh = 1', "values = [...]"),
    ("unknown factor key", 'name = "training.hours"\nlow = 0\nhigh = 5\nstep = 1', "unknown key 'step'"),
]


def test_bad_sweep_files(tmp):
    for label, factor, needle in SWEEP_BAD:
        path = write(tmp, "badsweep.toml", f"""scenario = "{scenario('kota-batu.toml')}"
design = "lhs"
samples = 3
replicates = 1
seed = 1
[[factor]]
{factor}
""")
        p = berdaya(["sweep", path, "-o", "badsweep.h5"], tmp)
        assert p.returncode == 2, label + "\n" + describe(p)
        assert needle in p.stderr and "badsweep.toml:" in p.stderr, label + "\n" + describe(p)
        assert leftovers(tmp, "badsweep.h5") == [], label
    # A spool of another experiment is not resumed.
    a = sweep_file(tmp, "sa.toml", "lhs", "samples = 3")
    b = sweep_file(tmp, "sb.toml", "lhs", "samples = 40", replicates=4, months=72)
    with open(os.path.join(tmp, "x.h5.spool"), "wb"):
        pass
    p = berdaya(["sweep", a, "-o", "x.h5", "--resume"], tmp)
    assert p.returncode == 2 and "different experiment" in p.stderr, describe(p)
    os.remove(os.path.join(tmp, "x.h5.spool"))
    assert berdaya(["sweep", a, "-o", "x.h5"], tmp).returncode == 0
    # Nor a spool of another experiment at the same output.
    proc = subprocess.Popen([BINARY, "sweep", b, "-o", "y.h5", "--threads", "1"], cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_records(os.path.join(tmp, "y.h5.spool"), 20_000, proc)
    proc.kill()
    proc.wait()
    p = berdaya(["sweep", a, "-o", "y.h5", "--resume"], tmp)
    assert p.returncode == 2 and "different experiment" in p.stderr, describe(p)
    # --resume with nothing to resume starts afresh (a job script may always pass it).
    p = berdaya(["sweep", a, "-o", "fresh.h5", "--resume"], tmp)
    assert p.returncode == 0 and "starting afresh" in p.stderr, describe(p)


def run_tests(namespace, prefix, argv, setup):
    """Runs every test_* function of `namespace` in its own temporary folder. argv: the
    binary, the repository root and an optional -k PATTERN; setup(binary, repo) stores them."""
    args = list(argv)
    pattern = None
    if "-k" in args:
        i = args.index("-k")
        pattern = args[i + 1]
        del args[i:i + 2]
    setup(os.path.abspath(args[0]), os.path.abspath(args[1]))
    tests = [(n, f) for n, f in sorted(namespace.items()) if n.startswith("test_") and callable(f)]
    if pattern:
        tests = [(n, f) for n, f in tests if pattern in n]
    passed = failed = 0
    for name, fn in tests:
        with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
            start = time.time()
            try:
                fn(tmp)
                passed += 1
                print(f"ok    {name} ({time.time() - start:.1f} s)", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL  {name}\n{traceback.format_exc()}", flush=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    def setup(binary, repo):
        global BINARY, REPO
        BINARY, REPO = binary, repo
    return run_tests(globals(), "berdaya-exp-", sys.argv[1:], setup)


if __name__ == "__main__":
    sys.exit(main())
