#!/usr/bin/env bash
# Every C++ source file of the tree follows .clang-format. Fix a failure with
#   clang-format -i FILE   (or, for the whole tree: find ... | xargs clang-format -i)
set -euo pipefail
SRC=${1:?usage: check_format.sh SOURCE_DIR}
cd "$SRC"
command -v clang-format >/dev/null || { echo "clang-format is missing: sudo apt-get install clang-format" >&2; exit 1; }
mapfile -t files < <(find sim models analysis cli trainer tests bench python -name '*.cpp' -o -name '*.h' | sort)
((${#files[@]} > 50)) || { echo "found only ${#files[@]} source files under $SRC" >&2; exit 1; }
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/berdaya-format.$$; then
  grep -o '^[^:]*\.\(cpp\|h\)' /tmp/berdaya-format.$$ | sort -u | sed 's/^/not formatted: /' >&2
  rm -f /tmp/berdaya-format.$$
  echo "Run: clang-format -i on the files above (the style is .clang-format)" >&2
  exit 1
fi
rm -f /tmp/berdaya-format.$$
echo "${#files[@]} files follow .clang-format"
