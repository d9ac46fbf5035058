#!/usr/bin/env bash
# Builds the Debian package berdaya_VERSION_ARCH.deb with CPack in BUILD_DIR (default
# build-package): a Release build for any x86-64 processor (BERDAYA_NATIVE=OFF), without
# MPI, tests, benchmarks or the Python module,
# installed under /usr. Its dependencies are read from the shared libraries the executable
# links (dpkg-shlibdeps, from dpkg-dev, which is installed when run as root). Prints the
# package's path last. Extra CMake options may follow, e.g.
#   bash scripts/package.sh -DBERDAYA_PACKAGE_MAINTAINER="Name <name@example.org>"
# scripts/test-deb.sh installs the package into a clean Debian 12 and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-package}
BERDAYA_EXTRA_PACKAGES="dpkg-dev ${BERDAYA_EXTRA_PACKAGES:-}" BUILD_DIR="$BUILD_DIR" bash scripts/setup.sh \
  -DBERDAYA_TESTS=OFF -DBERDAYA_BENCH=OFF -DBERDAYA_PYTHON=OFF -DBERDAYA_MPI=OFF -DBERDAYA_NATIVE=OFF -DCMAKE_INSTALL_PREFIX=/usr "$@"
log=$(cd "$BUILD_DIR" && cpack -G DEB) || { echo "$log" >&2; exit 1; }
echo "$log" >&2
deb=$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' <<< "$log")
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  echo "package.sh: cpack did not report the package it wrote (see above)" >&2
  exit 1
fi
dpkg-deb --info "$deb" >&2
echo "$deb"
