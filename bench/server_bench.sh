#!/usr/bin/env bash
# Server throughput and memory: WIF logins per second with p50/p99 latency (OIDC RS256 with a
# warm JWKS cache; AWS SigV4 on a verification-cache hit) and `SELECT current_user()` round
# trips per second, each as a ratio to this machine's HTTP floor measured in the same run:
# GET /healthz, a fixed reply from the same `wifgate serve` process and HTTP stack. Then the
# server's memory at idle and with 1,000 and 2,000 open sessions.
#
#   bench/server_bench.sh BUILD_DIR [CONNECTIONS] [SECONDS]
#       BUILD_DIR holds src/cli/wifgate and bench/server_load; defaults 32 connections, 5 s
#
# Offline and loopback only: `serve --dev` runs the dev STS and dev IdP in the same process,
# the OIDC token comes from `wifgate dev-idp mint`, the AWS attestation from `wifgate attest`
# with dev-STS credentials (sent only to the server, which maps STS to the dev STS). The
# load generator runs on the same machine and shares its cores with the server. The data
# directories go under $TMPDIR (default /tmp): each login commits its LOGIN_HISTORY row (with
# an fsync only under [registry] login_history_sync = "full"); TMPDIR=/dev/shm takes the disk out.
set -euo pipefail
build=$(realpath "${1:?usage: bench/server_bench.sh BUILD_DIR [CONNECTIONS] [SECONDS]}")
connections=${2:-32}
seconds=${3:-5}
wifgate="$build/src/cli/wifgate"
load="$build/bench/server_load"
role="arn:aws:iam::111111111111:role/service-role/my-function-role-abc123"
subject="repo:acme/app:ref:refs/heads/main"
for bin in "$wifgate" "$load"; do
  [[ -x "$bin" ]] || { echo "missing $bin: ninja -C $build wifgate server_load" >&2; exit 1; }
done

work=$(mktemp -d)
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT
unset HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY http_proxy https_proxy all_proxy no_proxy

# The per-address login rate limiter would throttle a load generator on one address; the
# bench's server config lifts it. Nothing else differs from the defaults.
cat >"$work/bench.toml" <<'EOF'
[limits]
login_rate_per_minute = 1000000000
login_burst = 1000000000
EOF

# Starts `serve --dev` on a fresh data directory $1; sets server_pid and url.
start_server() {
  local data=$1
  mkdir -p "$data"
  "$wifgate" serve --dev --config "$work/bench.toml" --data "$data" --listen 127.0.0.1:0 \
    --account TESTACCT >"$data/serve.out" 2>"$data/serve.log" &
  server_pid=$!
  for _ in $(seq 200); do [[ -s "$data/serve.json" ]] && break; sleep 0.05; done
  [[ -s "$data/serve.json" ]] || { echo "serve did not start:" >&2; cat "$data/serve.log" >&2; exit 1; }
  url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$data/serve.json")
  dev_idp=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dev_idp"])' "$data/serve.json")
}

# Registers an OIDC user (the dev issuer) and writes a fresh RS256 token to $1/oidc.token.
register_oidc() {
  local data=$1
  "$wifgate" sql --data "$data" "CREATE USER OIDC_SVC TYPE = SERVICE WORKLOAD_IDENTITY =
    (TYPE = OIDC ISSUER = '$dev_idp/oidc' SUBJECT = '$subject')" >/dev/null
  "$wifgate" dev-idp mint --data "$data" --kind oidc --sub "$subject" --alg RS256 \
    --out "$data/oidc.token" >/dev/null
}

# Registers the Lambda role and writes its SigV4 attestation to $1/aws.token.
register_aws() {
  local data=$1
  "$wifgate" sql --data "$data" "CREATE USER LAMBDA_SVC TYPE = SERVICE WORKLOAD_IDENTITY =
    (TYPE = AWS ARN = '$role')" >/dev/null
  (
    eval "$("$wifgate" dev-sts creds --data "$data" --role "$role" 2>/dev/null)"
    export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    umask 077
    "$wifgate" attest --provider aws >"$data/aws.token"
  )
}

# Runs server_load; prints its JSON line.
measure() {
  "$load" --url "$url" --connections "$connections" --duration "$seconds" --warmup 1 --json "$@"
}

rss_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$server_pid/status"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (before the run)"
echo "server config: [limits] login_rate_per_minute and login_burst = 1e9 (the per-address"
echo "  login rate limiter is lifted for this bench only); everything else default"
echo "data directories: under $(dirname "$work") ($(stat -f -c %T "$work")); every login commits a"
echo "  LOGIN_HISTORY row (no fsync: login_history_sync = \"normal\"; TMPDIR=/dev/shm takes the disk out)"
echo "load: $connections keep-alive connections, ${seconds}s measured after 1s warm-up, 1 client thread"
echo

