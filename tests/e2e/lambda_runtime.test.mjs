// End to end: the example Lambda function (lambda/examples/current_user, the real
// `bootstrap` executable) under a Runtime API stand-in on loopback, with the environment
// Lambda gives a function: AWS_LAMBDA_RUNTIME_API, AWS_REGION and the execution role's
// credentials (from `wifgate dev-sts creds` for a role under service-role/). The function
// logs into `wifgate serve --dev` with WORKLOAD_IDENTITY and returns its user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const WIFGATE = process.env.WIFGATE_BIN;
const BOOTSTRAP = resolve(dirname(WIFGATE), '../../lambda/current_user/bootstrap');
const ACCOUNT = 'TESTACCT';
const ROLE = 'arn:aws:iam::111111111111:role/service-role/my-function-role-abc123';

let dir, server, info;

before(async () => {
  assert.ok(existsSync(BOOTSTRAP), `build the lambda_current_user target first (${BOOTSTRAP})`);
  dir = mkdtempSync(join(tmpdir(), 'wifgate-lambda-'));
  server = spawn(WIFGATE, ['serve', '--dev', '--data', dir, '--listen', '127.0.0.1:0',
                           '--account', ACCOUNT], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', () => {});
  const lines = createInterface({ input: server.stdout });
  info = await new Promise((ok, fail) => {
    server.once('exit', (code) => fail(new Error(`wifgate serve exited with ${code}`)));
    lines.once('line', (line) => ok(JSON.parse(line)));
  });
  execFileSync(WIFGATE, ['sql', '--data', dir, `CREATE USER lambda_fn TYPE = SERVICE
      WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE}')`]);
});

after(() => {
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function roleCredentials() {
  const out = execFileSync(WIFGATE, ['dev-sts', 'creds', '--data', dir, '--role', ROLE],
                           { encoding: 'utf8' });
  const env = {};
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
  return env;
}

// A Lambda Runtime API stand-in: hands out `events` one per GET .../next (later GETs hang,
// as Lambda's do while no event is queued) and records what the function posts back.
async function runtimeApi(events) {
  const posted = [];
  let notify;
  const done = new Promise((ok) => { notify = ok; });
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/2018-06-01/runtime/invocation/next') {
        const event = events.shift();
        if (!event) return;  // hang: the function waits for work
        res.writeHead(200, { 'Content-Type': 'application/json',
                             'Lambda-Runtime-Aws-Request-Id': event.id,
                             'Lambda-Runtime-Deadline-Ms': String(Date.now() + 30000),
                             'Lambda-Runtime-Invoked-Function-Arn':
                               'arn:aws:lambda:us-east-1:111111111111:function:current-user' });
        return res.end(JSON.stringify(event.payload));
      }
      posted.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end('{"status":"OK"}');
      notify();
    });
  });
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  return { srv, posted, done, api: `127.0.0.1:${srv.address().port}` };
}

function startFunction(api, extraEnv) {
  // Only what Lambda sets, plus the function's own configuration: no inherited variables.
  const env = { PATH: '/usr/bin:/bin', AWS_LAMBDA_RUNTIME_API: api, AWS_REGION: 'us-east-1',
                AWS_EC2_METADATA_DISABLED: 'true', ...extraEnv };
  const fn = spawn(BOOTSTRAP, [], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  fn.stderr.on('data', (c) => { stderr += c; });
  return { fn, stderr: () => stderr };
}

test('the function logs in with its role and returns current_user()', async () => {
  const rt = await runtimeApi([{ id: 'req-1', payload: { hello: 'world' } }]);
  const creds = roleCredentials();
  const { fn, stderr } = startFunction(rt.api, {
    AWS_ACCESS_KEY_ID: creds.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: creds.AWS_SECRET_ACCESS_KEY,
    AWS_SESSION_TOKEN: creds.AWS_SESSION_TOKEN,
    SNOWFLAKE_ACCOUNT: ACCOUNT, SNOWFLAKE_URL: info.url,
    SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES: '127.0.0.1' });
  try {
    await rt.done;
    assert.equal(rt.posted.length, 1, stderr());
    assert.equal(rt.posted[0].url, '/2018-06-01/runtime/invocation/req-1/response', rt.posted[0].body);
    assert.deepEqual(JSON.parse(rt.posted[0].body),
                     { statusCode: 200, body: JSON.stringify([['LAMBDA_FN']]) });
  } finally {
    fn.kill('SIGKILL');
    rt.srv.close();
  }
});

test('a login refused by the server is the invocation error, with the hint', async () => {
  const rt = await runtimeApi([{ id: 'req-2', payload: {} }]);
  const { fn } = startFunction(rt.api, {
    AWS_ACCESS_KEY_ID: 'AKIADEVSTS0DEVELOPER', AWS_SECRET_ACCESS_KEY: 'wrong-secret',
    SNOWFLAKE_ACCOUNT: ACCOUNT, SNOWFLAKE_URL: info.url,
    SNOWFLAKE_WIF_ALLOWED_HOST_SUFFIXES: '127.0.0.1' });
  try {
    await rt.done;
    assert.equal(rt.posted[0].url, '/2018-06-01/runtime/invocation/req-2/error');
    const error = JSON.parse(rt.posted[0].body);
    assert.match(error.errorType, /^snowflake\.\d+$/);
    assert.match(error.errorMessage, /wifgate doctor/);
    assert.ok(!rt.posted[0].body.includes('wrong-secret'));
  } finally {
    fn.kill('SIGKILL');
    rt.srv.close();
  }
});

test('missing configuration is an init error', async () => {
  const rt = await runtimeApi([]);
  const { fn } = startFunction(rt.api, {});
  try {
    await rt.done;
    assert.equal(rt.posted[0].url, '/2018-06-01/runtime/init/error');
    assert.equal(rt.posted[0].headers['lambda-runtime-function-error-type'], 'config.missing_account');
    const code = fn.exitCode ?? await new Promise((ok) => fn.once('exit', ok));
    assert.equal(code, 1);
  } finally {
    fn.kill('SIGKILL');
    rt.srv.close();
  }
});
