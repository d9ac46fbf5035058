#!/usr/bin/env python3
"""Berdaya against agents as Python objects, the way an agent-based Python framework
(Mesa and the like) steps a model: one object per household, a step() method called on
each in turn every month, draws from Python's random module.

The reference does only the household month (income noise, a shock met from savings,
the group's IKS fund and capital, cash need, savings, the poverty counts and sums), with
the default parameters of `berdaya params`, and no scheduler beyond a loop over a list:
a port of the whole model (groups' business, cohesion, membership, mentors) on such a
framework does at least this work each month, and its scheduler adds to it. Its time per
household-month is therefore a lower bound on such a port's step, and berdaya's figure
against it (the whole model, the whole process: start, build, months and output file, on
1 thread) is a lower bound on the speed-up.

Usage: bench/agents_reference.py [--berdaya build/cli/berdaya] [--months 72] [--rounds 3] [--replicates 20]
berdaya is counted for one replicate (its start and file in the count) and for many in one
command (as a planner runs it); the Python agents for one run, without their start.
Sizes: Kota Batu (3,600 households) and the same villages at 100,000 households.
"""
import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

from scale import run  # berdaya_measure's wall, CPU and peak of a command

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def defaults(berdaya):
    """The household parameters and the poverty line, as `berdaya params` prints them."""
    out = subprocess.run([berdaya, "params"], capture_output=True, text=True, check=True).stdout
    p = {}
    for line in out.splitlines():
        key, sep, rest = line.strip().partition(" = ")
        if sep and (key.startswith("household.") or key.startswith("population.")):
            try:
                p[key] = float(rest.split()[0])
            except ValueError:
                pass
    return p


class Group:
    def __init__(self, members):
        self.members = members
        self.capital = 15_000_000.0
        self.iks = 500_000.0
        self.active = True


class Household:
    def __init__(self, model, size, base_income, savings):
        self.model = model
        self.size = size
        self.base_income = base_income
        self.savings = savings
        self.program_cash = 0.0
        self.transfer_cash = 0.0
        self.need_months = 0
        self.group = None

    def step(self):
        m = self.model
        rng = m.random
        income = self.base_income * max(0.0, 1.0 + m.noise_sd * rng.gauss(0.0, 1.0))
        shocked = rng.random() < m.shock_prob
        if shocked:
            cost = self.base_income * (m.cost_lo + m.cost_span * rng.random())
            from_savings = min(cost, self.savings)
            self.savings -= from_savings
            cost -= from_savings
            g = self.group
            if cost > 0 and g is not None and g.active:
                loan = min(cost, m.iks_loan_cap * g.iks)
                g.iks -= loan
                cost -= loan
                stake = max(0.0, g.capital) / g.members if g.members else 0.0
                withdrawal = min(cost, m.withdrawal_cap * stake)
                g.capital -= withdrawal
                cost -= withdrawal
            if cost > 0:
                self.need_months = m.need_months
        elif self.need_months > 0:
            self.need_months -= 1
        total = income + self.program_cash
        self.savings = min(self.savings + m.save_rate * total + self.transfer_cash,
                           max(self.savings, m.save_cap * self.base_income))
        self.program_cash = 0.0
        self.transfer_cash = 0.0
        line = m.line * self.size
        m.income += total
        m.income_cf += income
        if total < line:
            m.poor += 1
            m.gap += 1.0 - total / line
        if income < line:
            m.poor_cf += 1
            m.gap_cf += 1.0 - income / line
        if self.group is not None:
            m.income_members += total


