#!/usr/bin/env python3
"""The `berdaya report` command against good and bad result files.

Usage (CTest runs it this way):
    python3 tests/report/test_report_cli.py <path-to-berdaya-binary> <path-to-repo-root>

A good file gives exit 0 and one complete HTML file. A bad one (not HDF5, truncated,
another format version, a dataset missing) or a missing output folder gives exit code 2,
a message naming the file, and no report, not even a temporary one. Needs h5py to make
the damaged files.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

BINARY = None
REPO = None
TIMEOUT = 300


def berdaya(*args):
    return subprocess.run([BINARY] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT)


def describe(proc):
    return "exit code %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)


class ReportCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="berdaya-report-")
        cls.tmp = cls._tmp.name
        cls.compare = os.path.join(cls.tmp, "levers.h5")
        cls.run_file = os.path.join(cls.tmp, "run.h5")
        for args in (["compare", os.path.join(REPO, "scenarios", "experiments", "kota-batu-levers.toml"), "-o",
                      cls.compare],
                     ["run", os.path.join(REPO, "scenarios", "kota-batu.toml"), "-o", cls.run_file]):
            proc = berdaya(*(args + ["--replicates", "2", "--months", "24"]))
            if proc.returncode != 0:
                raise RuntimeError(describe(proc))

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def setUp(self):
        self.out_dir = tempfile.mkdtemp(dir=self.tmp)
        self.out = os.path.join(self.out_dir, "report.html")

    def bad_copy(self, name, change):
        path = os.path.join(self.out_dir, name)
        shutil.copy(self.compare, path)
        with h5py.File(path, "r+") as f:
            change(f)
        return path

    def assert_refused(self, proc, names, error=True):
        self.assertEqual(proc.returncode, 2, describe(proc))
        if error:
            self.assertIn("error", proc.stderr, describe(proc))
        self.assertIn(names, proc.stderr, describe(proc))
        left = [n for n in os.listdir(self.out_dir) if n.startswith("report.html")]
        self.assertEqual(left, [], "a report was left behind: %s" % left)

    # --- good files ----------------------------------------------------------------------

    def assert_report(self, source, *extra, lang="id", heading):
        proc = berdaya("report", source, "-o", self.out, *extra)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertEqual(sorted(os.listdir(self.out_dir)), ["report.html"])
        with open(self.out, encoding="utf-8") as f:
            html = f.read()
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertTrue(html.rstrip().endswith("</html>"))
        self.assertIn('<html lang="%s">' % lang, html)
        self.assertIn(heading, html)
        # Self-contained: nothing to fetch, no script needed.
        for outside in ("http://", "https://", "<script", "<link", "@import", "url("):
            self.assertNotIn(outside, html)
        return html

    def test_compare_report_in_indonesian_by_default(self):
        html = self.assert_report(self.compare, heading="Kelangsungan kelompok yang didanai")
        for chart in ("survival", "effect-income", "effect-transfer", "diff-income", "diff-transfer",
                      "cost-per-active-36", "indicator-accountability", "over-time-income",
                      "over-time-poverty"):
            self.assertIn('data-chart="%s"' % chart, html)
        # The brief comes first and ranks the options; the counterfactual costs nothing.
        self.assertLess(html.index('<section id="brief"'), html.index('<section id="headline"'))
        self.assertIn("Ringkasan untuk pimpinan", html)
        # 24 months follow no group for 36: the options are ranked by lasting income per rupiah.
        self.assertIn('data-rank="1"', html)
        self.assertIn("Pilihan diurutkan menurut pendapatan berkelanjutan per rupiah", html)
        self.assertIn("Tidak diurutkan karena tanpa biaya", html)
        self.assertIn("program.enabled", html)  # its parameter difference to the baseline

    def test_compare_report_in_english(self):
        self.assert_report(self.compare, "--lang", "en", lang="en", heading="Survival of funded groups")

    def test_run_report_has_no_baseline_differences(self):
        html = self.assert_report(self.run_file, "--lang", "en", lang="en", heading="Survival of funded groups")
        self.assertNotIn('data-chart="diff-income"', html)

    def test_default_output_name(self):
        source = os.path.join(self.out_dir, "copy.h5")
        shutil.copy(self.run_file, source)
        proc = berdaya("report", source)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertTrue(os.path.isfile(os.path.join(self.out_dir, "copy.html")))

    # --- bad files and paths -------------------------------------------------------------

    def test_not_hdf5(self):
        path = os.path.join(self.out_dir, "notes.h5")
        with open(path, "w") as f:
            f.write("these are not results\n")
        self.assert_refused(berdaya("report", path, "-o", self.out), path)

    def test_truncated(self):
        path = os.path.join(self.out_dir, "truncated.h5")
        with open(self.compare, "rb") as f, open(path, "wb") as g:
            g.write(f.read(1000))
        self.assert_refused(berdaya("report", path, "-o", self.out), path)

    def test_format_version_1(self):
        path = self.bad_copy("old.h5", lambda f: f.attrs.__setitem__("format_version", "1.0"))
        proc = berdaya("report", path, "-o", self.out)
        self.assert_refused(proc, path)
        self.assertIn("changed since berdaya wrote it", proc.stderr)
        proc = berdaya("report", path, "-o", self.out, "--unchecked")
        self.assert_refused(proc, path)
        self.assertIn("1.0", proc.stderr)

    def test_format_version_3(self):
        # A file of the format before the CF conventions: refused, naming the file, its
        # version and the fix, by report, summary and inspect alike (exit 2).
        path = self.bad_copy("v3.h5", lambda f: f.attrs.__setitem__("format_version", "3.0"))
        for args in (["report", path, "-o", self.out], ["summary", path], ["inspect", path]):
            proc = berdaya(*args, "--unchecked")
            self.assert_refused(proc, path)
            self.assertIn("format version 3.0", proc.stderr, describe(proc))
            self.assertIn("reads 4.x", proc.stderr, describe(proc))
            self.assertIn("Rerun the experiment with this version of berdaya", proc.stderr, describe(proc))

    def test_missing_dataset(self):
        path = self.bad_copy("damaged.h5", lambda f: f["series"].__delitem__("income_pool"))
        proc = berdaya("report", path, "-o", self.out, "--unchecked")
        self.assert_refused(proc, path)
        self.assertIn("income_pool", proc.stderr)

    def test_missing_file(self):
        path = os.path.join(self.out_dir, "nowhere.h5")
        self.assert_refused(berdaya("report", path, "-o", self.out), path)

    def test_output_folder_missing(self):
        out = os.path.join(self.out_dir, "no-such-folder", "report.html")
        proc = berdaya("report", self.compare, "-o", out)
        self.assert_refused(proc, out)
        self.assertFalse(os.path.exists(os.path.dirname(out)))

    def test_output_is_a_folder(self):
        self.assert_refused(berdaya("report", self.compare, "-o", self.out_dir), self.out_dir)

    def test_unknown_language(self):
        proc = berdaya("report", self.compare, "-o", self.out, "--lang", "fr")
        self.assert_refused(proc, "--lang", error=False)  # the argument parser's own words


def main(argv):
    global BINARY, REPO
    if len(argv) != 3:
        sys.stderr.write("usage: %s <path-to-berdaya-binary> <path-to-repo-root>\n" % argv[0])
        return 2
    BINARY, REPO = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    suite = unittest.TestLoader().loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
