#!/usr/bin/env bash
# Process start to first row: `wifgate query` with WORKLOAD_IDENTITY (AWS) against a local
# `wifgate serve --dev`, next to the official Node connector doing the same, as a ratio
# (target: wifgate at least 50x faster). Also prints the client library's size and the
# runtime dependencies of the binaries that link it.
#
#   bench/client_first_row.sh BUILD_DIR [RUNS]        (BUILD_DIR holds src/cli/wifgate)
#
# Offline: the AWS credentials come from the dev STS (`wifgate dev-sts creds`) for a Lambda
# execution role under service-role/; the attestation is only ever sent to 127.0.0.1.
set -euo pipefail
build=$(realpath "${1:?usage: bench/client_first_row.sh BUILD_DIR [RUNS]}")
runs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
wifgate="$build/src/cli/wifgate"
role="arn:aws:iam::111111111111:role/service-role/my-function-role-abc123"

data=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT
unset HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy

"$wifgate" serve --dev --listen 127.0.0.1:0 --data "$data" --account TESTACCT >"$data/serve.out" 2>"$data/serve.err" &
server_pid=$!
for _ in $(seq 100); do [[ -s "$data/serve.json" ]] && break; sleep 0.05; done
url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$data/serve.json")
"$wifgate" sql --data "$data" \
  "CREATE USER LAMBDA_USER TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = '$role')" >/dev/null
eval "$("$wifgate" dev-sts creds --data "$data" --role "$role")"
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES=127.0.0.1 SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true
export SF_TELEMETRY_DISABLE_CONNECTION_SHAPE=1
export SNOWFLAKE_URL="$url" SNOWFLAKE_ACCOUNT=TESTACCT

python3 - "$runs" "$wifgate" "$url" "$here/node_first_row.mjs" <<'PY'
import statistics, subprocess, sys, time
runs, wifgate, url, node_script = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def bench(cmd, expect):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if out.returncode != 0 or expect not in out.stdout:
            sys.exit(f"{cmd[0]} failed: rc={out.returncode}\n{out.stdout}\n{out.stderr}")
    return statistics.median(times), min(times)
ours = bench([wifgate, "query", "--url", url, "--account", "TESTACCT", "--authenticator",
              "workload_identity", "--provider", "aws", "--json", "SELECT current_user()"],
             "LAMBDA_USER")
node = bench(["node", node_script], "LAMBDA_USER")
print(f"process start -> first row, median of {runs} (min):")
print(f"  wifgate query       {ours[0]*1000:8.1f} ms ({ours[1]*1000:.1f})")
print(f"  node snowflake-sdk  {node[0]*1000:8.1f} ms ({node[1]*1000:.1f})")
print(f"  ratio               {node[0]/ours[0]:8.1f}x (target >= 50x)")
PY

echo "client library (static archives):"
for lib in client lambda attest aws net common; do
  f=$(find "$build" -name "libwifgate_$lib.a" | head -1)
  [[ -n "$f" ]] && printf '  %-24s %8d bytes\n' "libwifgate_$lib.a" "$(stat -c %s "$f")"
done
echo "runtime dependencies of wifgate:"
ldd "$wifgate" | awk '{print "  " $1}'
bootstrap="$build/lambda/current_user/bootstrap"
if [[ -x "$bootstrap" ]]; then
  echo "bootstrap (Lambda example, $(stat -c %s "$bootstrap") bytes) needs:"
  ldd "$bootstrap" | awk '{print "  " $1}'
fi
