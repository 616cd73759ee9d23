#!/usr/bin/env bash
# Process start to first row: `wifgate query` with WORKLOAD_IDENTITY (AWS) against a local
# `wifgate serve --dev`, next to the official Node connector doing the same, as a ratio
# (target: wifgate at least 50x faster). Also prints the client library's size and the
# runtime dependencies of the binaries that link it.
#
#   bench/client_first_row.sh BUILD_DIR [RUNS]        (BUILD_DIR holds src/cli/wifgate)
#
# Both clients run in the same script against the same server, alternately (so load from
# elsewhere on the machine falls on both alike), after one untimed warm-up run each. For each
# run it records the wall time from spawn to exit (the first row is printed just before
# exit) and the CPU time of the client process itself (user + system, from wait4); the
# server's work — including its replay of the attestation to the dev STS — is in the wall
# time of both and in the CPU time of neither.
#
# Offline: the AWS credentials come from the dev STS (`wifgate dev-sts creds`) for a Lambda
# execution role under service-role/; the attestation is only ever sent to 127.0.0.1.
set -euo pipefail
build=$(realpath "${1:?usage: bench/client_first_row.sh BUILD_DIR [RUNS]}")
runs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
wifgate="$build/src/cli/wifgate"
role="arn:aws:iam::111111111111:role/service-role/my-function-role-abc123"

source "$(dirname "$0")/lib/dev_server.sh"
data=$(mktemp -d)
cleanup() {
  stop_dev_server
  rm -rf "$data"
}
trap cleanup EXIT
start_dev_server "$wifgate" "$data" LAMBDA_USER "$role"
eval "$("$wifgate" dev-sts creds --data "$data" --role "$role" | grep '^export ')"
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
export SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES=127.0.0.1 SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true
export SF_TELEMETRY_DISABLE_CONNECTION_SHAPE=1
export SNOWFLAKE_URL="$url" SNOWFLAKE_ACCOUNT=TESTACCT

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); node $(node --version)"
python3 - "$runs" "$wifgate" "$url" "$here/node_first_row.mjs" "$here/lib" <<'PY'
import sys
runs, wifgate, url, node_script = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sys.path.insert(0, sys.argv[5])
from process_time import run_once, summarize

ours = [wifgate, "query", "--url", url, "--account", "TESTACCT", "--authenticator",
        "workload_identity", "--provider", "aws", "--json", "SELECT current_user()"]
node = ["node", node_script]
expect = b"LAMBDA_USER"

samples = {"wifgate": [], "node": []}
# Warm-up: the page cache, the server's first connections.
run_once(ours, expect), run_once(node, expect)
for _ in range(runs):
    samples["wifgate"].append(run_once(ours, expect))
    samples["node"].append(run_once(node, expect))

w, n = summarize(samples["wifgate"]), summarize(samples["node"])
print(f"process start -> first row, {runs} runs each, alternating: median wall (min), median CPU")
print(f"  wifgate query       {w[0]*1000:8.1f} ms ({w[1]*1000:6.1f})  {w[2]*1000:7.1f} ms CPU")
print(f"  node snowflake-sdk  {n[0]*1000:8.1f} ms ({n[1]*1000:6.1f})  {n[2]*1000:7.1f} ms CPU")
print(f"  ratio (node/wifgate) {n[0]/w[0]:7.1f}x wall (min {n[1]/w[1]:.1f}x), "
      f"{n[2]/w[2]:.1f}x CPU   (target >= 50x)")
PY

print_client_library_sizes "$build" "$data"
echo "wifgate: $(stat -c %s "$wifgate") bytes; runtime dependencies:"
ldd "$wifgate" | awk '{print "  " $1}'
bootstrap="$build/lambda/current_user/bootstrap"
if [[ -x "$bootstrap" ]]; then
  echo "bootstrap (Lambda example, $(stat -c %s "$bootstrap") bytes) needs:"
  ldd "$bootstrap" | awk '{print "  " $1}'
fi
