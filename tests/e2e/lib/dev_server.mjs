// Shared helpers of the end-to-end tests: a `wifgate serve --dev` on a fresh data
// directory, the `wifgate` CLI against it, and the official Node connector's callbacks
// as promises.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import snowflake from 'snowflake-sdk';

export const WIFGATE = process.env.WIFGATE_BIN;

// Runs `wifgate ARGS` and returns its stdout; throws (with stderr) when it fails.
export function wifgate(args, env = {}) {
  return execFileSync(WIFGATE, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
                                       env: { ...process.env, ...env } });
}

// Starts `wifgate serve --dev --account ACCOUNT` on a fresh data directory and resolves
// once it listens; `config`, when given, is written to a TOML file passed with --config.
// The result has `dir`, the `info` line it printed (url, dev_sts, dev_idp,
// dev_aws_token_issuers), `sql(statement)` (admin SQL through `wifgate sql --json`, parsed
// when it returns rows) and `stop()`.
export async function startDevServer(account, prefix = 'wifgate-e2e-', config = null) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const args = ['serve', '--dev', '--data', dir, '--listen', '127.0.0.1:0', '--account', account];
  if (config !== null) {
    writeFileSync(join(dir, 'wifgate.toml'), config);
    args.push('--config', join(dir, 'wifgate.toml'));
  }
  const server = spawn(WIFGATE, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  server.stderr.on('data', (chunk) => logs.push(chunk));  // JSON lines, checked by stop()
  const info = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`wifgate serve exited with ${code}`)));
    createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  });
  assert.equal(info.event, 'serve.listening');
  return {
    dir,
    info,
    sql: (statement) => wifgate(['sql', '--data', dir, '--json', statement]),
    // Stops the server, then checks everything it logged for secrets (security.md INJ-04).
    stop: () => {
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
      assertNoSecrets(Buffer.concat(logs).toString('utf8'), 'the server log');
    },
  };
}

// Secrets that must never be written anywhere: JWTs, SigV4 signatures, STS session tokens
// (the dev STS's begin "DevSts"), wifgate session and master tokens.
const SECRET_PATTERNS = [
  /eyJ[\w-]+\.[\w-]+\.[\w-]+/, /Signature=[0-9a-f]{64}/, /DevSts[A-Za-z0-9+/]{16}/,
  /wg[sm]_[A-Za-z0-9_-]{16}/,
];

export function assertNoSecrets(text, where) {
  for (const pattern of SECRET_PATTERNS) {
    const match = text.match(pattern);
    assert.equal(match, null, `${where} contains a secret (${pattern}): ${match?.[0].slice(0, 12)}…`);
  }
}

// Temporary credentials of a dev-STS role, as `wifgate dev-sts creds` prints them
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
// AWS_ENDPOINT_URL_STS).
export function roleCredentials(dir, roleArn) {
  const out = wifgate(['dev-sts', 'creds', '--data', dir, '--role', roleArn]);
  const env = {};
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  return env;
}

// Runs `fn` with `vars` set in process.env (where the connector's cloud SDKs read them),
// restoring the previous values afterwards.
export async function withEnv(vars, fn) {
  const saved = {};
  for (const k of Object.keys(vars)) { saved[k] = process.env[k]; process.env[k] = vars[k]; }
  try { return await fn(); } finally {
    for (const k of Object.keys(vars)) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  }
}

// The connector: resolves to the connection, or rejects with the login error.
export function connect(url, account, options) {
  const conn = snowflake.createConnection({ account, accessUrl: url, ...options });
  return new Promise((resolve, reject) => {
    conn.connect((err, c) => (err ? reject(err) : resolve(c)));
  });
}
export function query(conn, sqlText) {
  return new Promise((resolve, reject) => {
    conn.execute({ sqlText, complete: (err, stmt, rows) => (err ? reject(err) : resolve(rows)) });
  });
}
export function close(conn) {
  return new Promise((resolve) => conn.destroy(() => resolve()));
}
