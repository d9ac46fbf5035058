#!/usr/bin/env bash
# The Debian package in a clean Debian 12 (bookworm): a minimal system made with
# debootstrap, the package installed there with apt-get (which pulls its dependencies from
# the mirror), then berdaya run from it: its version and package fields, a shipped scenario
# with its summary and report, a comparison over the shipped posterior, init from the
# installed levers, the manual page and the completion in place, a mistyped command. The
# source tree is not inside the chroot, so nothing can come from it.
#
# Needs root (debootstrap, chroot, mounting /proc), the network to a Debian mirror and a
# few minutes, so it is not part of ctest; run it by hand before a release:
#   sudo bash scripts/test-deb.sh [path/to/berdaya_VERSION_ARCH.deb]
# Without a package it builds one with scripts/package.sh. The minimal system is made once
# in BASE (default /var/tmp/berdaya-bookworm-base) and copied afresh for every run; MIRROR
# (default http://deb.debian.org/debian) is where debootstrap and apt-get fetch from.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "test-deb.sh: needs root (debootstrap, chroot, mount): sudo bash scripts/test-deb.sh" >&2
  exit 2
fi
deb=${1:-}
if [ -z "$deb" ]; then deb=$(bash scripts/package.sh | tail -n 1); fi
if [ ! -f "$deb" ]; then
  echo "test-deb.sh: $deb: no such package. Build one with: bash scripts/package.sh" >&2
  exit 2
fi
deb=$(realpath "$deb")
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE=${BASE:-/var/tmp/berdaya-bookworm-base}
export DEBIAN_FRONTEND=noninteractive

if ! command -v debootstrap >/dev/null; then
  echo "== installing debootstrap" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
if [ ! -x "$BASE/usr/bin/apt-get" ]; then
  echo "== debootstrap --variant=minbase bookworm $BASE $MIRROR" >&2
  rm -rf "$BASE.partial"
  debootstrap --variant=minbase bookworm "$BASE.partial" "$MIRROR" >"$BASE.log" 2>&1 ||
    { tail -n 20 "$BASE.log" >&2; echo "test-deb.sh: debootstrap failed (log: $BASE.log)" >&2; exit 1; }
  mv "$BASE.partial" "$BASE"
fi

ROOT=$(mktemp -d /var/tmp/berdaya-deb-test.XXXXXX)
cleanup() {
  umount "$ROOT/proc" 2>/dev/null || true
  rm -rf --one-file-system "$ROOT"
}
trap cleanup EXIT
cp -a "$BASE/." "$ROOT/"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mount -t proc proc "$ROOT/proc"
install -m 644 "$deb" "$ROOT/tmp/"
pkg=/tmp/$(basename "$deb")

# A command inside the clean system, with a plain environment (nothing from this shell).
inside() {
  chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    "$@"
}
step() { echo "== $*"; }
fail() {
  echo "test-deb.sh: FAILED: $*" >&2
  exit 1
}

step "the source tree ($PWD) is not inside the chroot"
[ ! -e "$ROOT$PWD" ] || fail "$ROOT$PWD exists"
inside sh -c '! command -v berdaya' >/dev/null || fail "berdaya is already there before the install"

step "apt-get install $pkg"
inside apt-get update -qq
inside apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$pkg" >/dev/null
inside dpkg-query -W -f='Package: ${Package}\nVersion: ${Version}\nSection: ${Section}\nMaintainer: ${Maintainer}\nDepends: ${Depends}\nInstalled-Size: ${Installed-Size} KiB\n' berdaya
inside dpkg-query -W -f='${Section}' berdaya | grep -qx science || fail "section is not science"

step "berdaya --version"
inside berdaya --version
inside berdaya -V | grep -Eq '^berdaya [0-9]+\.[0-9]+\.[0-9]+ \(' || fail "-V printed no version"

step "berdaya run /usr/share/berdaya/scenarios/kota-batu.toml"
inside sh -c 'cd /tmp && berdaya run /usr/share/berdaya/scenarios/kota-batu.toml --replicates 4 --months 36 \
  --threads 2 -o kota-batu.h5' | tail -n 12
[ -s "$ROOT/tmp/kota-batu.h5" ] || fail "no result file"
inside sh -c 'cd /tmp && berdaya summary kota-batu.h5 --json' | head -c 300
echo
inside sh -c 'cd /tmp && berdaya report kota-batu.h5 --lang en'
[ -s "$ROOT/tmp/kota-batu.html" ] || fail "no report"

step "berdaya compare over draws of the shipped posterior"
inside sh -c 'cd /tmp && berdaya compare /usr/share/berdaya/scenarios/experiments/kota-batu-posterior.toml \
  --draws 3 --replicates 2 --months 24 --threads 2 -o posterior.h5' | tail -n 6
[ -s "$ROOT/tmp/posterior.h5" ] || fail "no comparison file"

step "berdaya init from the installed levers"
inside sh -c 'cd /tmp && berdaya init batu --villages /usr/share/berdaya/data/kota-batu-villages.csv && ls batu &&
  berdaya validate batu/batu.toml && berdaya validate batu/combined.toml'

step "manual page, completion, docs"
for f in /usr/share/man/man1/berdaya.1 /usr/share/bash-completion/completions/berdaya \
  /usr/share/doc/berdaya/README.md /usr/share/berdaya/scenarios/calibration/kota-batu-posterior.h5; do
  [ -s "$ROOT$f" ] || fail "$f is missing"
  echo "$f"
done
got=$(inside bash -c 'source /usr/share/bash-completion/completions/berdaya; COMP_WORDS=(berdaya sens); COMP_CWORD=1;
  _berdaya; echo "${COMPREPLY[*]}"')
[ "$got" = sensitivity ] || fail "completion of 'berdaya sens' gave '$got'"
echo "completion: berdaya sens -> $got"

step "berdaya rnu (a mistyped command)"
set +e
inside berdaya rnu /usr/share/berdaya/scenarios/kota-batu.toml
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "exit code $rc, not 2"
echo "exit code $rc"

step "apt-get remove berdaya"
inside apt-get remove -y -qq -o Dpkg::Use-Pty=0 berdaya >/dev/null
[ ! -e "$ROOT/usr/bin/berdaya" ] && [ ! -e "$ROOT/usr/share/berdaya/scenarios" ] || fail "files left after removal"
echo "test-deb.sh: passed ($(basename "$deb") in a clean Debian 12)"
