#!/usr/bin/env python3
"""1, 2 and 3 MPI ranks write the same datasets as one process with threads.

Usage (CTest runs it when berdaya is built with BERDAYA_MPI=ON):
    python3 tests/experiments/test_mpi.py <berdaya binary> <repo root> <mpiexec>

Runs a small sweep, a small comparison and a small sensitivity screen with 2 threads, then under `mpiexec -np N`
for N = 1, 2, 3 (rank 0 writes, the other ranks compute), and compares every dataset
bit for bit. Needs h5py (Debian python3-h5py).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_experiments import assert_identical  # noqa: E402
from test_sensitivity import TINY  # noqa: E402


def main():
    binary, repo, mpiexec = (os.path.abspath(a) for a in sys.argv[1:4])
    kota = os.path.join(repo, "scenarios", "kota-batu.toml")
    env = dict(os.environ)
    # More ranks than cores on a small CI machine; shared memory without ptrace.
    env.update({"OMPI_MCA_rmaps_base_oversubscribe": "1", "OMPI_MCA_btl_vader_single_copy_mechanism": "none",
                "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"})
    failed = 0
    with tempfile.TemporaryDirectory(prefix="berdaya-mpi-") as tmp:
        sweep = os.path.join(tmp, "s.toml")
        with open(sweep, "w", encoding="utf-8") as f:
            f.write(f"""scenario = "{kota}"
design = "saltelli"
samples = 2
replicates = 3
seed = 9
months = 24
[[factor]]
name = "training.hours"
low = 0
high = 48
[[factor]]
name = "split.base"
low = 2
high = 6
""")
        compare = os.path.join(tmp, "c.toml")
        scen = os.path.join(repo, "scenarios")
        with open(compare, "w", encoding="utf-8") as f:
            f.write(f"""replicates = 4
seed = 3
months = 24
baseline = "kota-batu"
counterfactual = "no-program"
scenarios = ["{scen}/kota-batu.toml", "{scen}/no-program.toml", "{scen}/mentors.toml"]
""")
        screen = os.path.join(tmp, "tiny.toml")
        with open(screen, "w", encoding="utf-8") as f:
            f.write(TINY)
        cases = [("sweep", sweep), ("compare", compare), ("sensitivity", screen)]
        for cmd, exp in cases:
            ref = os.path.join(tmp, f"{cmd}-threads.h5")
            p = subprocess.run([binary, cmd, exp, "-o", ref, "--threads", "2"], capture_output=True, text=True,
                               timeout=600)
            if p.returncode != 0:
                print(f"FAIL  {cmd} with threads: {p.returncode}\n{p.stderr}")
                return 1
            for n in (1, 2, 3):
                out = os.path.join(tmp, f"{cmd}-np{n}.h5")
                p = subprocess.run([mpiexec, "-np", str(n), binary, cmd, exp, "-o", out], capture_output=True,
                                   text=True, timeout=600, env=env)
                try:
                    assert p.returncode == 0, f"exit code {p.returncode}\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
                    assert p.stdout.count("berdaya:") == 1, "the summary must be printed once, by rank 0"
                    assert_identical(ref, out)
                    print(f"ok    {cmd}: {n} rank{'s' if n > 1 else ''} == 2 threads", flush=True)
                except AssertionError as e:
                    failed += 1
                    print(f"FAIL  {cmd}: {n} ranks: {e}", flush=True)
    print(f"{3 * len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
