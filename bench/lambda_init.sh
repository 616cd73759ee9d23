#!/usr/bin/env bash
# Lambda cold start of the example function (lambda/examples/current_user, the `bootstrap`
# executable), under a Runtime API stand-in on loopback, against `wifgate serve --dev`:
#   init          exec -> its first GET /2018-06-01/runtime/invocation/next (what Lambda
#                 reports as Init Duration: the runtime is up and asks for work)
#   first answer  exec -> the POST of the first invocation's response (cold: includes the
#                 WORKLOAD_IDENTITY login, with the server's replay to the dev STS, and
#                 SELECT current_user())
#   warm answer   the second invocation: event handed out -> response posted (the session
#                 is kept for the sandbox's life, so no login)
#   init / first CPU  the CPU time bootstrap itself used up to those two points (from
#                 /proc/PID/task/*/schedstat), which load elsewhere on the machine does not
#                 inflate as it does wall time
# Then the client library's size and `ldd` of bootstrap.
#
#   bench/lambda_init.sh BUILD_DIR [RUNS] [BOOTSTRAP]
#       BUILD_DIR holds src/cli/wifgate (and, unless BOOTSTRAP is given,
#       lambda/current_user/bootstrap: `ninja -C BUILD_DIR lambda_current_user`, or
#       lambda/package.sh's stripped build for provided.al2023)
#
# Times are taken in the stand-in (node): from just before spawn() — so they include
# spawning the process — to the request's arrival. Offline: credentials come from the dev
# STS for a role under service-role/, as Lambda gives them to a function (environment
# variables); the attestation only goes to 127.0.0.1.
set -euo pipefail
build=$(realpath "${1:?usage: bench/lambda_init.sh BUILD_DIR [RUNS] [BOOTSTRAP]}")
runs=${2:-20}
bootstrap=$(realpath "${3:-$build/lambda/current_user/bootstrap}")
wifgate="$build/src/cli/wifgate"
role="arn:aws:iam::111111111111:role/service-role/my-function-role-abc123"
[[ -x "$bootstrap" ]] || { echo "no $bootstrap: build lambda_current_user" >&2; exit 1; }

source "$(dirname "$0")/lib/dev_server.sh"
data=$(mktemp -d)
cleanup() {
  stop_dev_server
  rm -rf "$data"
}
trap cleanup EXIT
start_dev_server "$wifgate" "$data" LAMBDA_FN "$role"
"$wifgate" dev-sts creds --data "$data" --role "$role" | grep '^export ' >"$data/creds.sh"

echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); bootstrap $bootstrap"
# The stand-in: one function process per run, two invocations each, then SIGKILL (as Lambda
# freezes and later discards the sandbox).
(set -a; source "$data/creds.sh"; set +a
 BOOTSTRAP="$bootstrap" RUNS="$runs" SNOWFLAKE_URL="$url" node --input-type=module <<'JS'
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const ms = (t) => Number(t) / 1e6;
// CPU time the process has used so far (all its threads, ns resolution), in ms.
const cpuMs = (pid) => readdirSync(`/proc/${pid}/task`).reduce(
  (sum, t) => sum + Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]), 0) / 1e6;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1;
                         return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

function runOnce() {
  return new Promise((resolve, reject) => {
    let start, init, handedOut, first, warm, cpuInit, cpuFirst, events = 0;
    const srv = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const now = process.hrtime.bigint();
        if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next') {
          if (init === undefined) { init = now; cpuInit = cpuMs(fn.pid); }
          if (events === 2) return;  // no more work: the function waits here
          events += 1;
          handedOut = process.hrtime.bigint();
          res.writeHead(200, { 'Content-Type': 'application/json',
                               'Lambda-Runtime-Aws-Request-Id': `req-${events}`,
                               'Lambda-Runtime-Deadline-Ms': String(Date.now() + 30000),
                               'Lambda-Runtime-Invoked-Function-Arn':
                                 'arn:aws:lambda:us-east-1:111111111111:function:current-user' });
          return res.end('{}');
        }
        res.writeHead(202, { 'Content-Type': 'application/json' });
        res.end('{"status":"OK"}');
        if (!req.url.endsWith('/response') || !body.includes('LAMBDA_FN')) {
          fn.kill('SIGKILL');
          srv.close();
          return reject(new Error(`unexpected ${req.method} ${req.url}: ${body}`));
        }
        if (first === undefined) { first = now; cpuFirst = cpuMs(fn.pid); return; }
        warm = now;
        fn.kill('SIGKILL');
        srv.close();
        resolve({ init: ms(init - start), first: ms(first - start), warm: ms(warm - handedOut),
                  cpuInit, cpuFirst });
      });
    });
    let fn;
    srv.listen(0, '127.0.0.1', () => {
      const env = { PATH: '/usr/bin:/bin', AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${srv.address().port}`,
                    AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true',
                    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
                    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
                    AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN,
                    SNOWFLAKE_ACCOUNT: 'TESTACCT', SNOWFLAKE_URL: process.env.SNOWFLAKE_URL,
                    SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES: '127.0.0.1' };
      start = process.hrtime.bigint();
      fn = spawn(process.env.BOOTSTRAP, [], { env, stdio: ['ignore', 'ignore', 'ignore'] });
      fn.once('exit', (code, signal) => {
        if (warm === undefined) { srv.close(); reject(new Error(`bootstrap exited: ${code ?? signal}`)); }
      });
    });
  });
}

const runs = Number(process.env.RUNS);
await runOnce();  // warm-up: page cache, the server's first connections
const results = [];
for (let i = 0; i < runs; i++) results.push(await runOnce());
const line = (name, key, what) => {
  const xs = results.map((r) => r[key]);
  console.log(`  ${name.padEnd(14)} ${median(xs).toFixed(1).padStart(7)} ms median ` +
              `(min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})  ${what}`);
};
console.log(`Lambda bootstrap, ${runs} cold starts:`);
line('init', 'init', 'exec -> first GET .../invocation/next');
line('first answer', 'first', 'exec -> first response posted (login + query)');
line('warm answer', 'warm', 'second event handed out -> its response posted');
line('init CPU', 'cpuInit', 'CPU time of bootstrap up to its first GET .../next');
line('first CPU', 'cpuFirst', 'CPU time of bootstrap up to its first response');
JS
)

print_client_library_sizes "$build" "$data"
echo "bootstrap: $(stat -c %s "$bootstrap") bytes; ldd:"
ldd "$bootstrap" | sed 's/^\s*/  /'
