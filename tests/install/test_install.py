"""Getting berdaya: what a user meets before any model runs, and an installed copy.

  surface: --version and -V print the project's version and commit; a mistyped command or
           option exits 2 naming the nearest valid one; the bash completion offers every
           command of --help and every option of each command's --help; the manual page
           names every command and option and renders without warnings; the build's copies
           of both are current.
  prefix:  cmake --install into a temporary prefix lays out the binary, the shipped
           scenarios and data (the posterior included), the docs, the manual page and the
           completion; the installed binary runs a shipped scenario and `init` from another
           folder; without its share/berdaya it refuses, naming the folder it looked in and
           not the source tree; BERDAYA_DATA_DIR points it elsewhere; `serve` opens the
           installed baseline.

Usage: test_install.py surface|prefix <berdaya> <source dir> <build dir> <cmake>"""
import filecmp
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MODE = sys.argv[1]
BIN, SRC, BUILD, CMAKE = (os.path.abspath(a) if i < 3 else a for i, a in enumerate(sys.argv[2:6]))
TMP = tempfile.mkdtemp(prefix="berdaya-install-")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checks import check, failures  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "BERDAYA_DATA_DIR"}


def run(binary, *args, cwd=None, env=None):
    return subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          stdin=subprocess.DEVNULL, timeout=600, cwd=cwd or TMP, env=env or ENV)


def berdaya(*args, **kw):
    return run(BIN, *args, **kw)


def help_commands():
    """The commands `berdaya --help` lists, read from its text (not from the completion)."""
    text = berdaya("--help").stdout
    block = text.split("Subcommands:", 1)[1].split("\n\n", 1)[0]
    cmds = [line.split()[0] for line in block.splitlines() if line.strip()]
    assert len(cmds) >= 10, text
    return cmds


