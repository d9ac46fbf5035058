#!/usr/bin/env python3
"""End-to-end tests of the berdaya command line.

Usage (CTest runs it this way):
    python3 tests/cli/test_cli.py <path-to-berdaya-binary> <path-to-repo-root> [-k PATTERN ...]

Every bad input goes through the real binary and is checked for:
  * exit code exactly 2 (a user error, not a crash),
  * a message on stderr that names the file and line ("file.toml:LINE") and gives a fix,
  * no output left behind: neither the result file nor a *.tmp-* file in the output folder.

Python 3 standard library only. Prints "N passed, M failed" at the end; exits 1 if any failed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")

BINARY = None  # set in main()
REPO = None
TIMEOUT = 300  # seconds per command

RUN_ARGS = ["--replicates", "2", "--months", "12"]


def fixture(name):
    return os.path.join(FIXTURES, name)


def line_of(name, needle):
    """1-based number of the first line of fixture `name` that contains `needle`."""
    with open(fixture(name), encoding="utf-8") as f:
        for i, line in enumerate(f, start=1):
            if needle in line:
                return i
    raise AssertionError("fixture %s has no line containing %r" % (name, needle))


def berdaya(args, cwd):
    """Runs the binary; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run(
        [BINARY] + list(args),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=TIMEOUT,
    )


def describe(proc):
    return "exit code %s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)


class CliTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="berdaya-cli-")
        self.tmp = self._tmp.name
        # The output folder; commands also run with it as the working directory, so a
        # default-named result (<scenario>.h5) would land here too.
        self.out_dir = os.path.join(self.tmp, "out")
        os.mkdir(self.out_dir)
        self.out = os.path.join(self.out_dir, "result.h5")
        self.fixtures_before = sorted(os.listdir(FIXTURES))

    def tearDown(self):
        self._tmp.cleanup()

    # --- helpers -------------------------------------------------------------------------

    def assert_bad_input(self, proc):
        """Exit code 2, a message on stderr, and no crash report."""
        self.assertEqual(proc.returncode, 2, "expected exit code 2 (bad input)\n" + describe(proc))
        self.assertTrue(proc.stderr.strip(), "expected an error message on stderr\n" + describe(proc))
        self.assertNotIn("internal error", proc.stderr, describe(proc))
        self.assertNotIn("terminate called", proc.stderr, describe(proc))

    def assert_nothing_written(self, proc=None):
        left = sorted(os.listdir(self.out_dir))
        self.assertEqual(left, [], "files left in the output folder: %s\n%s" % (left, describe(proc) if proc else ""))
        tmp_left = [n for n in os.listdir(self.tmp) if ".tmp" in n]
        self.assertEqual(tmp_left, [], "temporary files left behind: %s" % tmp_left)
        self.assertEqual(sorted(os.listdir(FIXTURES)), self.fixtures_before, "files appeared in the fixtures folder")

    def assert_located(self, proc, places, with_column=False):
        """stderr names one of `places` (a list of (file, line)) as file:LINE (or file:LINE:COL)."""
        pats = []
        for name, line in places:
            pat = re.escape(name) + ":" + str(line) + (r":\d+" if with_column else "") + r"(?!\d)"
            pats.append(pat)
            if re.search(pat, proc.stderr):
                return
        self.fail("message does not name the place of the error (expected %s)\n%s"
                  % (" or ".join("%s:%s%s" % (n, l, ":COL" if with_column else "") for n, l in places),
                     describe(proc)))

    def assert_mentions(self, proc, parts, ignore_case=False):
        text = proc.stderr.lower() if ignore_case else proc.stderr
        for part in parts:
            p = part.lower() if ignore_case else part
            self.assertIn(p, text, "message does not mention %r\n%s" % (part, describe(proc)))

    def run_scenario(self, path, *extra):
        return berdaya(["run", path, "-o", self.out] + RUN_ARGS + list(extra), cwd=self.out_dir)

    def validate(self, path):
        return berdaya(["validate", path], cwd=self.out_dir)


# --- bad scenario files: one test per (case, command) ---------------------------------------

