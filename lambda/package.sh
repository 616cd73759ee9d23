#!/usr/bin/env bash
# Builds the example Lambda function (lambda/examples/current_user) as a `bootstrap`
# executable for the provided.al2023 runtime and zips it.
#
#   lambda/package.sh [BUILD_DIR] [OUT_ZIP]     (defaults: build-lambda, BUILD_DIR/current_user.zip)
#
# What the zip needs beyond the runtime's own libraries: nothing. libstdc++, OpenSSL 3,
# Boost.JSON/URL and zlib are linked statically, so `bootstrap` needs only glibc (libc, libm,
# ld-linux) and libgcc_s, which provided.al2023 has (its glibc is 2.34, its GCC 11). The
# script fails if the binary asks for a newer glibc or libgcc_s symbol version than that, so
# a zip it produces runs there even though it is built on Debian 12 (glibc 2.36).
# libgcc stays shared on purpose: the static libgcc_eh of GCC 12 on glibc 2.36 finds unwind
# tables with _dl_find_object (glibc 2.35), which provided.al2023 lacks; the runtime's own
# libgcc_s uses what its glibc has. Architecture: the build machine's (x86_64 -> Lambda
# x86_64, aarch64 -> Lambda arm64).
#
# OpenSSL is linked statically rather than taken from the image: the AL2023 minimal runtime
# image does not promise libssl, and a private copy keeps TLS behaviour identical to the
# tested build. Its default certificate paths are Debian's, so the function points
# SSL_CERT_FILE at AL2023's bundle (/etc/pki/tls/certs/ca-bundle.crt) itself.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build-lambda}"
zip_out="${2:-$build/current_user.zip}"
max_glibc="2.34"
max_libgcc="7.0.0"  # newest libgcc_s symbol version before GCC 12; AL2023 has GCC 11

# RelWithDebInfo (-O2; the debug info is stripped below): GCC 12 at -O3 reports false
# -Wrestrict positives in libstdc++ string code, and warnings are errors.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWIFGATE_BUILD_TESTS=OFF -DWIFGATE_BUILD_BENCH=OFF \
  -DWIFGATE_STATIC_DEPS=ON \
  -DCMAKE_EXE_LINKER_FLAGS="-static-libstdc++" -DWIFGATE_LAMBDA_AL2023=ON >/dev/null
ninja -C "$build" -j"${JOBS:-2}" lambda_current_user

bin="$build/lambda/current_user/bootstrap"
strip "$bin"

echo "== shared libraries bootstrap needs:"
ldd "$bin" | sed 's/^/   /'
unexpected="$(ldd "$bin" | awk '{print $1}' | grep -Ev '^(linux-vdso\.so\.1|libc\.so\.6|libgcc_s\.so\.1|libm\.so\.6|/lib64/ld-linux-x86-64\.so\.2|/lib/ld-linux-aarch64\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$' || true)"
if [[ -n "$unexpected" ]]; then
  echo "bootstrap needs libraries provided.al2023 may lack: $unexpected" >&2
  exit 1
fi

# require_at_most LIBRARY PREFIX MAX: fails when bootstrap needs a PREFIX_x symbol version
# newer than MAX, naming the symbols that do.
require_at_most() {
  local library=$1 prefix=$2 max=$3 newest
  newest="$(objdump -T "$bin" | grep -o "(${prefix}_[0-9.]*)" | tr -d '()' |
            sed "s/${prefix}_//" | sort -V | tail -1)"
  echo "== newest $library symbol version required: ${newest:-none} (provided.al2023: $max)"
  if [[ -n "$newest" && "$(printf '%s\n%s\n' "$newest" "$max" | sort -V | tail -1)" != "$max" ]]; then
    echo "bootstrap requires $library $newest, newer than provided.al2023's $max; symbols:" >&2
    objdump -T "$bin" | grep -F "(${prefix}_$newest)" | sed 's/^/   /' >&2
    exit 1
  fi
}
require_at_most glibc GLIBC "$max_glibc"
require_at_most libgcc_s GCC "$max_libgcc"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$bin" "$stage/bootstrap"
chmod 755 "$stage/bootstrap"
rm -f "$zip_out"
if command -v zip >/dev/null; then
  (cd "$stage" && zip -q -X "$zip_out" bootstrap)
else
  python3 - "$stage/bootstrap" "$zip_out" <<'PY'
import sys, zipfile
src, out = sys.argv[1], sys.argv[2]
info = zipfile.ZipInfo("bootstrap", date_time=(1980, 1, 1, 0, 0, 0))
info.external_attr = 0o100755 << 16
info.compress_type = zipfile.ZIP_DEFLATED
with zipfile.ZipFile(out, "w") as z, open(src, "rb") as f:
    z.writestr(info, f.read())
PY
fi
echo "== $(uname -m) function package: $zip_out ($(stat -c %s "$zip_out") bytes; bootstrap $(stat -c %s "$bin") bytes)"
