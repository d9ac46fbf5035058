#!/usr/bin/env bash
# Installs the Debian packages berdaya needs (when run as root and any is missing), then
# configures and builds into BUILD_DIR (default: build), with MPI for distributed runs.
# Extra CMake options may follow and override these.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
PACKAGES=(g++ cmake ninja-build pkg-config git libboost-dev libboost-graph-dev libhdf5-dev hdf5-tools
          libcli11-dev doctest-dev libtomlplusplus-dev python3 python3-h5py python3-xarray python3-h5netcdf
          python3-pandas python3-matplotlib r-base-core r-cran-survival r-cran-boot libopenmpi-dev openmpi-bin
          libcpp-httplib-dev nlohmann-json3-dev chromium nodejs npm pybind11-dev python3-dev r-cran-hdf5r
          libudunits2-dev clang-format libpagmo-dev libxlsxwriter-dev python3-openpyxl groff-base)
# A build may need more (the fuzz build: clang and its sanitizer runtimes).
read -r -a EXTRA <<< "${BERDAYA_EXTRA_PACKAGES:-}"
PACKAGES+=("${EXTRA[@]}")
# Node.js installed from elsewhere (e.g. NodeSource, which bundles npm) serves as well as
# Debian's packages, and Debian's npm would conflict with it.
declare -A COMMAND_OF=([nodejs]=node [npm]=npm)
missing=()
for p in "${PACKAGES[@]}"; do
  if [ -n "${COMMAND_OF[$p]:-}" ] && command -v "${COMMAND_OF[$p]}" >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "berdaya setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "berdaya setup: missing Debian packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBERDAYA_MPI=ON "$@" >/dev/null
# BERDAYA_BUILD_TARGETS: only these targets (the fuzz build needs two).
read -r -a TARGETS <<< "${BERDAYA_BUILD_TARGETS:-}"
if ((${#TARGETS[@]})); then
  cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target "${TARGETS[@]}"
else
  cmake --build "$BUILD_DIR" --parallel "$(nproc)"
fi
