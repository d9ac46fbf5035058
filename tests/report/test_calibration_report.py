#!/usr/bin/env python3
"""`berdaya report` of a calibration file and of a comparison over its posterior.

Usage (CTest runs it this way):
    python3 tests/report/test_calibration_report.py <path-to-berdaya-binary> <path-to-repo-root>

A tiny calibration of the shipped Kota Batu file (12 particles, 2 generations, seed 5, and
one target added that no parameter value reaches)
and a comparison of the Kota Batu levers over it (4 draws x 2 replicates, 36 months):
- the calibration report renders in Indonesian and English, with one density chart per
  free parameter, min(4, pairs) pairwise plots, one predictive-check row per target (the
  rows flagged outside exactly the targets `summary --json` calls not covered), and no key
  of the text table left in the page;
- a damaged calibration file exits 2 naming the file, and leaves no report;
- the comparison report leads with the posterior section, whose p_better and rank
  probabilities equal `summary --json` (which prints 6 significant digits: relative
  tolerance 1e-5).
Needs h5py.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

BINARY = None
REPO = None
TIMEOUT = 300
KEY = re.compile(r"\b(?:cal|post|doc|sec|lead|prov)\.[a-z_]+(?:\.[a-z_ ]+)*\b")


def berdaya(*args, cwd=None):
    return subprocess.run([BINARY] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT, cwd=cwd)


def describe(proc):
    return "exit code %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)


def slug(name):
    out = ""
    for c in name:
        if c.isalnum():
            out += c.lower()
        elif out and out[-1] != "-":
            out += "-"
    return out.rstrip("-") or "x"


def section_ids(html):
    return re.findall(r'<section id="([^"]+)"', html)


# The measures the report's posterior section shows (the rest are in berdaya summary).
POSTERIOR_SECTION_METRICS = {"active_36", "income_effect", "poverty_change_members", "poverty_change",
                             "active_36_per_billion", "income_per_rupiah", "lifted_per_billion"}


class CalibrationReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="berdaya-calreport-")
        cls.tmp = cls._tmp.name
        scen = os.path.join(REPO, "scenarios")
        with open(os.path.join(scen, "calibration", "kota-batu.toml"), encoding="utf-8") as f:
            text = f.read()
        # Scenario paths (scenario = and versus =) made absolute: the copy lives elsewhere.
        text = text.replace('= "../', '= "%s/' % scen)
        text = re.sub(r'= "([a-z-]+\.toml)"', lambda m: '= "%s/calibration/%s"' % (scen, m.group(1)), text)
        text = re.sub(r"(?m)^particles = \d+", "particles = 12", text)
        text = re.sub(r"(?m)^generations = \d+", "generations = 2", text)
        text = re.sub(r"(?m)^seed = \d+", "seed = 5", text)
        # A target no plausible world reaches, so the check has one to flag.
        text += ('\n[[target]]\nname = "unreachable-active-12"\nstatistic = "survival"\nstart = "funded_month"\n'
                 'end = "failed_month"\nmonth = 12\ninterval = [0.997, 0.999]\n')
        cls.toml = os.path.join(cls.tmp, "small.toml")
        with open(cls.toml, "w", encoding="utf-8") as f:
            f.write(text)
        cls.cal = os.path.join(cls.tmp, "calib.h5")
        proc = berdaya("calibrate", cls.toml, "-o", cls.cal, "--json")
        if proc.returncode != 0:
            raise RuntimeError(describe(proc))
        cls.summary = json.loads(proc.stdout)
        cls.comparison = os.path.join(cls.tmp, "levers.h5")
        proc = berdaya("compare", os.path.join(scen, "experiments", "kota-batu-levers.toml"), "--posterior", cls.cal,
                       "--draws", "4", "--replicates", "2", "--months", "36", "-o", cls.comparison)
        if proc.returncode != 0:
            raise RuntimeError(describe(proc))
        proc = berdaya("summary", cls.comparison, "--json")
        if proc.returncode != 0:
            raise RuntimeError(describe(proc))
        cls.posterior = json.loads(proc.stdout)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        self.out_dir = tempfile.mkdtemp(dir=self.tmp)
        self.out = os.path.join(self.out_dir, "report.html")

    def render(self, source, lang):
        out = os.path.join(self.out_dir, "report-%s.html" % lang)
        proc = berdaya("report", source, "-o", out, "--lang", lang)
        self.assertEqual(proc.returncode, 0, describe(proc))
        with open(out, encoding="utf-8") as f:
            html = f.read()
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIn('<html lang="%s">' % lang, html)
        self.assertTrue(html.rstrip().endswith("</html>"))
        self.assertNotIn("http://", html.replace('xmlns="http://www.w3.org/2000/svg"', ""))
        left = KEY.findall(html)
        self.assertEqual(left, [], "text keys left untranslated")
        return html

    def test_calibration_report_both_languages(self):
        with h5py.File(self.cal, "r") as f:
            params = [p.decode() if isinstance(p, bytes) else p for p in f["posterior/parameter"][()]]
            targets = [t.decode() if isinstance(t, bytes) else t for t in f["posterior/target"][()]]
        self.assertGreaterEqual(len(params), 8)
        pairs = min(4, len(params) * (len(params) - 1) // 2)
        outside = sorted(t["name"] for t in self.summary["targets"] if not t["covered"])
        self.assertIn("unreachable-active-12", outside)
        pages = {}
        for lang in ("id", "en"):
            html = self.render(self.cal, lang)
            pages[lang] = html
            self.assertEqual(section_ids(html), ["calibrated", "marginals", "pairs", "predictive", "provenance"])
            for p in params:
                self.assertEqual(html.count('id="fig-density-%s"' % slug(p)), 1, p)
            self.assertEqual(len(re.findall(r'id="fig-pair-', html)), pairs)
            table = re.search(r'<table class="params" id="predictive">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
            rows = re.findall(r"<tr( class=\"outside\")?><th scope=\"row\"><code>([^<]*)</code>", table)
            self.assertEqual([name for _, name in rows], targets)
            self.assertEqual(sorted(name for flag, name in rows if flag), outside)
            self.assertEqual(len(re.findall(r'id="fig-check-', html)), len(targets))
            marg = re.search(r'<table class="params" id="marginals">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
            self.assertEqual(marg.count("<tr>"), len(params))
        self.assertIn("Apa yang dikalibrasi", pages["id"])
        self.assertIn("What was calibrated", pages["en"])
        self.assertIn("The data ", pages["en"])
        self.assertIn("Data ", pages["id"])

    def test_damaged_calibration_refused(self):
        for name, change in (("no-median.h5", lambda f: f.__delitem__("posterior/median")),
                             ("short-ess.h5", lambda f: (f["calibration"].__delitem__("ess"),
                                                             f["calibration"].create_dataset("ess", data=[1.0] * 7)))):
            path = os.path.join(self.out_dir, name)
            shutil.copy(self.cal, path)
            with h5py.File(path, "r+") as f:
                change(f)
            proc = berdaya("report", path, "-o", self.out, "--unchecked")
            self.assertEqual(proc.returncode, 2, describe(proc))
            self.assertIn(name, proc.stderr)
            self.assertEqual([n for n in os.listdir(self.out_dir) if n.startswith("report.html")], [])
        truncated = os.path.join(self.out_dir, "truncated.h5")
        with open(self.cal, "rb") as src, open(truncated, "wb") as dst:
            dst.write(src.read()[:2000])
        proc = berdaya("report", truncated, "-o", self.out)
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn("truncated.h5", proc.stderr)
        self.assertEqual([n for n in os.listdir(self.out_dir) if n.startswith("report.html")], [])

    def test_posterior_comparison_leads_with_posterior(self):
        s = self.posterior
        metrics = list(s["better"].keys())
        for lang in ("id", "en"):
            html = self.render(self.comparison, lang)
            ids = section_ids(html)
            # The brief for the head of the office first, then how sure the answers are.
            self.assertEqual(ids[:2], ["brief", "posterior"])
            start = html.index('<section id="posterior"')
            first = html[start:html.index("</section>", start)]
            self.assertIn("Dalam " if lang == "id" else "In ", first)
            self.assertIn("dunia yang masuk akal" if lang == "id" else "of plausible worlds", first)
            checked = 0
            for m in metrics:
                if m not in POSTERIOR_SECTION_METRICS:
                    self.assertNotIn('data-metric="%s"' % m, first)
                    continue
                if all(sc["effect"][m]["draws"] == 0 for sc in s["scenarios"]):
                    continue  # not estimable at any draw: the section says so, without a table
                table = re.search(r'<table class="headline posterior" data-metric="%s">(.*?)</table>' % re.escape(m),
                                  first, re.S)
                self.assertIsNotNone(table, m)
                for sc in s["scenarios"]:
                    row = re.search(r'<tr data-scenario="%s" data-p-better="([^"]*)" data-rank="([^"]*)">'
                                    % re.escape(sc["name"]), table.group(1))
                    self.assertIsNotNone(row, (m, sc["name"]))
                    want_p = sc["p_better"][m]
                    got_p = float(row.group(1))
                    if want_p is None:
                        self.assertNotEqual(got_p, got_p)  # NaN
                    else:
                        self.assertAlmostEqual(got_p, want_p, delta=1e-5 * max(1.0, abs(want_p)))
                    got_r = [float(x) for x in row.group(2).split()]
                    want_r = sc["rank_probability"][m]
                    self.assertEqual(len(got_r), len(want_r))
                    for g, w in zip(got_r, want_r):
                        if w is None:
                            self.assertNotEqual(g, g)
                        else:
                            self.assertAlmostEqual(g, w, delta=1e-5)
                        checked += 1
            self.assertGreater(checked, 0)
            # The other sections read each scenario's draws pooled: one case per scenario, not
            # one per scenario and draw, and they say what their intervals measure.
            rest = html[html.index("</section>"):]
            self.assertNotIn("@0", rest.split('<section id="parameters"')[0])
            for sc in s["scenarios"]:
                self.assertIn(sc["name"], rest)
            self.assertIn("sesudah bagian posterior menggabungkan semua dunia yang masuk akal" if lang == "id" else
                          "the posterior section pool every plausible world", rest)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    BINARY = os.path.abspath(sys.argv[1])
    REPO = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
