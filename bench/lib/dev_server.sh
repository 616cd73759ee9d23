# Shared by the client benchmarks (client_first_row.sh, lambda_init.sh); source it.
#
# start_dev_server WIFGATE DATA USER ROLE: runs `WIFGATE serve --dev` on a loopback port
# with its data in DATA, registers USER as a service with the AWS role ROLE, and sets
# server_pid and url. The caller's EXIT trap stops the server (stop_dev_server).
start_dev_server() {
  local wifgate=$1 data=$2 user=$3 role=$4
  unset HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy
  "$wifgate" serve --dev --listen 127.0.0.1:0 --data "$data" --account TESTACCT \
    >"$data/serve.out" 2>"$data/serve.err" &
  server_pid=$!
  for _ in $(seq 100); do [[ -s "$data/serve.json" ]] && break; sleep 0.05; done
  if [[ ! -s "$data/serve.json" ]]; then
    echo "wifgate serve --dev did not start; its stderr:" >&2
    cat "$data/serve.err" >&2
    return 1
  fi
  url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$data/serve.json")
  "$wifgate" sql --data "$data" \
    "CREATE USER $user TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = '$role')" >/dev/null
}

stop_dev_server() {
  if [[ -n "${server_pid:-}" ]]; then
    kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  fi
  return 0
}

# print_client_library_sizes BUILD SCRATCH_DIR: the client library's static archives under
# BUILD, as built and with their debug info stripped (into SCRATCH_DIR).
print_client_library_sizes() {
  local build=$1 scratch=$2 total=0 total_stripped=0 lib f size stripped
  echo "client library (static archives: as built, and with debug info stripped):"
  for lib in client lambda attest aws net common; do
    f=$(find "$build" -name "libwifgate_$lib.a" | head -1)
    if [[ -z "$f" ]]; then
      echo "  libwifgate_$lib.a not built"
      continue
    fi
    strip --strip-debug -o "$scratch/stripped.a" "$f"
    size=$(stat -c %s "$f") stripped=$(stat -c %s "$scratch/stripped.a")
    total=$((total + size)) total_stripped=$((total_stripped + stripped))
    printf '  %-24s %10d bytes  %9d stripped\n' "libwifgate_$lib.a" "$size" "$stripped"
  done
  printf '  %-24s %10d bytes  %9d stripped\n' "total" "$total" "$total_stripped"
}
