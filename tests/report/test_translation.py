#!/usr/bin/env python3
"""Indonesian throughout, English throughout: the shipped scenarios and the report.

Usage (CTest runs it this way):
    python3 tests/report/test_translation.py <path-to-berdaya-binary> <path-to-repo-root>

Every shipped scenario carries its title and description in both languages, and the two
differ (a copy is not a translation). The report of a comparison and of a run, rendered
in each language, shows no word of the other language in its visible text. Program text
(<pre>, <code>: settings and file names) and attribute values are not prose and are left
out.
"""
import html.parser
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import unittest

BINARY = None
REPO = None
TIMEOUT = 300

# Words that give away a sentence in the other language. Short, common, unambiguous
# (neither is a word of the other language, nor a name the report prints).
ENGLISH = {"the", "and", "of", "with", "groups", "group", "income", "cost", "costs", "month", "months", "scenario",
           "baseline", "failed", "run", "runs", "households", "household", "poverty", "lasting",
           "survival", "effect", "effects", "rank", "option", "options", "summary", "not", "estimable",
           "replicates", "appendix", "billion", "million", "year", "years", "active", "share", "from", "without",
           "funded", "members", "chance", "plausible", "worlds", "which", "what", "every", "each", "only", "there",
           "draw", "draws", "better", "lower", "higher", "nearer"}
INDONESIAN = {"dan", "yang", "kelompok", "bulan", "biaya", "dengan", "untuk", "tidak", "pendapatan", "kemiskinan",
              "skenario", "dasar", "rumah", "tangga", "anggota", "pilihan", "tahun", "miliar", "juta", "setiap",
              "atas", "dari", "tanpa", "ini", "itu", "pada", "aktif", "dampak", "peluang", "dunia", "lampiran"}


class Visible(html.parser.HTMLParser):
    """The page's visible prose: text outside <style>, <pre>, <code> and <title>."""

    SKIP = {"style", "pre", "code", "script", "title"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth == 0:
            self.parts.append(data)


def berdaya(*args):
    return subprocess.run([BINARY] + list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT)


def describe(proc):
    return "exit code %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)


def shipped_scenarios():
    folder = os.path.join(REPO, "scenarios")
    return sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".toml"))


