#!/usr/bin/env python3
"""Damaged result files through every reader: summary, summary --json, inspect and report.

Usage (CTest runs it this way, in the normal and in the ASan/UBSan build):
    python3 tests/analysis/test_corrupt_files.py <path-to-berdaya-binary> <path-to-repo-root>

Variants, generated from small run, compare and sweep files with a fixed seed:
  * truncations and flipped bytes, read as a user would (the seal is checked): exit 2;
  * edited shapes, dtypes, values and attributes (h5py), read with --unchecked so that the
    readers' own checks are what is tested: exit 2 for every structural edit (a dataset
    missing, of another shape or type, an attribute that disagrees with the data), and never
    an internal error (exit 1) or a signal for any edit.
Prints "N passed, M failed"; exits 1 if any failed.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

BINARY = os.path.abspath(sys.argv[1])
REPO = os.path.abspath(sys.argv[2])
TIMEOUT = 120
passed = failed = 0
problems = []


def berdaya(args, cwd):
    return subprocess.run([BINARY] + args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT)


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        problems.append(what)


def readers(path, report_out, unchecked):
    extra = ["--unchecked"] if unchecked else []
    return [["summary", path] + extra, ["summary", path, "--json"] + extra, ["inspect", path] + extra,
            ["report", path, "-o", report_out, "--force"] + extra]


def expect(path, tmp, structural, unchecked, label):
    for args in readers(path, os.path.join(tmp, "r.html"), unchecked):
        p = berdaya(args, tmp)
        sig = p.returncode < 0
        desc = "%s: %s -> exit %s\n%s" % (label, " ".join(args[:1] + args[2:]), p.returncode, p.stderr[-600:])
        check(not sig and p.returncode != 1, "crash or internal error: " + desc)
        if p.returncode == 2:
            check(p.stderr.startswith("berdaya: error: ") and len(p.stderr) < 3000, "message: " + desc)
        # inspect only describes the file's layout, so it may accept a file whose data disagree.
        if structural and args[0] != "inspect":
            check(p.returncode == 2, "accepted a damaged file: " + desc)


def datasets(f):
    out = []
    f.visititems(lambda name, obj: out.append(name) if isinstance(obj, h5py.Dataset) else None)
    return sorted(out)


def replace(f, name, data):
    attrs = dict(f[name].attrs)
    del f[name]
    f.create_dataset(name, data=data)
    for k, v in attrs.items():
        if k not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME"):
            f[name].attrs[k] = v


def shorter(a):
    if a.ndim == 0 or a.shape[-1] == 0:
        return np.zeros((0,))
    return a[..., :-1]


EDITS = {
    "shorter": lambda f, n: replace(f, n, shorter(f[n][()])),
    "one-by-one": lambda f, n: replace(f, n, np.zeros((1, 1))),
    "empty": lambda f, n: replace(f, n, np.zeros((0,))),
    "strings": lambda f, n: replace(f, n, np.array([b"x"] * max(1, f[n].shape[0] if f[n].ndim else 1))),
    "transposed": lambda f, n: replace(f, n, np.ascontiguousarray(f[n][()].T) if f[n].ndim >= 2 else np.zeros((2, 2))),
}
# Edits of values keep the layout: the readers may accept them, but must not crash.
VALUE_EDITS = {
    # A reader that does not use a dataset need not miss it.
    "delete": lambda f, n: f.__delitem__(n),
    "nan": lambda f, n: f[n].__setitem__(Ellipsis, np.nan) if f[n].dtype.kind == "f" else None,
    "huge": lambda f, n: f[n].__setitem__(Ellipsis, 1e300 if f[n].dtype.kind == "f" else np.iinfo(f[n].dtype).max)
    if f[n].dtype.kind in "fi" else None,
    "negative": lambda f, n: f[n].__setitem__(Ellipsis, -7) if f[n].dtype.kind in "fi" else None,
}
ATTR_EDITS = [("months", 1000), ("months", 0), ("months", -5), ("replicates", 0), ("replicates", 99999),
              ("cases", 77), ("kind", "teapot"), ("case_dimension", "nothing")]


def main():
    rng = random.Random(20240101)
    with tempfile.TemporaryDirectory(prefix="berdaya-corrupt-") as tmp:
        scen = os.path.join(tmp, "s.toml")
        with open(scen, "w") as f:
            f.write('extends = "%s"\nname = "s"\n' % os.path.join(REPO, "scenarios", "kota-batu.toml"))
        exp = os.path.join(tmp, "e.toml")
        with open(exp, "w") as f:
            f.write('name = "e"\nreplicates = 3\nseed = 5\nmonths = 30\nbaseline = "kota-batu"\n'
                    'counterfactual = "no-program"\nscenarios = ["%s", "%s", "%s"]\n'
                    % tuple(os.path.join(REPO, "scenarios", s + ".toml") for s in ("kota-batu", "no-program", "training")))
        sweep = os.path.join(tmp, "w.toml")
        with open(sweep, "w") as f:
            f.write('name = "w"\nscenario = "%s"\nreplicates = 2\nseed = 3\nmonths = 24\ndesign = "grid"\n'
                    '[[factor]]\nname = "socialization.sessions"\nvalues = [1, 3]\n' % os.path.join(REPO, "scenarios", "kota-batu.toml"))
        bases = {}
        for name, args in (("run", ["run", scen, "--replicates", "3", "--months", "30"]), ("compare", ["compare", exp]),
                           ("sweep", ["sweep", sweep])):
            out = os.path.join(tmp, name + ".h5")
            p = berdaya(args + ["-o", out], tmp)
            if p.returncode != 0:
                print("cannot make the %s file: %s" % (name, p.stderr))
                sys.exit(1)
            bases[name] = out
        variant = os.path.join(tmp, "v.h5")
        for kind, base in bases.items():
            size = os.path.getsize(base)
            # Truncations and flipped bytes, with the seal checked.
            for cut in sorted({512, 600, size // 7, size // 2, size - 100, size - 1} | {rng.randrange(1, size) for _ in range(3)}):
                with open(base, "rb") as src, open(variant, "wb") as dst:
                    dst.write(src.read(cut))
                expect(variant, tmp, True, False, "%s truncated to %d bytes" % (kind, cut))
            for _ in range(8):
                shutil.copy(base, variant)
                pos = rng.randrange(0, size)
                with open(variant, "r+b") as f:
                    f.seek(pos)
                    b = f.read(1)
                    f.seek(pos)
                    f.write(bytes([b[0] ^ (1 << rng.randrange(8))]))
                expect(variant, tmp, True, False, "%s with a bit flipped at %d" % (kind, pos))
            # Edits of the layout, read with --unchecked.
            with h5py.File(base, "r") as f:
                names = datasets(f)
            for n in names:
                for edit in rng.sample(sorted(EDITS), 1):
                    shutil.copy(base, variant)
                    with h5py.File(variant, "r+") as f:
                        before = (f[n].shape, f[n].dtype.kind)
                        EDITS[edit](f, n)
                        # A square table transposed keeps its layout: an edit of values.
                        structural = (f[n].shape, f[n].dtype.kind) != before
                    expect(variant, tmp, structural, True, "%s: /%s %s" % (kind, n, edit))
            for n in rng.sample(names, min(24, len(names))):
                edit = rng.choice(sorted(VALUE_EDITS))
                shutil.copy(base, variant)
                with h5py.File(variant, "r+") as f:
                    VALUE_EDITS[edit](f, n)
                expect(variant, tmp, False, True, "%s: /%s %s" % (kind, n, edit))
            for attr, value in ATTR_EDITS:
                shutil.copy(base, variant)
                with h5py.File(variant, "r+") as f:
                    f.attrs[attr] = value
                expect(variant, tmp, True, True, "%s: root attribute %s = %r" % (kind, attr, value))
    limit = int(os.environ.get("BERDAYA_CORRUPT_SHOW", "40"))
    for p in problems[:limit]:
        print("FAIL " + p + "\n")
    if len(problems) > limit:
        print("... and %d more" % (len(problems) - limit))
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
