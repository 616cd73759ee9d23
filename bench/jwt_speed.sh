#!/usr/bin/env bash
# JWT verifications/s (bench/jwt_bench, warm cache, whole pipeline) next to OpenSSL's raw
# verify/s for the same key type (`openssl speed`), as a ratio. Target: >= 0.8.
#   bench/jwt_speed.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: bench/jwt_speed.sh BUILD_DIR}
seconds=${SECONDS_PER_ALG:-2}
speed() {  # prints verify/s for one `openssl speed` algorithm
  openssl speed -seconds "$seconds" "$1" 2>/dev/null | awk -v a="$2" '
    $1 == "rsa" && $2 == "2048" && a == "rsa" { print $NF }
    $0 ~ a && $1 ~ /^[0-9]+$/ && a != "rsa" { print $NF }' | tail -1
}
ours=$("$build/bench/jwt_bench" --benchmark_min_time="${seconds}" --benchmark_format=csv 2>/dev/null)
printf '%-6s %14s %14s %6s\n' alg jwt_verify/s openssl/s ratio
for pair in RS256:rsa2048:rsa ES256:ecdsap256:nistp256 ES384:ecdsap384:nistp384 ES512:ecdsap521:nistp521; do
  IFS=: read -r alg ossl pattern <<<"$pair"
  ns=$(echo "$ours" | awk -F, -v a="BM_VerifyJwt/$alg" '$1 == "\"" a "\"" { print $4 }')
  mine=$(awk -v ns="$ns" 'BEGIN { printf "%.0f", 1e9 / ns }')
  raw=$(speed "$ossl" "$pattern")
  ratio=$(awk -v m="$mine" -v r="$raw" 'BEGIN { printf "%.2f", m / r }')
  printf '%-6s %14s %14s %6s\n' "$alg" "$mine" "$raw" "$ratio"
done