# name: (fixture, places, must_mention, options)
#   places: list of (fixture file, text of the offending line); any one is accepted
#   must_mention: substrings the message must contain (the fix)
#   options: with_column (message must be file:LINE:COL), ignore_case (for must_mention)
BAD_FILES = {
    "unknown_key": (
        "unknown_key.toml", [("unknown_key.toml", "shock_prb")],
        ["shock_prb", "Did you mean", "household.shock_prob"], {}),
    "unknown_top_level_key": (
        "unknown_top_level.toml", [("unknown_top_level.toml", "months = 12")],
        ["months", "top-level", "Did you mean", "run.months"], {}),
    "unknown_section": (
        # The header line or the key inside it both point the user to the right place.
        "unknown_section.toml",
        [("unknown_section.toml", "[housold]"), ("unknown_section.toml", "shock_prob")],
        ["housold", "Did you mean", "household.shock_prob"], {}),
    "unknown_section_no_close_match": (
        "unknown_section_far.toml",
        [("unknown_section_far.toml", "[weather]"), ("unknown_section_far.toml", "rain")],
        ["weather", "Valid sections", "household", "berdaya params"], {}),
    "wrong_type_string_for_number": (
        "wrong_type_string.toml", [("wrong_type_string.toml", "shock_prob")],
        ["household.shock_prob", "number", "\"0.02\"", "without quotes"], {}),
    "wrong_type_float_for_integer": (
        "wrong_type_float_for_int.toml", [("wrong_type_float_for_int.toml", "months = 12.5")],
        ["run.months", "whole number", "12.5"], {}),
    "wrong_type_string_for_boolean": (
        "wrong_type_bool.toml", [("wrong_type_bool.toml", "enabled")],
        ["program.enabled", "true or false", "yes"], {}),
    "out_of_range_real": (
        "out_of_range.toml", [("out_of_range.toml", "shock_prob = 1.5")],
        ["household.shock_prob", "1.5", "[0, 1]"], {}),
    "out_of_range_integer": (
        "out_of_range_int.toml", [("out_of_range_int.toml", "group_size = 30")],
        ["program.group_size", "30", "[5, 20]"], {}),
    "extends_missing_file": (
        "extends_missing.toml", [("extends_missing.toml", "extends = ")],
        ["no-such-base.toml", "not found"], {}),
    "extends_cycle": (
        "cycle_a.toml", [("cycle_a.toml", "extends = "), ("cycle_b.toml", "extends = ")],
        ["cycle", "cycle_a.toml", "cycle_b.toml"], {"ignore_case": True}),
    "extends_self": (
        "extends_self.toml", [("extends_self.toml", "extends = ")],
        ["cycle", "extends_self.toml"], {"ignore_case": True}),
    "malformed_unclosed_bracket": (
        "malformed_bracket.toml", [("malformed_bracket.toml", "[household")],
        ["TOML"], {"with_column": True}),
    "malformed_missing_value": (
        "malformed_value.toml", [("malformed_value.toml", "shock_prob =")],
        ["TOML"], {"with_column": True}),
    "invalid_choice": (
        "invalid_choice.toml", [("invalid_choice.toml", "payout_rule")],
        ["business.payout_rule", "nobody", "\"contributors\"", "\"all\""], {}),
    "relation_both_set": (
        "relation.toml", [("relation.toml", "iks_share = 0.5"), ("relation.toml", "reinvest_share = 0.6")],
        ["business.iks_share", "business.reinvest_share", "1.1", "exceeds 1"], {}),
    "relation_one_side_set": (
        # Only iks_share is set in the file; the message must point at that line, not just the file.
        "relation_one_side.toml", [("relation_one_side.toml", "iks_share = 0.8")],
        ["business.iks_share", "business.reinvest_share", "1.1", "exceeds 1"], {}),
}


class BadScenarioFiles(CliTestCase):
    """Cases 1-5 and 7-11, through both `berdaya validate` and `berdaya run`."""


def _make_bad_file_test(command, fixture_name, places, mentions, opts):
    def test(self):
        path = fixture(fixture_name)
        proc = self.validate(path) if command == "validate" else self.run_scenario(path)
        self.assert_bad_input(proc)
        self.assert_located(proc, [(f, line_of(f, needle)) for f, needle in places],
                            with_column=opts.get("with_column", False))
        self.assert_mentions(proc, mentions, ignore_case=opts.get("ignore_case", False))
        if command == "run":
            self.assertEqual(proc.stdout.strip(), "", "a failed run printed a summary\n" + describe(proc))
        self.assert_nothing_written(proc)
    return test


