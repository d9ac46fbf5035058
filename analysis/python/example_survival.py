#!/usr/bin/env python3
"""Draws how many groups stay active, month by month, for each case of a result file.

    python3 analysis/python/example_survival.py RESULTS.h5 FIGURE.png [--series NAME]

One line per scenario (or design point of a sweep): the mean over replicates of a
monthly series (default groups_active), with a 95% confidence band for that mean
(Student t over the replicates that did not fail). Writes a PNG with matplotlib's Agg
backend, so it needs no display.
"""

import argparse
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import berdaya_results as br  # noqa: E402

# Two-sided 95% quantiles of Student's t for 1 ... 30 degrees of freedom.
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
         2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
         2.045, 2.042]


def t975(df):
    """Student t quantile 0.975; Cornish-Fisher expansion above 30 degrees of freedom."""
    if df < 1:
        return math.nan
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959963984540054
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    return z + g1 / df + g2 / df**2 + g3 / df**3


def mean_band(values):
    """Mean over axis 0 (replicates) and the half-width of its 95% interval, ignoring NaN."""
    n = np.sum(np.isfinite(values), axis=0)
    mean = np.full(values.shape[1], np.nan)
    half = np.full(values.shape[1], np.nan)
    for m in range(values.shape[1]):
        v = values[:, m][np.isfinite(values[:, m])]
        if v.size:
            mean[m] = v.mean()
        if v.size > 1:
            half[m] = t975(int(n[m]) - 1) * v.std(ddof=1) / math.sqrt(v.size)
    return mean, half


def draw(path, out, series="groups_active"):
    with br.open_results(path) as r:
        data = r.series(series)
        runs = r.runs()
        title = r.attrs.get("experiment") or r.attrs.get("scenario", "")
        kind = r.kind
    dim = data.dims[0]
    months = data["month"].values
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    for i in range(data.sizes[dim]):
        case = data.isel({dim: i})
        label = f"point {int(case[dim])}" if kind == "sweep" else str(case[dim].values)
        mean, half = mean_band(case.values)
        (line,) = ax.plot(months, mean, label=label, lw=1.5)
        if np.any(np.isfinite(half)):
            ax.fill_between(months, mean - half, mean + half, color=line.get_color(), alpha=0.2, lw=0)
    failed = int(runs["failed"].sum())
    ax.set_xlabel("month")
    ax.set_ylabel(f"{series} [{data.attrs.get('units', '')}]")
    ax.set_title(f"{title}: {data.attrs.get('description', series)}\n"
                 f"mean over replicates, 95% band; {failed} failed run(s) left out", fontsize=10)
    ax.set_xlim(months[0], months[-1])
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    fig.savefig(out, format="png")
    plt.close(fig)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", help="result file written by berdaya run, compare or sweep")
    p.add_argument("figure", help="PNG file to write")
    p.add_argument("--series", default="groups_active", help="monthly series to draw (default groups_active)")
    a = p.parse_args(argv)
    try:
        draw(a.results, a.figure, a.series)
    except (OSError, ValueError, KeyError) as e:
        print(f"example_survival: error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
