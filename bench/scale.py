#!/usr/bin/env python3
"""Speed and scale of the berdaya command, measured from outside as a user runs it.

Each figure is measured ROUNDS times, the figures interleaved round by round (so a slow
moment of the machine touches all of them alike), and reported as min and median:

  whole      jawa-timur (1 M households, 72 months), one replicate, 1 thread: CPU time of
             the whole process (build, months, output) per household-month
  threads    the same run on 2 threads against 1: wall-time ratio (parallelism within a run)
  national   indonesia (10 M households, 120 months), 2 threads: wall, CPU, peak memory
  replicates `run --replicates` 1,000 and 10,000 of Kota Batu (24 months): peak memory

CPU time and peak memory are the command's own (wait4 rusage, through bench/measure.cpp). Usage:
  bench/scale.py [--berdaya build/cli/berdaya] [--rounds 3] [--skip national,...]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import tomllib

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(cmd, measure):
    """Wall seconds, CPU seconds and peak resident bytes of one command, measured by
    berdaya_measure (bench/measure.cpp): a child of this interpreter would count the
    interpreter's own memory in its peak."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.run([measure, *cmd], stdout=subprocess.DEVNULL, stderr=err)
        err.seek(0)
        text = err.read().decode(errors="replace")
    if proc.returncode != 0:
        sys.exit(f"{os.path.basename(sys.argv[0])}: {' '.join(cmd)} failed:\n{text}")
    fields = text.strip().splitlines()[-1].split()
    if fields[:1] != ["berdaya_measure:"]:
        sys.exit(f"{os.path.basename(sys.argv[0])}: no measurement from {measure}:\n{text}")
    return float(fields[2]), float(fields[4]), int(fields[6])


def households(h5):
    """Households of the run in a result file, from its resolved scenario."""
    with h5py.File(h5) as f:
        s = tomllib.loads(f.attrs["scenario_toml"])
    pop = s["population"]
    if pop.get("village_file"):
        sys.exit("scale.py: the scale scenarios are synthetic (population.village_file empty)")
    return pop["villages"] * pop["households_per_village"], s["run"]["months"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--berdaya", default=os.path.join(ROOT, "build/cli/berdaya"))
    ap.add_argument("--measure", default=None, help="berdaya_measure (default: beside --berdaya's build, bench/)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip", default="", help="comma-separated figures to leave out")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    tmp = tempfile.TemporaryDirectory(prefix="berdaya-scale-")
    out = os.path.join(tmp.name, "out.h5")

    measure = a.measure or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(a.berdaya))), "bench",
                                        "berdaya_measure")
    if not os.access(measure, os.X_OK):
        sys.exit(f"scale.py: {measure} not found: build with -DBERDAYA_BENCH=ON (bench/run.sh does)")

    def berdaya(scenario, *extra):
        return run([a.berdaya, "run", os.path.join(ROOT, "scenarios", scenario), "-o", out, "--force", *extra],
                   measure)

    figures = {}

    def add(name, value):
        figures.setdefault(name, []).append(value)

    for r in range(a.rounds):
        print(f"round {r + 1} of {a.rounds}", file=sys.stderr, flush=True)
        if not {"whole", "threads"} <= skip:
            wall1, cpu1, _ = berdaya("jawa-timur.toml", "--replicates", "1", "--threads", "1")
            n, months = households(out)
            if "whole" not in skip:
                add("whole: jawa-timur, ns per household-month (CPU, 1 thread)", cpu1 * 1e9 / (n * months))
            if "threads" not in skip:
                wall2, _, _ = berdaya("jawa-timur.toml", "--replicates", "1", "--threads", "2")
                add("threads: one jawa-timur run, wall on 1 thread / on 2 threads", wall1 / wall2)
        if "national" not in skip:
            wall, cpu, rss = berdaya("indonesia.toml", "--threads", "2")
            n, months = households(out)
            add("national: indonesia 10 M x 120, wall s (2 threads)", wall)
            add("national: indonesia 10 M x 120, CPU s", cpu)
            add("national: indonesia 10 M x 120, peak GB", rss / 1e9)
            add("national: ns per household-month (CPU)", cpu * 1e9 / (n * months))
        if "replicates" not in skip:
            peaks = []
            for reps in (1000, 10000):
                _, _, rss = berdaya("kota-batu.toml", "--replicates", str(reps), "--months", "24", "--threads", "2")
                peaks.append(rss)
                add(f"replicates: {reps:,} Kota Batu runs, peak MiB", rss / 2**20)
            add("replicates: peak at 10,000 / at 1,000", peaks[1] / peaks[0])
    tmp.cleanup()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} cores, {cpu}; {a.rounds} interleaved rounds")
    width = max(len(k) for k in figures)
    print(f"{'figure':<{width}}  {'min':>9}  {'median':>9}")
    for k, v in figures.items():
        print(f"{k:<{width}}  {min(v):>9.3g}  {statistics.median(v):>9.3g}")


if __name__ == "__main__":
    main()