for _case, (_fx, _places, _mentions, _opts) in BAD_FILES.items():
    for _cmd in ("validate", "run"):
        setattr(BadScenarioFiles, "test_%s_%s" % (_cmd, _case),
                _make_bad_file_test(_cmd, _fx, _places, _mentions, _opts))


class MissingScenarioFile(CliTestCase):
    """Case 6."""

    def check(self, proc):
        self.assert_bad_input(proc)
        self.assert_mentions(proc, ["does-not-exist.toml", "not found"])
        self.assert_nothing_written(proc)

    def test_validate_missing_scenario(self):
        self.check(self.validate(os.path.join(self.tmp, "does-not-exist.toml")))

    def test_run_missing_scenario(self):
        self.check(self.run_scenario(os.path.join(self.tmp, "does-not-exist.toml")))


class BadCommandLine(CliTestCase):
    """Case 12: bad option values, with an otherwise valid scenario."""

    def check(self, extra, option):
        proc = berdaya(["run", fixture("base_valid.toml"), "-o", self.out] + extra, cwd=self.out_dir)
        self.assert_bad_input(proc)
        self.assert_mentions(proc, [option])
        self.assert_nothing_written(proc)

    def test_replicates_zero(self):
        self.check(["--replicates", "0", "--months", "12"], "--replicates")

    def test_replicates_not_a_number(self):
        self.check(["--replicates", "abc", "--months", "12"], "--replicates")

    def test_months_not_a_number(self):
        self.check(["--replicates", "2", "--months", "abc"], "--months")

    def test_months_zero(self):
        self.check(["--replicates", "2", "--months", "0"], "--months")

    def test_seed_negative(self):
        self.check(["--replicates", "2", "--months", "12", "--seed", "-5"], "--seed")

    def test_unknown_option(self):
        self.check(["--replicates", "2", "--months", "12", "--replicate", "3"], "--replicate")

    def test_mistyped_option_gets_the_nearest(self):
        self.check(["--replicates", "2", "--months", "12", "--thread", "2"], "Did you mean '--threads'?")

    def test_mistyped_command_gets_the_nearest(self):
        proc = berdaya(["compar", "x.toml"], cwd=self.out_dir)
        self.assert_bad_input(proc)
        self.assert_mentions(proc, ["'compar' is not a command", "Did you mean 'compare'?", "calibrate"])
        self.assertEqual(berdaya([], cwd=self.out_dir).returncode, 2)  # no command at all: still bad input

    def test_bash_completion(self):
        proc = berdaya(["completion", "bash"], cwd=self.out_dir)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        script = os.path.join(self.out_dir, "completion.bash")
        with open(script, "w") as f:
            f.write(proc.stdout)
        probe = ('source "$1"; COMP_WORDS=(berdaya calib); COMP_CWORD=1; _berdaya; echo "${COMPREPLY[*]}"; '
                 'COMP_WORDS=(berdaya compare --post); COMP_CWORD=2; _berdaya; echo "${COMPREPLY[*]}"')
        out = subprocess.run(["bash", "-c", probe, "probe", script], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.split("\n")[:2], ["calibrate", "--posterior"])
        self.assertEqual(berdaya(["completion", "fish"], cwd=self.out_dir).returncode, 2)

    def test_version(self):
        for flag in ("-V", "--version"):
            proc = berdaya([flag], cwd=self.out_dir)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertRegex(proc.stdout, r"^berdaya \d+\.\d+\.\d+ \(")


