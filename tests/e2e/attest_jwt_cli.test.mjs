// End to end: `wifgate attest --provider gcp|azure|oidc` fetches its token from the dev
// IdP's workload endpoints (GCP metadata, Azure managed identity) as it would on a cloud
// host, and `wifgate verify` accepts exactly what it produced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const WIFGATE = process.env.WIFGATE_BIN;
let dir, idp, base, config;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wifgate-attest-'));
  idp = spawn(WIFGATE, ['dev-idp', '--data', dir, '--listen', '127.0.0.1:0'],
              { stdio: ['ignore', 'pipe', 'ignore'] });
  const line = await new Promise((resolve, reject) => {
    idp.once('exit', (code) => reject(new Error(`wifgate dev-idp exited with ${code}`)));
    createInterface({ input: idp.stdout }).once('line', resolve);
  });
  base = JSON.parse(line).base_url;
  config = join(dir, 'verify.toml');
  writeFileSync(config, `[verify]\ndev_idp_data = "${dir}"\n`);
});

after(() => {
  idp?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const run = (args, env = {}) =>
  execFileSync(WIFGATE, args, { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, ...env } }).trim();
const verify = (provider, token) =>
  JSON.parse(run(['verify', '--provider', provider, '--token', token, '--config', config]));

test('GCP: the metadata identity token verifies as the service account', () => {
  const token = run(['attest', '--provider', 'gcp'], { GCE_METADATA_HOST: new URL(base).host });
  const id = verify('gcp', token);
  assert.equal(id.ok, true);
  assert.equal(id.issuer, 'https://accounts.google.com');
  assert.equal(id.subject, '104000000000000000001');
});

test('AZURE: the managed-identity token verifies as the object id, tenant canonicalised', () => {
  const token = run(['attest', '--provider', 'azure'],
                    { IDENTITY_ENDPOINT: `${base}/msi/token`, IDENTITY_HEADER: 'dev-identity-header' });
  const id = verify('azure', token);
  assert.equal(id.ok, true);
  assert.match(id.issuer, /^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]+\/v2\.0$/);
  assert.equal(id.subject, '611ab25b-2e81-4e18-92a7-b21f2bebb269');
});

test('AZURE: a wrong identity header is refused by the endpoint, and the error says so', () => {
  assert.throws(() => run(['attest', '--provider', 'azure'],
                          { IDENTITY_ENDPOINT: `${base}/msi/token`, IDENTITY_HEADER: 'wrong' }),
                /azure.identity_error.*HTTP 401/);
});

test('OIDC: a token file is passed through, and an option error is named', () => {
  const file = join(dir, 'token');
  writeFileSync(file, run(['dev-idp', 'mint', '--data', dir, '--kind', 'oidc', '--sub', 'ci']));
  const token = run(['attest', '--provider', 'oidc', '--token-file', file]);
  assert.equal(verify('oidc', token).subject, 'ci');
  assert.throws(() => run(['attest', '--provider', 'oidc']), /--token or --token-file/);
});