def help_flags(cmd):
    """The long options `berdaya CMD --help` lists."""
    p = berdaya(cmd, "--help")
    assert p.returncode == 0, p.stderr
    block = p.stdout.split("Options:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"^  (?:-\w,)?(--[a-z][a-z0-9-]*)", block, re.M))


def project_version():
    text = open(os.path.join(SRC, "CMakeLists.txt"), encoding="utf-8").read()
    return re.search(r"project\(berdaya VERSION ([0-9.]+)", text).group(1)


def surface():
    @check("--version and -V print 'berdaya VERSION (COMMIT)', the project's version, and exit 0")
    def _():
        outs = []
        for flag in ("--version", "-V"):
            p = berdaya(flag)
            assert p.returncode == 0 and p.stderr == "", (flag, p.returncode, p.stderr)
            m = re.fullmatch(r"berdaya (\S+) \(([0-9a-f]{40}(?:-dirty)?|unknown)\)\n", p.stdout)
            assert m, (flag, p.stdout)
            assert m.group(1) == project_version(), (m.group(1), project_version())
            outs.append(p.stdout)
        assert outs[0] == outs[1], outs

    @check("a mistyped command exits 2 with the nearest command; a far one gets no guess; hidden ones are not offered")
    def _():
        for typed, near in [("rnu", "run"), ("sumary", "summary"), ("complare", "compare"), ("expotr", "export")]:
            p = berdaya(typed, "x.toml")
            assert p.returncode == 2, (typed, p.returncode, p.stderr)
            assert f"'{typed}' is not a command. Did you mean '{near}'?" in p.stderr, (typed, p.stderr)
            assert p.stdout == "", p.stdout
        p = berdaya("xyzzyplughfrobnicate")
        assert p.returncode == 2 and "is not a command" in p.stderr and "Did you mean" not in p.stderr, p.stderr
        p = berdaya("mna")
        assert p.returncode == 2 and "'man'" not in p.stderr and ", man" not in p.stderr, p.stderr

    @check("a mistyped option exits 2 with the nearest option of that command, or of berdaya itself")
    def _():
        cases = [(["run", "x.toml", "--replicats", "2"], "berdaya run: '--replicats'", "--replicates"),
                 (["compare", "x.toml", "--posteror", "p.h5"], "berdaya compare: '--posteror'", "--posterior"),
                 (["report", "x.h5", "--lnag", "en"], "berdaya report: '--lnag'", "--lang"),
                 (["--verison"], "'--verison' is not an option of berdaya", "--version")]
        for args, where, near in cases:
            p = berdaya(*args)
            assert p.returncode == 2, (args, p.returncode, p.stderr)
            assert where in p.stderr and f"Did you mean '{near}'?" in p.stderr, (args, p.stderr)
            assert not os.path.exists(os.path.join(TMP, "x.h5")), "a result file was written"

    completion = os.path.join(TMP, "completion.bash")
    with open(completion, "w") as f:
        f.write(berdaya("completion", "bash").stdout)

    def complete(*words):
        probe = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _berdaya; printf "%s\\n" "${COMPREPLY[@]}"'
        p = subprocess.run(["bash", "-c", probe, "probe", completion, *words], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=60, cwd=TMP)
        assert p.returncode == 0, p.stderr
        return set(p.stdout.split())

    @check("the bash completion offers every command of --help (and no hidden one) and each command's options")
    def _():
        cmds = help_commands()
        offered = complete("berdaya", "")
        assert offered == set(cmds) | {"--help", "--version"}, sorted(offered ^ (set(cmds) | {"--help", "--version"}))
        for cmd in cmds:
            flags = help_flags(cmd)
            assert "--help" in flags, (cmd, flags)
            got = complete("berdaya", cmd, "--")
            assert got == flags, (cmd, sorted(got ^ flags))

    @check("the manual page names every command and option, with the exit codes and BERDAYA_DATA_DIR")
    def _():
        p = berdaya("man")
        assert p.returncode == 0, p.stderr
        page = p.stdout
        assert page.startswith(".TH BERDAYA 1 ") and f'"berdaya {project_version()}"' in page, page[:200]
        sections = re.findall(r'^\.SS "berdaya (\S+)', page, re.M)
        assert sections == help_commands(), sections
        for cmd in help_commands():
            body = page.split(f'.SS "berdaya {cmd}', 1)[1].split("\n.SS ", 1)[0]
            for flag in help_flags(cmd) - {"--help"}:
                assert "\\fB" + flag.replace("-", "\\-") + "\\fR" in body, (cmd, flag)
        for code in ("0", "1", "2", "3", "4", "130"):
            assert f"\n.TP\n.B {code}\n" in page, code
        assert ".B BERDAYA_DATA_DIR" in page
        assert not re.search(r"^[.'](?!(TH|SH|SS|TP|PP|B|I|RI|RB|br|nf|fi)\b)", page, re.M), "a stray roff request"

    @check("the manual page renders with groff without a warning")
    def _():
        groff = shutil.which("groff")
        assert groff, "groff not found (Debian package groff-base, which man-db depends on)"
        page = os.path.join(TMP, "berdaya.1")
        with open(page, "w") as f:
            f.write(berdaya("man").stdout)
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", page], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True, timeout=60)
        assert p.returncode == 0 and p.stderr == "", p.stderr
        p = subprocess.run([groff, "-man", "-Tutf8", page], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=60)
        text = re.sub(r".\x08", "", p.stdout)
        for cmd in help_commands():
            assert f"berdaya {cmd}" in text, cmd

    @check("the build's manual page and completion are those of this binary")
    def _():
        gen = os.path.join(BUILD, "generated")
        for path, args in (("berdaya.1", ["man"]), ("berdaya.bash-completion", ["completion", "bash"])):
            with open(os.path.join(gen, path), encoding="utf-8") as f:
                assert f.read() == berdaya(*args).stdout, f"{gen}/{path} is stale: build the target berdaya_docs"


def shipped_files(root):
    out = set()
    for d in ("scenarios", "data"):
        for dirpath, _, files in os.walk(os.path.join(root, d)):
            out |= {os.path.relpath(os.path.join(dirpath, f), root) for f in files
                    if f.endswith((".toml", ".h5", ".csv"))}
    return out


def prefix():
    pre = os.path.join(TMP, "prefix")
    p = subprocess.run([CMAKE, "--install", BUILD, "--prefix", pre], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=600)
    if p.returncode != 0:
        sys.exit(f"cmake --install failed ({p.returncode}): {p.stderr}")
    inst = os.path.join(pre, "bin", "berdaya")
    share = os.path.join(pre, "share", "berdaya")
    work = os.path.join(TMP, "elsewhere")
    os.makedirs(work)

    @check("the install lays out the binary, every shipped scenario and data file, docs, man page, completion")
    def _():
        assert os.access(inst, os.X_OK), inst
        for f in ["scenarios/kota-batu.toml", "scenarios/calibration/kota-batu-posterior.h5",
                  "scenarios/experiments/kota-batu-levers.toml", "scenarios/optimization/kota-batu-budget.toml",
                  "scenarios/sweeps/kota-batu-sobol.toml", "data/kota-batu-villages.csv"]:
            assert os.path.isfile(os.path.join(share, f)), f
        ours, theirs = shipped_files(SRC), shipped_files(share)
        assert ours == theirs, sorted(ours ^ theirs)
        _, mismatch, errors = filecmp.cmpfiles(SRC, share, sorted(ours), shallow=False)
        assert not mismatch and not errors, (mismatch, errors)
        for f in ["share/doc/berdaya/README.md", "share/doc/berdaya/docs/ODD.md", "share/man/man1/berdaya.1",
                  "share/bash-completion/completions/berdaya"]:
            assert os.path.isfile(os.path.join(pre, f)), f
        assert filecmp.cmp(os.path.join(pre, "share/man/man1/berdaya.1"), os.path.join(BUILD, "generated/berdaya.1"),
                           shallow=False)

    @check("the installed binary runs a shipped scenario from another folder, and summarizes the file")
    def _():
        p = run(inst, "run", os.path.join(share, "scenarios", "kota-batu.toml"), "--replicates", "2", "--months", "12",
                "--threads", "2", "-o", "kb.h5", cwd=work)
        assert p.returncode == 0, p.stderr
        assert os.path.isfile(os.path.join(work, "kb.h5"))
        s = run(inst, "summary", "kb.h5", "--json", cwd=work)
        assert s.returncode == 0 and s.stdout.lstrip().startswith("{"), s.stderr

    @check("the installed binary's init copies the installed levers into a set that validates")
    def _():
        p = run(inst, "init", "batu", "--villages", os.path.join(share, "data", "kota-batu-villages.csv"), cwd=work)
        assert p.returncode == 0, p.stderr
        area = os.path.join(work, "batu")
        files = sorted(os.listdir(area))
        assert "socialization.toml" in files and "batu-levers.toml" in files, files
        for f in files:
            if f.endswith(".toml") and f != "batu-levers.toml":
                v = run(inst, "validate", os.path.join(area, f), cwd=work)
                assert v.returncode == 0, (f, v.stderr)
        assert SRC not in open(os.path.join(area, "socialization.toml"), encoding="utf-8").read()

    # The same binary without its share/berdaya: it must not fall back on the source tree.
    bare = os.path.join(TMP, "bare")
    os.makedirs(os.path.join(bare, "bin"))
    shutil.copy2(inst, os.path.join(bare, "bin", "berdaya"))
    bare_bin = os.path.join(bare, "bin", "berdaya")
    villages = os.path.join(share, "data", "kota-batu-villages.csv")

    @check("without its share/berdaya, init and serve exit 2 naming the folder looked in, not the source tree")
    def _():
        for args in (["init", "x", "--villages", villages], ["serve", "--port", "0"]):
            p = run(bare_bin, *args, cwd=work)
            assert p.returncode == 2, (args, p.returncode, p.stderr)
            assert os.path.join(bare, "share", "berdaya", "scenarios") in p.stderr, p.stderr
            assert "BERDAYA_DATA_DIR" in p.stderr and SRC not in p.stderr, p.stderr
        assert not os.path.exists(os.path.join(work, "x"))

    @check("BERDAYA_DATA_DIR points a binary at another data folder, and a wrong one is named")
    def _():
        p = run(bare_bin, "init", "viaenv", "--villages", villages, cwd=work, env={**ENV, "BERDAYA_DATA_DIR": share})
        assert p.returncode == 0, p.stderr
        assert os.path.isfile(os.path.join(work, "viaenv", "combined.toml"))
        missing = os.path.join(TMP, "no-such-data")
        p = run(inst, "init", "y", "--villages", villages, cwd=work, env={**ENV, "BERDAYA_DATA_DIR": missing})
        assert p.returncode == 2 and os.path.join(missing, "scenarios") in p.stderr, p.stderr

    # A small search: the shipped budget optimization with its scenario named by its
    # installed path, no start scenarios, 8 candidates and one generation.
    tiny = os.path.join(work, "tiny-optimization.toml")
    text = open(os.path.join(share, "scenarios", "optimization", "kota-batu-budget.toml"), encoding="utf-8").read()
    text = text.replace('scenario = "../kota-batu.toml"', f'scenario = "{share}/scenarios/kota-batu.toml"')
    text = re.sub(r"\nstart = \[.*?\]\n", "\n", text, flags=re.S)
    for a, b in (("population = 24", "population = 8"), ("generations = 12", "generations = 1"),
                 ("replicates = 4", "replicates = 1")):
        assert a in text, a
        text = text.replace(a, b)
    with open(tiny, "w", encoding="utf-8") as f:
        f.write(text)

    @check("the installed binary loads its search module from lib/berdaya: a small optimization runs")
    def _():
        assert glob.glob(os.path.join(pre, "lib*", "**", "berdaya", "libberdaya_evolve.so"), recursive=True), pre
        p = run(inst, "optimize", tiny, "-o", "tiny.h5", "--threads", "2", "--json", cwd=work)
        assert p.returncode == 0, p.stderr
        assert os.path.isfile(os.path.join(work, "tiny.h5"))

    @check("without its lib/berdaya, optimize exits 2 naming the module and where it looked")
    def _():
        p = run(bare_bin, "optimize", tiny, "-o", "bare.h5", "--threads", "2", cwd=work)
        assert p.returncode == 2, (p.returncode, p.stderr)
        assert "libberdaya_evolve.so" in p.stderr and os.path.join(bare, "lib") in p.stderr, p.stderr
        assert not os.path.exists(os.path.join(work, "bare.h5"))

    @check("the installed serve opens the installed Kota Batu baseline")
    def _():
        proc = subprocess.Popen([inst, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, universal_newlines=True, cwd=work, env=ENV)
        seen = ""
        try:
            deadline = time.time() + 120
            while "http://" not in seen and time.time() < deadline and proc.poll() is None:
                seen += proc.stderr.readline()
            assert re.search(r"http://127\.0\.0\.1:\d+/", seen), seen
            assert "kota-batu" in seen, seen
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


if MODE == "surface":
    surface()
elif MODE == "prefix":
    prefix()
else:
    sys.exit(f"unknown mode {MODE!r}: surface or prefix")
shutil.rmtree(TMP, ignore_errors=True)
if failures:
    sys.exit(f"{len(failures)} failed: {', '.join(failures)}")
print(f"install/{MODE}: all passed")