class BadOutputPath(CliTestCase):
    """Case 13: the output folder does not exist (and related output-path errors)."""

    def test_output_folder_missing_absolute(self):
        target = "/nonexistent/dir/x.h5"
        self.assertFalse(os.path.exists("/nonexistent"), "test assumes /nonexistent does not exist")
        proc = berdaya(["run", fixture("base_valid.toml"), "-o", target] + RUN_ARGS, cwd=self.out_dir)
        self.assert_bad_input(proc)
        self.assert_mentions(proc, ["/nonexistent/dir", "does not exist"])
        self.assertFalse(os.path.exists("/nonexistent"), "something was created under /nonexistent")
        self.assert_nothing_written(proc)

    def test_output_folder_missing_in_tmp(self):
        missing = os.path.join(self.out_dir, "no-such-folder")
        proc = berdaya(["run", fixture("base_valid.toml"), "-o", os.path.join(missing, "x.h5")] + RUN_ARGS,
                       cwd=self.out_dir)
        self.assert_bad_input(proc)
        self.assert_mentions(proc, ["no-such-folder", "does not exist"])
        self.assertFalse(os.path.exists(missing), "the missing folder was created")
        self.assert_nothing_written(proc)

    def test_summary_file_folder_missing(self):
        proc = berdaya(["run", fixture("base_valid.toml"), "-o", self.out, "--summary-file",
                        os.path.join(self.out_dir, "no-such-folder", "s.txt")] + RUN_ARGS, cwd=self.out_dir)
        self.assert_bad_input(proc)
        self.assert_mentions(proc, ["no-such-folder", "does not exist"])
        self.assert_nothing_written(proc)

    def test_output_is_existing_folder(self):
        # -o names a folder, not a file: a user error (exit 2), and no temporary file left.
        target = os.path.join(self.out_dir, "a-folder")
        os.mkdir(target)
        proc = berdaya(["run", fixture("base_valid.toml"), "-o", target] + RUN_ARGS, cwd=self.out_dir)
        self.assert_bad_input(proc)
        self.assert_mentions(proc, ["a-folder"])
        self.assertEqual(sorted(os.listdir(self.out_dir)), ["a-folder"], describe(proc))
        self.assertEqual(os.listdir(target), [], describe(proc))


# --- positive tests and result files --------------------------------------------------------