# Throughput: one server for every mode, each mode between two floor runs.
start_server "$work/load"
register_oidc "$work/load"
register_aws "$work/load"
# Warm the JWKS cache and the AWS verification cache one login at a time (concurrent first
# logins would each miss), then check that the measured runs made no outbound call at all.
metric_sum() { curl -s "$url/metrics" | awk -v m="$1" -v f="$2" '$1 ~ "^"m && $1 ~ f {n += $2} END {print n + 0}'; }
"$load" --url "$url" --connections 1 --requests 10 --mode login-oidc \
  --attestation-file "$work/load/oidc.token" --expect OIDC_SVC >/dev/null
"$load" --url "$url" --connections 1 --requests 10 --mode login-aws \
  --attestation-file "$work/load/aws.token" --expect LAMBDA_SVC >/dev/null
outbound_before=$(metric_sum wifgate_outbound_requests_total '')
logins_before=$(metric_sum wifgate_logins_total 'outcome="success"')
results="$work/results.jsonl"
{
  measure --mode floor
  measure --mode login-oidc --attestation-file "$work/load/oidc.token" --expect OIDC_SVC
  measure --mode floor
  measure --mode login-aws --attestation-file "$work/load/aws.token" --expect LAMBDA_SVC
  measure --mode floor
  measure --mode query --attestation-file "$work/load/oidc.token" --provider OIDC \
    --expect OIDC_SVC
  measure --mode floor
} >"$results"
outbound=$(($(metric_sum wifgate_outbound_requests_total '') - outbound_before))
logins=$(($(metric_sum wifgate_logins_total 'outcome="success"') - logins_before))
stop_server
echo "the timed runs (their warm-ups included) made $logins successful logins and $outbound outbound"
echo "  calls (STS, OIDC discovery, JWKS): every verification was a warm-cache hit"
((outbound == 0)) || { echo "caches were not warm: $outbound outbound calls" >&2; exit 1; }

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
names = {"login-oidc": "login OIDC RS256 (warm JWKS)",
         "login-aws": "login AWS (verification cache hit)", "query": "SELECT current_user()"}
print(f"{'':38} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs floor':>9}")
# Each mode ran between two floor runs; its ratio is to their mean, so that the machine's
# other load, which drifts, weighs on both sides of the ratio alike.
for i in range(1, len(rows), 2):
    r, floor = rows[i], (rows[i - 1]["rate"] + rows[i + 1]["rate"]) / 2
    print(f"{'HTTP floor (GET /healthz), around it':38} {floor:9.0f} {'':8} {'':8} {'1.00x':>9}")
    print(f"{names[r['mode']]:38} {r['rate']:9.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f}"
          f" {r['rate'] / floor:8.2f}x")
f = [r for r in rows if r["mode"] == "floor"]
print("floor runs, req/s: " + ", ".join(f"{r['rate']:.0f}" for r in f) + "; p50 ms: " +
      ", ".join(f"{r['p50_ms']:.2f}" for r in f) + "; p99 ms: " +
      ", ".join(f"{r['p99_ms']:.2f}" for r in f))
print("errors: 0 in every run")
PY

# Memory: a fresh server, idle, then with 1,000 and 2,000 sessions opened by OIDC logins.
echo
start_server "$work/mem"
register_oidc "$work/mem"
sleep 1
idle=$(rss_kb VmRSS)
"$load" --url "$url" --mode login-oidc --attestation-file "$work/mem/oidc.token" \
  --connections 8 --requests 1000 --expect OIDC_SVC >/dev/null
sleep 0.5
rss1000=$(rss_kb VmRSS)
"$load" --url "$url" --mode login-oidc --attestation-file "$work/mem/oidc.token" \
  --connections 8 --requests 1000 --expect OIDC_SVC >/dev/null
sleep 0.5
rss2000=$(rss_kb VmRSS)
hwm=$(rss_kb VmHWM)
logins=$(metric_sum wifgate_logins_total 'outcome="success"')
stop_server
python3 - "$idle" "$rss1000" "$rss2000" "$hwm" "$logins" <<'PY'
import sys
idle, r1, r2, hwm, logins = (int(float(x)) for x in sys.argv[1:])
print("server memory (VmRSS of wifgate serve --dev, which includes the dev STS and dev IdP):")
print(f"  idle                   {idle / 1024:7.1f} MiB")
print(f"  1,000 open sessions    {r1 / 1024:7.1f} MiB  (+{(r1 - idle) / 1000:.1f} KiB per session,"
      " including first-use growth)")
print(f"  2,000 open sessions    {r2 / 1024:7.1f} MiB  (+{(r2 - r1) / 1000:.1f} KiB per session,"
      " marginal)")
print(f"  peak (VmHWM)           {hwm / 1024:7.1f} MiB")
print(f"  successful logins counted by /metrics: {logins}")
if logins != 2000:
    sys.exit(f"expected 2000 successful logins, the server counted {logins}")
PY
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
