#!/usr/bin/env bash
# Whole-process cost of an AWS attestation: `wifgate attest --provider aws` against `node`
# loading the official connector's signer (@smithy/signature-v4) and signing the same
# request (bench/smithy_sign.mjs), with the same environment credentials. Prints the median
# and fastest wall time and the median CPU time per process for each, and their ratio.
# Target: wifgate under 10 ms.
#   bench/attest_process.sh [PATH_TO_WIFGATE] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
wifgate=$(realpath "${1:-$root/build/src/cli/wifgate}")
runs=${2:-100}
[[ -d $root/tests/e2e/node_modules ]] || { echo "run scripts/setup --e2e first" >&2; exit 1; }

export AWS_ACCESS_KEY_ID=AKIDEXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
export AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE+token==
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE

# Each process is timed from spawn to exit, with its own CPU time from wait4 (see
# bench/lib/process_time.py): "MEDIAN MEAN P90 MIN" wall ms, then median CPU ms.
measure() { python3 "$root/bench/lib/process_time.py" "$@"; }

read -r base base_mean base_p90 base_min base_cpu < <(measure "$runs" /bin/true)
read -r ours ours_mean ours_p90 ours_min ours_cpu < <(measure "$runs" "$wifgate" attest \
  --provider aws)
node_runs=$(( runs / 5 > 5 ? runs / 5 : 5 ))
read -r theirs theirs_mean theirs_p90 theirs_min theirs_cpu < <(measure "$node_runs" node \
  "$root/bench/smithy_sign.mjs")
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wall ms, spawn to exit; CPU ms of the process itself (median)"
printf '%-38s %8s %8s %8s %8s %8s\n' "per process" median mean p90 min CPU
row() { printf '%-38s %8.2f %8.2f %8.2f %8.2f %8.2f  (%s)\n' "$@"; }
row "/bin/true" "$base" "$base_mean" "$base_p90" "$base_min" "$base_cpu" \
  "$runs runs; process start-up floor"
row "wifgate attest --provider aws" "$ours" "$ours_mean" "$ours_p90" "$ours_min" "$ours_cpu" \
  "$runs runs"
row "node + @smithy/signature-v4 signing" "$theirs" "$theirs_mean" "$theirs_p90" "$theirs_min" \
  "$theirs_cpu" "$node_runs runs"
printf '%-38s %7.1fx %7.1fx %8s %8s %7.1fx\n' "ratio node / wifgate" \
  "$(awk -v a="$theirs" -v b="$ours" 'BEGIN { print a / b }')" \
  "$(awk -v a="$theirs_mean" -v b="$ours_mean" 'BEGIN { print a / b }')" "" "" \
  "$(awk -v a="$theirs_cpu" -v b="$ours_cpu" 'BEGIN { print (b > 0 ? a / b : 0) }')"
if awk -v a="$ours" 'BEGIN { exit !(a < 10) }'; then
  echo "target (< 10 ms per wifgate process, median): met (mean $ours_mean ms)"
else
  echo "target (< 10 ms per wifgate process, median): NOT met (mean $ours_mean ms)"
fi
