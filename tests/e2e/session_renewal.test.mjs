// End to end: session-token renewal (the 390112 flow) and logout with the official Node
// connector, against a server whose session tokens live two seconds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import snowflake from 'snowflake-sdk';

const WIFGATE = process.env.WIFGATE_BIN;
snowflake.configure({ logLevel: 'OFF' });

let dir, server, url;
const logins = () => JSON.parse(execFileSync(WIFGATE, ['sql', '--data', dir, '--json',
  'SELECT count(*) AS n FROM snowflake.account_usage.login_history'], { encoding: 'utf8' }))[0].N;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wifgate-renew-'));
  writeFileSync(join(dir, 'wifgate.toml'), 'account = "TESTACCT"\n[sessions]\ntoken_validity_seconds = 2\n');
  execFileSync(WIFGATE, ['sql', '--data', dir, "CREATE USER bob TYPE = PERSON PASSWORD = 'pw-for-bob'"]);
  server = spawn(WIFGATE, ['serve', '--config', join(dir, 'wifgate.toml'), '--data', dir,
                           '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`wifgate serve exited with ${code}`)));
    createInterface({ input: server.stdout }).once('line', resolve);
  });
  url = JSON.parse(line).url;
});

after(() => {
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function query(conn, sqlText) {
  return new Promise((resolve, reject) => {
    conn.execute({ sqlText, complete: (err, stmt, rows) => (err ? reject(err) : resolve(rows)) });
  });
}

test('an expired session token is renewed with the master token, without a new login', async () => {
  const conn = snowflake.createConnection({ account: 'TESTACCT', accessUrl: url, username: 'bob',
                                            password: 'pw-for-bob' });
  await new Promise((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
  assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'BOB' }]);
  const before = logins();
  await new Promise((r) => setTimeout(r, 3000));  // the session token expires
  assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'BOB' }]);
  assert.equal(logins(), before);  // renewed, not logged in again
  await new Promise((resolve) => conn.destroy(() => resolve()));
  await assert.rejects(query(conn, 'SELECT 1'));  // logged out
});