class Translation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="berdaya-translation-")
        cls.tmp = cls._tmp.name
        cls.compare = os.path.join(cls.tmp, "levers.h5")
        cls.run_file = os.path.join(cls.tmp, "kota-batu.h5")
        for args in (["compare", os.path.join(REPO, "scenarios", "experiments", "kota-batu-levers.toml"), "-o",
                      cls.compare],
                     ["run", os.path.join(REPO, "scenarios", "kota-batu.toml"), "-o", cls.run_file]):
            proc = berdaya(*(args + ["--replicates", "3"]))
            if proc.returncode != 0:
                raise RuntimeError(describe(proc))
        # A Morris sweep of the shipped design, two replicates a point.
        cls.sweep = os.path.join(cls.tmp, "morris.h5")
        proc = berdaya("sweep", os.path.join(REPO, "scenarios", "sweeps", "kota-batu-morris.toml"), "-o", cls.sweep,
                       "--replicates", "2")
        if proc.returncode != 0:
            raise RuntimeError(describe(proc))
        # A comparison over the shipped posterior, at a few of its draws.
        cls.posterior = os.path.join(cls.tmp, "posterior.h5")
        experiment = os.path.join(cls.tmp, "posterior.toml")
        with open(os.path.join(REPO, "scenarios", "experiments", "kota-batu-posterior.toml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace('"../', '"%s/' % os.path.join(REPO, "scenarios"))
        text = re.sub(r"(?m)^draws = \d+", "draws = 3", text)
        text = re.sub(r"(?m)^replicates = \d+", "replicates = 2", text)
        with open(experiment, "w", encoding="utf-8") as f:
            f.write(text)
        proc = berdaya("compare", experiment, "-o", cls.posterior)
        if proc.returncode != 0:
            raise RuntimeError(describe(proc))

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def assert_bilingual(self, paths):
        """Each file gives its title and description in both languages, and they differ."""
        for path in paths:
            with open(path, "rb") as f:
                s = tomllib.load(f)
            for key in ("title", "description"):
                with self.subTest(file=os.path.basename(path), key=key):
                    self.assertIsInstance(s.get(key), dict, "%s: write %s.id and %s.en" % (path, key, key))
                    self.assertTrue(s[key].get("id"), "%s: %s.id is missing" % (path, key))
                    self.assertTrue(s[key].get("en"), "%s: %s.en is missing" % (path, key))
                    self.assertNotEqual(s[key]["id"], s[key]["en"], "%s: %s.id is the English text" % (path, key))

    def test_every_shipped_scenario_has_both_languages(self):
        paths = shipped_scenarios()
        self.assertGreaterEqual(len(paths), 10)
        self.assert_bilingual(paths)

    def test_every_shipped_experiment_and_sweep_has_both_languages(self):
        folders = [os.path.join(REPO, "scenarios", d) for d in ("experiments", "sweeps")]
        paths = sorted(os.path.join(d, n) for d in folders for n in os.listdir(d) if n.endswith(".toml"))
        self.assertGreaterEqual(len(paths), 5)
        self.assert_bilingual(paths)

    def words(self, source, lang):
        out = os.path.join(self.tmp, "%s-%s.html" % (os.path.basename(source), lang))
        proc = berdaya("report", source, "-o", out, "--lang", lang, "--force")
        self.assertEqual(proc.returncode, 0, describe(proc))
        parser = Visible()
        with open(out, encoding="utf-8") as f:
            parser.feed(f.read())
        text = " ".join(parser.parts)
        # Parameter names (socialization.sessions) label a sweep's factors: identifiers, not prose.
        prose = re.sub(r"\b[a-z_]+\.[a-z_]+\b", " ", text)
        return text, re.findall(r"[A-Za-z]+", prose.lower())

    def assert_speaks(self, source, lang):
        foreign = ENGLISH if lang == "id" else INDONESIAN
        text, words = self.words(source, lang)
        self.assertGreater(len(words), 500, "too little text to judge")
        found = sorted({w for w in words if w in foreign})
        where = []
        for w in found[:5]:
            m = re.search(r"(?i).{0,60}\b%s\b.{0,60}" % w, text)
            where.append(m.group(0) if m else w)
        self.assertEqual(found, [], "untranslated words in the %s report:\n  %s" % (lang, "\n  ".join(where)))

    def test_every_report_speaks_its_language_only(self):
        for name in ("compare", "posterior", "sweep", "run_file"):
            for lang in ("id", "en"):
                with self.subTest(report=name, lang=lang):
                    self.assert_speaks(getattr(self, name), lang)

    def test_titles_are_shown_in_the_report_language(self):
        _, id_words = self.words(self.compare, "id")
        _, en_words = self.words(self.compare, "en")
        self.assertIn("pelatihan", id_words)  # "Pelatihan usaha", the training scenario's title
        self.assertIn("training", en_words)
        # The experiment's title heads the page.
        self.assertIn("tuas", id_words)  # "Kota Batu: tuas program sendiri-sendiri dan bersama"
        self.assertIn("levers", en_words)

    def test_a_title_must_give_both_languages(self):
        for title, complaint in (('title = "Tuas"', "title must give both languages"),
                                 ('title.id = "Tuas"', "title must give both languages"),
                                 ('title.id = "Tuas"\ntitle.en = "Levers"\ntitle.fr = "Leviers"',
                                  "title must give both languages"),
                                 ('title.id = "%s"\ntitle.en = "Levers"' % ("x" * 121), "longer than 120")):
            path = os.path.join(self.tmp, "bad-title.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write('name = "bad"\n%s\nreplicates = 1\nbaseline = "kota-batu"\ncounterfactual = "no-program"\n'
                        'scenarios = ["%s", "%s"]\n' % (title, os.path.join(REPO, "scenarios", "kota-batu.toml"),
                                                        os.path.join(REPO, "scenarios", "no-program.toml")))
            proc = berdaya("compare", path, "-o", os.path.join(self.tmp, "bad.h5"))
            self.assertEqual(proc.returncode, 2, describe(proc))
            self.assertIn(complaint, proc.stderr)
            self.assertIn("bad-title.toml", proc.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.tmp, "bad.h5")))
        # The same rules for a scenario's title.
        path = os.path.join(self.tmp, "bad-scenario.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write('name = "bad"\ntitle.id = "Tuas"\n')
        proc = berdaya("validate", path)
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn("no English (title.en)", proc.stderr)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    REPO = os.path.abspath(sys.argv.pop(1))
    unittest.main()
