#!/usr/bin/env python3
"""The command line under faults and hostile input: every case gives a clear message naming
the place, the documented exit code, and leaves nothing behind.

Usage (CTest runs it this way):
    python3 tests/cli/test_hardening.py <path-to-berdaya-binary> <path-to-repo-root> [-k PATTERN ...]

Exit codes checked: 2 bad input, 4 an output could not be written, 130 interrupted.
The full-disk cases use a small tmpfs when this machine lets the test mount one (as root),
and a file size limit (ulimit -f) otherwise and as well.
"""
import glob
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import test_cli as base  # noqa: E402  (the shared runner and checks of the CLI tests)

SMALL = ["--replicates", "4", "--months", "12"]


def scenario_text(name, extra="", extends=True):
    head = 'extends = "%s"\n' % os.path.join(base.REPO, "scenarios", "kota-batu.toml") if extends else ""
    return head + 'name = "%s"\n%s\n' % (name, extra)


def can_mount_tmpfs():
    if os.geteuid() != 0:
        return False
    d = tempfile.mkdtemp(prefix="berdaya-mnt-")
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", d],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    if ok:
        subprocess.run(["umount", d])
    os.rmdir(d)
    return ok


class Hardening(base.CliTestCase):
    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def berdaya(self, args, cwd=None, limit_file_blocks=None):
        def limit():
            if limit_file_blocks is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_blocks * 512, limit_file_blocks * 512))
        return subprocess.run([base.BINARY] + list(args), cwd=cwd or self.out_dir, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                              timeout=base.TIMEOUT, preexec_fn=limit)

    def leftovers(self, folder=None):
        folder = folder or self.out_dir
        return sorted(f for f in os.listdir(folder) if ".tmp-" in f or f.endswith(".h5") or f.endswith(".spool"))

    def assert_refused(self, proc, *words):
        self.assertEqual(proc.returncode, 2, base.describe(proc))
        self.assertTrue(proc.stderr.startswith("berdaya: error: "), base.describe(proc))
        self.assertNotIn("internal error", proc.stderr)
        for w in words:
            self.assertIn(w, proc.stderr, base.describe(proc))
        self.assertLess(len(proc.stderr), 2000, "messages stay short")

    # --- sizes --------------------------------------------------------------------------------

    def test_household_count_beyond_32_bits_is_refused_at_validation(self):
        f = self.write("big.toml", scenario_text("big", "[population]\nvillage_file = \"\"\nvillages = 1000000\n"
                                                 "households_per_village = 100000\n"))
        for args in (["validate", f], ["run", f, "-o", self.out] + SMALL):
            p = self.berdaya(args)
            self.assert_refused(p, "big.toml:", "population.households_per_village", "100000000000 households")
        self.assertEqual(self.leftovers(), [])

    def test_a_run_larger_than_memory_is_refused_naming_the_parameters(self):
        f = self.write("huge.toml", scenario_text("huge", "[population]\nvillage_file = \"\"\nvillages = 1000000\n"
                                                  "households_per_village = 400\n"))
        p = self.berdaya(["run", f, "-o", self.out] + SMALL)
        self.assert_refused(p, "huge.toml:", "GB", "population.villages", "population.households_per_village")
        self.assertEqual(self.leftovers(), [])

    # --- reading inputs -------------------------------------------------------------------------

    def run_as_nobody(self, args):
        """Runs as an unprivileged user when this test runs as root (root reads any file)."""
        if os.geteuid() == 0:
            args = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", base.BINARY] + args
        else:
            args = [base.BINARY] + args
        return subprocess.run(args, cwd="/", stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True, timeout=base.TIMEOUT)

    def test_unreadable_scenario_and_unreadable_base_are_errors_not_defaults(self):
        os.chmod(self.tmp, 0o755)
        base_file = self.write("base.toml", scenario_text("base"))
        child = self.write("child.toml", 'extends = "base.toml"\nname = "child"\n')
        os.chmod(base_file, 0)
        p = self.run_as_nobody(["validate", child])
        self.assert_refused(p, "child.toml:1:", "cannot be read")
        os.chmod(base_file, 0o644)
        os.chmod(child, 0)
        p = self.run_as_nobody(["validate", child])
        self.assert_refused(p, "child.toml", "cannot be read")

    def test_village_file_that_is_a_device_or_a_folder(self):
        for target in ("/dev/zero", self.tmp):
            f = self.write("v.toml", scenario_text("v", '[population]\nvillage_file = "%s"\n' % target))
            p = self.berdaya(["validate", f])
            self.assert_refused(p, "population.village_file", "not a regular file")

    # --- places in messages ----------------------------------------------------------------------

    def test_long_paths_symlink_loops_and_deep_chains_are_named(self):
        long_name = "a" * 300 + ".toml"
        f = self.write("long.toml", 'extends = "%s"\n' % long_name)
        self.assert_refused(self.berdaya(["validate", f]), "long.toml:1:", "File name too long")
        os.symlink("loop-b", os.path.join(self.tmp, "loop-a"))
        os.symlink("loop-a", os.path.join(self.tmp, "loop-b"))
        f = self.write("loop.toml", 'extends = "loop-a"\n')
        self.assert_refused(self.berdaya(["validate", f]), "loop.toml:1:", "symbolic links")
        for i in range(1, 200):
            self.write("c%d.toml" % i, 'extends = "c%d.toml"\n' % (i + 1))
        self.write("c200.toml", scenario_text("deep"))
        self.assert_refused(self.berdaya(["validate", os.path.join(self.tmp, "c1.toml")]), "extends chain deeper")
        p = self.berdaya(["run", os.path.join(self.tmp, "c200.toml"), "-o", "b" * 300 + ".h5"] + SMALL)
        self.assert_refused(p, "longer than 255 characters")

    def test_a_huge_key_is_reported_quickly_and_shortened(self):
        f = self.write("key.toml", "[run]\n" + "k" * 1000000 + " = 1\n")
        t0 = time.time()
        p = self.berdaya(["validate", f])
        self.assertLess(time.time() - t0, 5)
        self.assert_refused(p, "key.toml:2:1", "unknown key", "bytes)")

    def test_names_that_would_write_elsewhere_are_refused(self):
        for name in ("../../x", "/tmp/x", "sub/x", ".hidden", "line\\nbreak", ""):
            f = self.write("n.toml", scenario_text(name))
            p = self.berdaya(["run", f] + SMALL)
            self.assert_refused(p, "n.toml:", "name = ")
        self.assertEqual(self.leftovers(), [])
        self.assertEqual([x for x in os.listdir(self.tmp) if x.endswith(".h5")], [])

    def test_strings_round_trip_through_the_stored_scenario(self):
        desc = 'He said \\"tetap\\"\\tand\\nleft \\\\ here'
        f = self.write("d.toml", scenario_text("d") .replace('name = "d"', 'name = "d"\ndescription = "%s"' % desc))
        p = self.berdaya(["run", f, "-o", self.out] + SMALL)
        self.assertEqual(p.returncode, 0, base.describe(p))
        stored = self.berdaya(["inspect", "--scenario", self.out])
        again = self.write("again.toml", stored.stdout)
        v = self.berdaya(["validate", again])
        self.assertEqual(v.returncode, 0, base.describe(v))
        p2 = self.berdaya(["run", again, "-o", os.path.join(self.out_dir, "again.h5")] + SMALL)
        self.assertEqual(p2.returncode, 0, base.describe(p2))
        s2 = self.berdaya(["inspect", "--scenario", os.path.join(self.out_dir, "again.h5")])
        self.assertEqual(stored.stdout, s2.stdout, "the stored scenario reproduces itself")

    # --- the output rules -------------------------------------------------------------------------

    def test_outputs_never_replace_inputs_or_special_files(self):
        village = os.path.join(self.tmp, "villages.csv")
        with open(village, "w") as f:
            f.write("kecamatan,village,kind\nA,Satu,desa\nA,Dua,desa\n")
        scen = self.write("s.toml", scenario_text("s", '[population]\nvillage_file = "villages.csv"\n'))
        before = open(scen).read()
        base_file = os.path.join(base.REPO, "scenarios", "kota-batu.toml")
        for out in (scen, base_file, village):
            self.assert_refused(self.berdaya(["run", scen, "-o", out] + SMALL), "is an input of this command")
        self.assertEqual(open(scen).read(), before)
        self.assert_refused(self.berdaya(["run", scen, "-o", self.out, "--summary-file", self.out] + SMALL),
                            "--summary-file")
        fifo = os.path.join(self.out_dir, "pipe.h5")
        os.mkfifo(fifo)
        self.assert_refused(self.berdaya(["run", scen, "-o", fifo] + SMALL), "not a regular file")
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        os.unlink(fifo)
        self.assert_refused(self.berdaya(["run", scen, "-o", "/dev/null"] + SMALL), "not a regular file")
        self.assertEqual(self.leftovers(), [])

    def test_an_existing_result_is_replaced_only_with_force(self):
        scen = self.write("s.toml", scenario_text("s"))
        self.assertEqual(self.berdaya(["run", scen, "-o", self.out] + SMALL).returncode, 0)
        first = os.stat(self.out).st_mtime_ns
        self.assert_refused(self.berdaya(["run", scen, "-o", self.out] + SMALL), "already exists", "--force")
        self.assertEqual(os.stat(self.out).st_mtime_ns, first)
        p = self.berdaya(["run", scen, "-o", self.out, "--force"] + SMALL)
        self.assertEqual(p.returncode, 0, base.describe(p))
        report = os.path.join(self.out_dir, "r.html")
        self.assertEqual(self.berdaya(["report", self.out, "-o", report]).returncode, 0)
        self.assert_refused(self.berdaya(["report", self.out, "-o", report]), "already exists")
        self.assert_refused(self.berdaya(["report", self.out, "-o", self.out, "--force"]), "is an input")
        self.assertEqual(self.berdaya(["report", self.out, "-o", report, "--force"]).returncode, 0)

    def test_stale_temporaries_of_dead_processes_are_removed(self):
        scen = self.write("s.toml", scenario_text("s"))
        dead = subprocess.Popen(["true"])
        dead.wait()
        stale = self.out + ".tmp-%d" % dead.pid
        open(stale, "w").write("half a file")
        p = self.berdaya(["run", scen, "-o", self.out] + SMALL)
        self.assertEqual(p.returncode, 0, base.describe(p))
        self.assertFalse(os.path.exists(stale))
        self.assertIn("removed", p.stderr)

    # --- full disks, file size limits and signals ---------------------------------------------

    def check_write_failure(self, p, folder):
        self.assertEqual(p.returncode, 4, base.describe(p))
        self.assertIn("berdaya: error: ", p.stderr)
        self.assertIn("--resume", p.stderr)
        self.assertEqual(glob.glob(os.path.join(folder, "*.tmp-*")), [])
        self.assertEqual(glob.glob(os.path.join(folder, "*.h5")), [])

    def test_file_size_limit_on_run_and_compare_with_threads(self):
        scen = self.write("s.toml", scenario_text("s"))
        p = self.berdaya(["run", scen, "-o", self.out, "--replicates", "40"], limit_file_blocks=200)
        self.check_write_failure(p, self.out_dir)
        exp = os.path.join(base.REPO, "scenarios", "experiments", "kota-batu-levers.toml")
        out = os.path.join(self.out_dir, "levers.h5")
        p = self.berdaya(["compare", exp, "-o", out, "--replicates", "20", "--months", "24", "--threads", "2"],
                         limit_file_blocks=400)
        self.check_write_failure(p, self.out_dir)
        self.assertNotIn("terminate", p.stderr)
        # With the limit lifted, --resume finishes from what was kept.
        p = self.berdaya(["compare", exp, "-o", out, "--replicates", "20", "--months", "24", "--threads", "2",
                          "--resume"])
        self.assertEqual(p.returncode, 0, base.describe(p))
        self.assertIn("kept from the interrupted run", p.stderr)

    @unittest.skipUnless(can_mount_tmpfs(), "needs root and tmpfs to fill a disk")
    def test_full_disk_while_writing_the_result_keeps_the_runs(self):
        scen = self.write("s.toml", scenario_text("s"))
        # Measure the spool and the result on a roomy disk first.
        probe = os.path.join(self.tmp, "probe")
        os.mkdir(probe)
        args = ["run", scen, "--replicates", "60", "--months", "48"]
        src = subprocess.Popen([base.BINARY] + args + ["-o", os.path.join(probe, "r.h5")], cwd=probe,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # The spool is at its largest just before the write: watch for the temporary file.
        spool_size = 0
        while src.poll() is None:
            for f in glob.glob(os.path.join(probe, "*.spool")):
                try:
                    spool_size = max(spool_size, os.path.getsize(f))
                except OSError:
                    pass
            time.sleep(0.001)
        result_size = os.path.getsize(os.path.join(probe, "r.h5"))
        self.assertGreater(spool_size, 0)
        disk = os.path.join(self.tmp, "disk")
        os.mkdir(disk)
        # Room for the spool and a fifth of the result: the result's write fails.
        size_kb = (spool_size + result_size // 5) // 1024 + 64
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk" % size_kb, "tmpfs", disk], check=True)
        try:
            p = self.berdaya(args + ["-o", os.path.join(disk, "r.h5")], cwd=disk)
            self.check_write_failure(p, disk)
            self.assertTrue(os.path.exists(os.path.join(disk, "r.h5.spool")))
            subprocess.run(["mount", "-o", "remount,size=%dk" % (size_kb * 4), disk], check=True)
            p = self.berdaya(args + ["-o", os.path.join(disk, "r.h5"), "--resume"], cwd=disk)
            self.assertEqual(p.returncode, 0, base.describe(p))
            self.assertEqual(sorted(os.listdir(disk)), ["r.h5"])
        finally:
            subprocess.run(["umount", "-l", disk])

    def test_ctrl_c_while_writing_keeps_the_runs_and_leaves_no_file(self):
        scen = self.write("w.toml", scenario_text("w", "[population]\nhouseholds_per_village = 20\n"
                                                  "[program]\ngroups_per_cohort = 3\n"))
        args = [base.BINARY, "run", scen, "-o", self.out, "--replicates", "4000", "--months", "24"]
        p = subprocess.Popen(args, cwd=self.out_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             universal_newlines=True)
        seen = False
        deadline = time.time() + 120
        while p.poll() is None and time.time() < deadline:
            if glob.glob(self.out + ".tmp-*"):
                seen = True
                p.send_signal(signal.SIGINT)
                break
            time.sleep(0.001)
        _, err = p.communicate(timeout=120)
        self.assertTrue(seen, "the write phase was not observed: %s" % err)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("interrupted while writing", err)
        self.assertEqual(sorted(os.listdir(self.out_dir)), ["result.h5.spool"])
        p2 = self.berdaya(args[1:] + ["--resume"])
        self.assertEqual(p2.returncode, 0, base.describe(p2))
        self.assertEqual(sorted(os.listdir(self.out_dir)), ["result.h5"])

    def test_help_lists_the_exit_codes(self):
        for cmd in (["--help"], ["run", "--help"], ["compare", "--help"], ["report", "--help"]):
            p = self.berdaya(cmd)
            self.assertEqual(p.returncode, 0)
            for code in ("2 bad input", "4 an output could not be written", "130 interrupted"):
                self.assertIn(code, p.stdout)


if __name__ == "__main__":
    base.BINARY = os.path.abspath(sys.argv[1])
    base.REPO = os.path.abspath(sys.argv[2])
    argv = [sys.argv[0]] + sys.argv[3:]
    runner = unittest.TextTestRunner(verbosity=2)
    result = runner.run(unittest.defaultTestLoader.loadTestsFromTestCase(Hardening)
                        if len(argv) == 1 else unittest.defaultTestLoader.loadTestsFromNames(
                            [n for n in argv[1:] if n != "-k"], sys.modules[__name__]))
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed - len(result.skipped), failed))
    sys.exit(1 if failed else 0)