class Model:
    def __init__(self, p, households, seed):
        self.random = random.Random(seed)
        self.noise_sd = p["household.income_noise_sd"]
        self.shock_prob = p["household.shock_prob"]
        self.cost_lo = p["household.shock_cost_min"]
        self.cost_span = p["household.shock_cost_max"] - p["household.shock_cost_min"]
        self.save_rate = p["household.savings_rate"]
        self.save_cap = p["household.savings_cap"]
        self.iks_loan_cap = p["household.iks_loan_cap"]
        self.withdrawal_cap = p["household.withdrawal_cap"]
        self.need_months = int(p["household.need_months"])
        self.line = p["population.poverty_line"]
        median = p["population.income_median_ratio"]
        self.agents = []
        for _ in range(households):
            size = self.random.randint(2, 6)
            base = self.line * size * median * math.exp(0.4 * self.random.gauss(0.0, 1.0))
            self.agents.append(Household(self, size, base, 0.5 * base * self.random.random()))
        # One household in five a member, in groups of 15 (Kota Batu's share).
        for first in range(0, households - 15, 75):
            members = self.agents[first:first + 15]
            g = Group(len(members))
            for h in members:
                h.group = g

    def step(self):
        self.income = self.income_cf = self.gap = self.gap_cf = self.income_members = 0.0
        self.poor = self.poor_cf = 0
        for a in self.agents:
            a.step()


def reference_ns(p, households, months):
    """ns per household-month of the Python agents' monthly step (the build not counted)."""
    model = Model(p, households, seed=1)
    start = time.perf_counter()
    for _ in range(months):
        model.step()
    return (time.perf_counter() - start) * 1e9 / (households * months)


def berdaya_ns(berdaya, measure, scenario, households_per_village, months, replicates, tmp):
    """CPU ns per household-month of a whole `berdaya run` (1 thread, file written)."""
    text = open(os.path.join(ROOT, "scenarios", scenario)).read()
    # The copy lives elsewhere: its village file by its full path.
    edits = [("../data/", os.path.join(ROOT, "data") + "/")]
    if households_per_village:
        edits.append(("households_per_village = 150", f"households_per_village = {households_per_village}"))
    for old, new in edits:
        if old not in text:
            sys.exit(f"agents_reference.py: scenarios/{scenario} has no '{old}' to change: update this script")
        text = text.replace(old, new)
    path = os.path.join(tmp, f"ref-{households_per_village or 150}.toml")
    with open(path, "w") as f:
        f.write(text)
    out = os.path.join(tmp, "ref.h5")
    _, cpu, _ = run([berdaya, "run", path, "--replicates", str(replicates), "--threads", "1", "--months", str(months),
                     "-o", out, "--force"], measure)
    with h5py.File(out) as f:
        households = sum(int(x) for x in f["meta/village_households"][()])
    return cpu * 1e9 / (households * months * replicates), households


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--berdaya", default=os.path.join(ROOT, "build", "cli", "berdaya"))
    ap.add_argument("--months", type=int, default=72)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--replicates", type=int, default=20, help="replicates of the second berdaya count")
    a = ap.parse_args()
    measure = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(a.berdaya))), "bench", "berdaya_measure")
    if not os.path.exists(measure):
        sys.exit(f"agents_reference.py: {measure} not found: build with -DBERDAYA_BENCH=ON (bench/run.sh does)")
    p = defaults(a.berdaya)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.rounds):
            print(f"round {r + 1} of {a.rounds}", file=sys.stderr, flush=True)
            # Kota Batu's 24 villages at 150 households each, and at 4,167 (100,008).
            for per_village in (0, 4167):
                for replicates in (1, a.replicates):
                    ours, households = berdaya_ns(a.berdaya, measure, "kota-batu.toml", per_village, a.months,
                                                  replicates, tmp)
                    row = rows.setdefault(households, {"python": []})
                    row.setdefault(replicates, []).append(ours)
                row["python"].append(reference_ns(p, households, a.months))
    print(f"{a.rounds} interleaved rounds, {a.months} months; ns per household-month, min / median; "
          "ratio: the Python agents' time over berdaya's (min of the ratios / median)")
    for households, row in rows.items():
        py = row["python"]
        print(f"  {households:,} households: Python agents' household month {min(py):.0f} / {statistics.median(py):.0f}")
        for replicates in (1, a.replicates):
            ours = row[replicates]
            ratios = [x / y for x, y in zip(py, ours)]
            print(f"    berdaya, whole model and process, {replicates} replicate(s): {min(ours):.1f} / "
                  f"{statistics.median(ours):.1f}, ratio {min(ratios):.0f} / {statistics.median(ratios):.0f} x")


if __name__ == "__main__":
    main()
