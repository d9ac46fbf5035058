"""The shipped Kota Batu posterior (scenarios/calibration/kota-batu-posterior.h5): written from
the calibration file as it stands (so an edited file without a regenerated posterior fails
here), its predictive checks cover every validation target of MODEL.md section 8, and the
main job's comparison runs at its draws.
Usage: test_shipped.py <berdaya> <source dir>"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

BIN, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
CAL = os.path.join(SRC, "scenarios", "calibration")
POSTERIOR = os.path.join(CAL, "kota-batu-posterior.h5")
TMP = tempfile.mkdtemp(prefix="berdaya-shipped-")
REGENERATE = ("regenerate it: berdaya calibrate scenarios/calibration/kota-batu.toml "
              "-o scenarios/calibration/kota-batu-posterior.h5 --threads N --force")
failures = []


def check(name):
    def wrap(f):
        try:
            f()
            print(f"ok   {name}")
        except Exception as e:  # report every check, then fail at the end
            failures.append(name)
            print(f"FAIL {name}: {e}")
    return wrap


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


# Each target of the shipped calibration, by the MODEL.md section 8 target it stands for.
SECTION_8 = {
    1: ["weak-support-active-36", "weak-support-active-12"],
    2: ["active-60"] + [f"hazard-year-{y}" for y in range(1, 6)],
    3: [f"cause-{c}{s}" for c in ("grant-split", "business-losses", "member-withdrawal", "conflict", "catastrophe")
        for s in ("", "-occurs")],
    4: ["income-gain-year-3"],
    5: ["no-monitoring-office-overstates"],
    6: ["combined-active-12", "combined-active-36", "combined-active-60"],
    7: ["training-profit-ratio", "training-survival-36"],
    8: ["office-effectiveness-year-5", "office-response-median-year-3", "office-report-on-time-year-3"],
}


@check("the shipped posterior was written from the calibration file as it stands")
def _():
    with h5py.File(POSTERIOR, "r") as f:
        assert text(f.attrs["kind"]) == "calibration"
        with open(os.path.join(CAL, "kota-batu.toml"), encoding="utf-8") as t:
            assert text(f.attrs["experiment_toml"]) == t.read(), "kota-batu.toml changed since: " + REGENERATE
        assert int(f.attrs["generations"]) >= 3, int(f.attrs["generations"])


@check("its predictive checks cover every section 8 target, each with a finite interval")
def _():
    with h5py.File(POSTERIOR, "r") as f:
        names = [text(n) for n in f["posterior/target"][()]]
        lo, hi = f["posterior/predictive_q05"][()], f["posterior/predictive_q95"][()]
    listed = [n for group in SECTION_8.values() for n in group]
    assert sorted(listed) == sorted(names), (sorted(set(names) ^ set(listed)))
    for number, group in SECTION_8.items():
        for n in group:
            i = names.index(n)
            assert np.isfinite(lo[i]) and np.isfinite(hi[i]) and lo[i] <= hi[i], (number, n, lo[i], hi[i])


@check("the main job's comparison runs at the shipped posterior's draws and gives probabilities")
def _():
    out = os.path.join(TMP, "posterior.h5")
    exp = os.path.join(SRC, "scenarios", "experiments", "kota-batu-posterior.toml")
    p = subprocess.run([BIN, "compare", exp, "-o", out, "--draws", "3", "--replicates", "1", "--months", "48",
                        "--threads", "2", "--json"], capture_output=True, text=True, timeout=600, cwd=TMP)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    flat = json.dumps(doc)
    assert "p_better" in flat and "rank_probability" in flat, flat[:400]


if failures:
    print(f"{len(failures)} failed: {', '.join(failures)}")
    sys.exit(1)
print("all checks of the shipped posterior passed")
