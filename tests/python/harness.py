"""What the Python tests of result files share: a context, running berdaya to write the
files, helpers over h5py, and the loop that runs named checks and reports each."""
import os
import subprocess
import sys
import tempfile
import traceback

import h5py


class Context:
    def __init__(self, berdaya, source, tmp):
        self.berdaya, self.source, self.tmp = berdaya, source, tmp
        self.analysis = os.path.join(source, "analysis", "python")
        self.files = {}


def run_jobs(ctx, jobs):
    """Runs `berdaya ARGS -o TMP/LABEL.h5 --threads 2` for each (expectation, ARGS); the
    expectation gets .path and .proc and is stored in ctx.files under its .label."""
    for e, args in jobs:
        e.path = os.path.join(ctx.tmp, e.label + ".h5")
        e.proc = subprocess.run([ctx.berdaya] + args + ["-o", e.path, "--threads", "2"], capture_output=True,
                                text=True, timeout=600, cwd=ctx.tmp)
        ctx.files[e.label] = e


def data_datasets(group):
    """The datasets of `group` that are not dimension scales, as {name: h5py.Dataset}."""
    return {name: obj for name, obj in group.items()
            if isinstance(obj, h5py.Dataset) and not h5py.h5ds.is_scale(obj.id)}


def strings(dataset):
    return list(dataset.asstr()[()])


def main(argv, prefix, write_files, make_tests):
    """Usage: <script> <berdaya binary> <source dir>. Writes the files, runs every named
    check, prints "N passed, M failed" and returns the exit code."""
    if len(argv) != 3:
        print(f"usage: {argv[0]} <berdaya binary> <source dir>", file=sys.stderr)
        return 2
    berdaya, source = os.path.abspath(argv[1]), os.path.abspath(argv[2])
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        ctx = Context(berdaya, source, tmp)
        write_files(ctx)
        for name, test in make_tests(ctx):
            try:
                test(ctx)
            except Exception:  # noqa: BLE001 - report every failure, keep going
                failed += 1
                print(f"FAIL {name}")
                traceback.print_exc(file=sys.stdout)
            else:
                passed += 1
                print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
