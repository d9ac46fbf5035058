#!/usr/bin/env python3
"""The brief for the head of the office: its numbers and its sentences in the cases that
trip it up.

Usage (CTest runs it this way):
    python3 tests/report/test_brief.py <path-to-berdaya-binary> <path-to-repo-root>

The per-rupiah measures are recomputed from the result file (h5py) or from the metrics
they are the inverse of; JSON numbers carry 6 significant digits, so they are compared to
a relative 1e-5. The brief's sentences must say no "n/a" when the baseline costs nothing
(over a posterior too), must not rank a single option, and must order the options by
what they buy.
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

BINARY = None
REPO = None
TIMEOUT = 600
REL = 1e-5


def berdaya(*args):
    return subprocess.run([BINARY] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT)


def describe(proc):
    return "exit code %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)


def scenario(name):
    return os.path.join(REPO, "scenarios", name + ".toml")


class Brief(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="berdaya-brief-")
        cls.tmp = cls._tmp.name

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def experiment(self, name, scenarios, baseline, extra=""):
        path = os.path.join(self.tmp, name + ".toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('name = "%s"\nreplicates = 4\nseed = 7\nmonths = 72\nbaseline = "%s"\n'
                    'counterfactual = "no-program"\nscenarios = [%s]\n%s'
                    % (name, baseline, ", ".join('"%s"' % scenario(s) for s in scenarios), extra))
        out = os.path.join(self.tmp, name + ".h5")
        proc = berdaya("compare", path, "-o", out, "--force")
        self.assertEqual(proc.returncode, 0, describe(proc))
        return out

    def summary(self, h5):
        proc = berdaya("summary", h5, "--json")
        self.assertEqual(proc.returncode, 0, describe(proc))
        return json.loads(proc.stdout)

    def brief_html(self, h5, lang):
        out = h5 + "." + lang + ".html"
        proc = berdaya("report", h5, "-o", out, "--lang", lang, "--force")
        self.assertEqual(proc.returncode, 0, describe(proc))
        with open(out, encoding="utf-8") as f:
            page = f.read()
        start = page.index('<section id="brief"')
        return page[start:page.index("</section>", start)]

    def sentences(self, html):
        return re.findall(r"<li>(.*?)</li>", re.search(r'<ul class="brief" id="brief-findings">(.*?)</ul>', html,
                                                        re.S).group(1), re.S)

    def test_per_rupiah_measures_are_what_they_say(self):
        h5 = self.experiment("levers", ["kota-batu", "no-program", "socialization", "training", "monitoring"],
                             "kota-batu")
        s = self.summary(h5)
        with h5py.File(h5, "r") as f:
            cases = [c.decode() if isinstance(c, bytes) else str(c) for c in f["cases/name"][()]]
            failed = f["runs/failed"][()]
            pm, pmc = f["series/poverty_members"][()], f["series/poverty_members_cf"][()]
            rec, cost = f["series/recipients"][()], f["series/cost_total"][()]
        checked = 0
        for row in s["scenarios"]:
            v = row["value"]
            c = cases.index(row["name"])
            ok = failed[c] == 0
            if row["name"] == "no-program":
                # It costs nothing: no per-rupiah figure.
                self.assertIsNone(v["active_36_per_billion"].get("mean"), v["active_36_per_billion"])
                continue
            # Groups that last per rupiah: the inverse of the cost per group still active at 36 months.
            self.assertTrue(math.isclose(v["active_36_per_billion"]["mean"], 1e9 / v["cost_per_active_36"]["mean"],
                                         rel_tol=REL), row["name"])
            self.assertTrue(math.isclose(v["income_per_rupiah"]["mean"], 1 / v["cost_per_rupiah"]["mean"],
                                         rel_tol=REL), row["name"])
            # Households out of poverty: net recipient households below the line without the
            # program and above it with it, a month's average over the last 12 months, over
            # the total cost in billions, pooled over the replicates.
            tail = slice(pm.shape[2] - 12, pm.shape[2])
            lifted = np.nansum(((pmc[c, ok, tail] - pm[c, ok, tail]) * rec[c, ok, tail])) / 12
            billions = np.sum(cost[c, ok, -1]) / 1e9
            self.assertTrue(math.isclose(v["lifted_per_billion"]["mean"], lifted / billions, rel_tol=REL),
                            (row["name"], v["lifted_per_billion"]["mean"], lifted / billions))
            checked += 1
        self.assertEqual(checked, 4)
        # The brief ranks the options that cost something by groups that last per rupiah.
        b = s["brief"]
        self.assertEqual(b["ranked_by"], "active_36_per_billion")
        self.assertEqual(b["not_ranked"], ["no-program"])
        values = [o["active_36_per_billion"]["value"] for o in b["options"]]
        self.assertEqual(values, sorted(values, reverse=True))
        self.assertEqual([o["active_36_per_billion"]["rank"] for o in b["options"]], [1, 2, 3, 4])
        self.assertEqual([o["scenario"] for o in b["options"] if o["baseline"]], ["kota-batu"])
        for o in b["options"]:
            self.assertTrue(math.isclose(o["cost_per_year"], o["cost_total"]["value"] / 6, rel_tol=REL))
        # The page says the same: the first ranked option first, and its words.
        html = self.brief_html(h5, "en")
        self.assertIn('data-scenario="%s" data-rank="1"' % b["options"][0]["scenario"], html)
        for sentence in self.sentences(html):
            self.assertNotIn("n/a", sentence)

    def test_a_baseline_that_costs_nothing(self):
        h5 = self.experiment("free-baseline", ["no-program", "kota-batu", "socialization"], "no-program")
        for lang, na in (("id", "t/a"), ("en", "n/a")):
            sentences = self.sentences(self.brief_html(h5, lang))
            self.assertGreaterEqual(len(sentences), 5)
            for sentence in sentences:
                self.assertNotIn(na, sentence)

    def test_one_option_is_not_ranked(self):
        h5 = self.experiment("one", ["kota-batu", "no-program"], "kota-batu")
        for lang, claims in (("id", ("paling", "terbaik")), ("en", ("most", "best"))):
            for sentence in self.sentences(self.brief_html(h5, lang)):
                for word in claims:
                    self.assertNotIn(word, sentence)
        text = berdaya("summary", h5).stdout
        self.assertNotIn("Per rupiah,", text)
        self.assertIn("Rp 1 billion keeps", text)

    def test_over_a_posterior_with_a_baseline_that_costs_nothing(self):
        posterior = os.path.join(REPO, "scenarios", "calibration", "kota-batu-posterior.h5")
        h5 = self.experiment("posterior", ["no-program", "kota-batu", "socialization", "monitoring"], "no-program",
                             'posterior = "%s"\ndraws = 4\n' % posterior)
        b = self.summary(h5)["brief"]
        self.assertEqual(len(b["options"]), 3)
        best = 0.0
        for o in b["options"]:
            fig = o["active_36_per_billion"]
            self.assertIsNotNone(fig["value"], o["scenario"])
            self.assertLessEqual(fig["lo"], fig["value"])
            self.assertLessEqual(fig["value"], fig["hi"])
            best += fig["p_best"]
        self.assertAlmostEqual(best, 1.0, delta=1e-5)  # one of them is the best in every world
        for lang, na in (("id", "t/a"), ("en", "n/a")):
            for sentence in self.sentences(self.brief_html(h5, lang)):
                self.assertNotIn(na, sentence)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    REPO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
