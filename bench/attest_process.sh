#!/usr/bin/env bash
# Whole-process cost of an AWS attestation: `wifgate attest --provider aws` against `node`
# loading the official connector's signer (@smithy/signature-v4) and signing the same
# request (bench/smithy_sign.mjs), with the same environment credentials. Prints the mean
# wall time per process for each and their ratio. Target: wifgate under 10 ms.
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

# measure RUNS CMD...: prints "WALL_MS CPU_MS", the mean wall time and the mean CPU time
# (user + system) of RUNS sequential runs, after one warm-up. CPU time is what to compare on
# a loaded machine, where wall time mostly measures waiting for a core.
measure() {
  local n=$1; shift
  "$@" >/dev/null
  local start end cpu
  start=$(date +%s%N)
  cpu=$( { /usr/bin/time -f '%U %S' bash -c 'for ((i = 0; i < $0; i++)); do "${@}" >/dev/null; done' \
           "$n" "$@"; } 2>&1 >/dev/null | tail -1)
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" -v n="$n" -v cpu="$cpu" \
    'BEGIN { split(cpu, c, " "); printf "%.2f %.2f\n", (e - s) / n / 1e6, (c[1] + c[2]) * 1000 / n }'
}

read -r base base_cpu < <(measure "$runs" /bin/true)
read -r ours ours_cpu < <(measure "$runs" "$wifgate" attest --provider aws)
node_runs=$(( runs / 5 > 5 ? runs / 5 : 5 ))
read -r theirs theirs_cpu < <(measure "$node_runs" node "$root/bench/smithy_sign.mjs")
printf '%-40s %9s %9s\n' "per process (mean)" "wall ms" "CPU ms"
printf '%-40s %9.2f %9.2f  (%d runs; process start-up floor)\n' "/bin/true" "$base" \
  "$base_cpu" "$runs"
printf '%-40s %9.2f %9.2f  (%d runs)\n' "wifgate attest --provider aws" "$ours" "$ours_cpu" "$runs"
printf '%-40s %9.2f %9.2f  (%d runs)\n' "node + @smithy/signature-v4 signing" "$theirs" "$theirs_cpu" \
  "$node_runs"
printf '%-40s %8.1fx %8.1fx\n' "ratio node / wifgate" \
  "$(awk -v a="$theirs" -v b="$ours" 'BEGIN { print a / b }')" \
  "$(awk -v a="$theirs_cpu" -v b="$ours_cpu" 'BEGIN { print (b > 0 ? a / b : 0) }')"
if awk -v a="$ours" 'BEGIN { exit !(a < 10) }'; then
  echo "target (< 10 ms per wifgate process): met"
else
  echo "target (< 10 ms per wifgate process): NOT met"
fi