class GoodRun(unittest.TestCase):
    """validate, run --json, inspect and summary on the Kota Batu scenario; damaged result files."""

    @classmethod
    def setUpClass(cls):
        cls._tmp = tempfile.TemporaryDirectory(prefix="berdaya-cli-good-")
        cls.tmp = cls._tmp.name
        cls.out = os.path.join(cls.tmp, "kota-batu.h5")
        cls.proc = berdaya(["run", os.path.join("scenarios", "kota-batu.toml"), "-o", cls.out] + RUN_ARGS
                           + ["--json"], cwd=REPO)

    @classmethod
    def tearDownClass(cls):
        cls._tmp.cleanup()

    def require_result(self):
        if self.proc.returncode != 0 or not os.path.isfile(self.out):
            self.fail("the Kota Batu run failed, so there is no result file\n" + describe(self.proc))

    def test_validate_kota_batu(self):
        proc = berdaya(["validate", os.path.join("scenarios", "kota-batu.toml")], cwd=REPO)
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("ok", proc.stdout, describe(proc))

    def test_validate_fixture_extending_kota_batu(self):
        # The fixtures' extends path (../../../scenarios/kota-batu.toml) resolves, from any cwd.
        with tempfile.TemporaryDirectory() as cwd:
            proc = berdaya(["validate", fixture("base_valid.toml")], cwd=cwd)
            self.assertEqual(proc.returncode, 0, describe(proc))
            self.assertIn("fixture-valid", proc.stdout, describe(proc))
            self.assertEqual(os.listdir(cwd), [])

    def test_run_json(self):
        self.assertEqual(self.proc.returncode, 0, describe(self.proc))
        text = self.proc.stdout.strip()
        try:
            obj = json.loads(text)  # exactly one JSON value, nothing else on stdout
        except ValueError as e:
            self.fail("stdout is not one JSON object: %s\n%s" % (e, describe(self.proc)))
        self.assertIsInstance(obj, dict)
        for key in ("scenario", "replicates", "seed", "active_share", "failure_causes"):
            self.assertIn(key, obj, "JSON has no %r: %s" % (key, text))
        self.assertEqual(obj["scenario"], "kota-batu")
        self.assertEqual(obj["replicates"], 2)
        self.assertIsInstance(obj["seed"], int)
        self.assertIsInstance(obj["active_share"], dict)
        for month in ("12", "36", "60"):
            self.assertIn(month, obj["active_share"], text)
            # A 12-month run follows no group 12 months: every horizon is flagged, not a number.
            self.assertEqual(obj["active_share"][month]["estimable"], False, text)
            self.assertLess(obj["active_share"][month]["at_risk"], 10, text)
            self.assertNotIn("mean", obj["active_share"][month], text)
        self.assertIsInstance(obj["failure_causes"], (dict, list))

    def ok(self, args):
        """Runs berdaya in the temp folder, asserts exit 0 and returns stdout."""
        proc = berdaya(args, cwd=self.tmp)
        self.assertEqual(proc.returncode, 0, describe(proc))
        return proc.stdout

    def test_run_leaves_only_the_result(self):
        self.require_result()
        self.assertEqual(sorted(os.listdir(self.tmp)), ["kota-batu.h5"])

    def test_inspect(self):
        self.require_result()
        self.assertIn("series", self.ok(["inspect", self.out]))

    def test_inspect_scenario(self):
        self.require_result()
        self.assertIn("[household]", self.ok(["inspect", "--scenario", self.out]))

    def test_summary(self):
        self.require_result()
        self.assertIn("kota-batu", self.ok(["summary", self.out]))

    def test_summary_json(self):
        self.require_result()
        self.assertEqual(json.loads(self.ok(["summary", "--json", self.out]))["scenario"], "kota-batu")

    # Damaged or foreign result files: exit 2, the file named, a clear reason.

    def check_bad_result(self, args, name, words):
        proc = berdaya(args, cwd=self.tmp)
        self.assertEqual(proc.returncode, 2, describe(proc))
        self.assertIn(name, proc.stderr, describe(proc))
        self.assertNotIn("internal error", proc.stderr, describe(proc))
        self.assertTrue(any(w in proc.stderr.lower() for w in words),
                        "message gives no reason (one of %s)\n%s" % (words, describe(proc)))

    def test_inspect_text_file(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "notes.h5")
            with open(path, "w") as f:
                f.write("this is not an HDF5 file\n")
            for cmd in (["inspect"], ["inspect", "--scenario"], ["summary"]):
                with self.subTest(cmd=cmd):
                    self.check_bad_result(cmd + [path], "notes.h5", ["not an hdf5", "hdf5"])

    def test_inspect_truncated_result(self):
        self.require_result()
        size = os.path.getsize(self.out)
        with tempfile.TemporaryDirectory() as d:
            for keep in (size // 2, 4096):
                path = os.path.join(d, "truncated-%d.h5" % keep)
                with open(self.out, "rb") as src, open(path, "wb") as dst:
                    dst.write(src.read(keep))
                for cmd in (["inspect"], ["summary"]):
                    with self.subTest(cmd=cmd, keep=keep):
                        self.check_bad_result(cmd + [path], os.path.basename(path),
                                              ["truncated", "damaged", "cannot be opened"])

    def test_inspect_missing_file(self):
        path = os.path.join(self.tmp, "no-such-result.h5")
        self.check_bad_result(["inspect", path], "no-such-result.h5", ["not found", "no such"])

    def test_copy_of_result_still_reads(self):
        # Control for the truncation test: a full copy is fine.
        self.require_result()
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "copy.h5")
            shutil.copyfile(self.out, path)
            proc = berdaya(["inspect", path], cwd=d)
            self.assertEqual(proc.returncode, 0, describe(proc))


def main(argv):
    global BINARY, REPO
    args = argv[1:]
    patterns = []
    while "-k" in args:
        i = args.index("-k")
        patterns.append(args[i + 1] if "*" in args[i + 1] else "*%s*" % args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.stderr.write("usage: %s <path-to-berdaya-binary> <path-to-repo-root> [-k PATTERN ...]\n" % argv[0])
        return 2
    BINARY = os.path.abspath(args[0])
    REPO = os.path.abspath(args[1])
    if not os.access(BINARY, os.X_OK):
        sys.stderr.write("not an executable: %s\n" % BINARY)
        return 2
    if not os.path.isfile(os.path.join(REPO, "scenarios", "kota-batu.toml")):
        sys.stderr.write("not the repository root (no scenarios/kota-batu.toml): %s\n" % REPO)
        return 2

    loader = unittest.TestLoader()
    if patterns:
        loader.testNamePatterns = patterns
    suite = loader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped) - len(result.expectedFailures)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
