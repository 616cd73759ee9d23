#!/usr/bin/env bash
# The client library as an application gets it: `cmake --install` into a scratch prefix,
# then examples/ built against it twice — through find_package(wifgate) and through
# pkg-config — and each program run (it must start and print its usage).
#   tests/install/install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/wifgate/connection.h lib/libwifgate_client.a \
  lib/cmake/wifgate/wifgateConfig.cmake lib/pkgconfig/wifgate.pc; do
  [[ -f $prefix/$f ]] || { echo "not installed: $f" >&2; exit 1; }
done

expect_usage() {  # PROGRAM: runs it without arguments; it must exit 2 with its usage
  local rc=0 err
  err=$("$1" 2>&1 >/dev/null) || rc=$?
  if [[ $rc != 2 || $err != usage:* ]]; then
    echo "$1: expected its usage and exit status 2, got $rc: $err" >&2
    exit 1
  fi
}

cmake -S "$source/examples" -B "$prefix/by-cmake" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$prefix/by-cmake" >/dev/null
expect_usage "$prefix/by-cmake/wif_query"

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
# shellcheck disable=SC2046  # pkg-config prints several flags, meant to be split
c++ -O1 -o "$prefix/wif_query_pc" "$source/examples/wif_query.cc" \
  $(pkg-config --cflags --libs wifgate)
expect_usage "$prefix/wif_query_pc"
echo "installed package: find_package(wifgate) and pkg-config builds of examples/ run"
