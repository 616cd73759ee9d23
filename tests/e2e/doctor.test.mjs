// End to end: `wifgate doctor` on a workload of each provider, against `wifgate serve --dev`
// and its dev IdP / dev STS standing in for the cloud (GCP metadata server, Azure App
// Service identity endpoint, an OIDC token file, AWS credentials and outbound tokens from
// the dev STS). For a registered identity it says which user; for an unregistered one it
// says why not (the server's code and message) and which clause would register it. The
// token itself never appears in its output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WIFGATE, wifgate, startDevServer, roleCredentials } from './lib/dev_server.mjs';

const ACCOUNT = 'TESTACCT';
const GCP_SUBJECT = '104000000000000000001';  // the dev IdP's default GCP workload
const AZURE_TENANT = '11111111-2222-4333-8444-555555555555';
const AZURE_OBJECT_ID = '611ab25b-2e81-4e18-92a7-b21f2bebb269';
const OIDC_SUBJECT = 'repo:acme/app:ref:refs/heads/main';
const LAMBDA_ROLE = 'arn:aws:iam::111111111111:role/service-role/my-function-role-abc123';
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

let dev, idpHost;

before(async () => {
  dev = await startDevServer(ACCOUNT, 'wifgate-doctor-');
  idpHost = new URL(dev.info.dev_idp).host;
  dev.sql(`CREATE USER gcp_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = '${GCP_SUBJECT}')`);
  dev.sql(`CREATE USER azure_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AZURE
             ISSUER = 'https://login.microsoftonline.com/${AZURE_TENANT}/v2.0' SUBJECT = '${AZURE_OBJECT_ID}')`);
  dev.sql(`CREATE USER oidc_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = OIDC
             ISSUER = '${dev.info.dev_idp}/oidc' SUBJECT = '${OIDC_SUBJECT}')`);
  dev.sql(`CREATE USER lambda_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${LAMBDA_ROLE}')`);
});

after(() => dev?.stop());

// Runs `wifgate doctor ARGS` with only PATH, HOME and `env` set (no real cloud variables),
// against the dev server; returns { status, stdout, stderr }. With `stdin`, a shell pipes
// that text into the doctor, as a user would (node's own stdin pipes are sockets, which
// /dev/stdin cannot open).
function doctor(args, env = {}, { login = true, stdin } = {}) {
  const target = login ? ['--url', dev.info.url, '--account', ACCOUNT, '--allowed-host', '127.0.0.1'] : [];
  const command = stdin === undefined ? [WIFGATE, ['doctor', ...args, ...target]]
    : ['sh', ['-c', 'printf %s "$DOCTOR_STDIN" | "$0" doctor "$@"', WIFGATE, ...args, ...target]];
  const extra = stdin === undefined ? {} : { DOCTOR_STDIN: stdin };
  const r = spawnSync(...command,
                      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dev.dir, ...extra, ...env } });
  assert.doesNotMatch(r.stdout + r.stderr, JWT, 'the doctor printed a token');
  return r;
}

// The value printed for `key` in the section whose title starts with `title`.
function field(stdout, title, key) {
  const section = stdout.split('\n== ').find((s) => s.startsWith(title));
  assert.ok(section, `no section "${title}" in:\n${stdout}`);
  const line = section.split('\n').find((l) => l.startsWith(`  ${key}: `));
  return line === undefined ? undefined : line.slice(`  ${key}: `.length);
}

const azureEnv = (extra = {}) => ({ IDENTITY_ENDPOINT: `${dev.info.dev_idp}/msi/token`,
                                    IDENTITY_HEADER: 'dev-identity-header', ...extra });

test('GCP: the metadata server, the claims decoded without trust, and the user it maps to', () => {
  const r = doctor(['--provider', 'gcp'], { GCE_METADATA_HOST: idpHost });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'credentials', 'metadata server'), idpHost);
  assert.match(field(r.stdout, 'credentials', 'attestation'), /^a JWT of \d+ bytes \(not shown/);
  assert.match(field(r.stdout, 'identity the token claims', 'decoded'), /WITHOUT verifying/);
  assert.equal(field(r.stdout, 'identity the token claims', 'sub'), GCP_SUBJECT);
  assert.equal(field(r.stdout, 'identity the token claims', 'aud'), 'snowflakecomputing.com');
  assert.match(field(r.stdout, 'identity the token claims', 'expiry'), /^valid for another \d/);
  assert.equal(field(r.stdout, 'identity the token claims', 'register it with'),
               `WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = '${GCP_SUBJECT}')`);
  assert.equal(field(r.stdout, 'mapping to a user', 'result'), 'logged in');
  assert.equal(field(r.stdout, 'mapping to a user', 'user'), 'GCP_SVC');
});

test('AZURE: an unregistered managed identity is refused with the server\'s reason, and the suggested clause registers it', () => {
  // A user-assigned identity: the dev endpoint gives it its own object id.
  const env = azureEnv({ MANAGED_IDENTITY_CLIENT_ID: 'doctor-test-client' });
  let r = doctor(['--provider', 'azure'], env);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(field(r.stdout, 'credentials', 'credential source'),
               /^App Service identity endpoint http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
  const sub = field(r.stdout, 'identity the token claims', 'sub');
  assert.notEqual(sub, AZURE_OBJECT_ID);
  assert.equal(field(r.stdout, 'identity the token claims', 'tid'), AZURE_TENANT);
  assert.equal(field(r.stdout, 'mapping to a user', 'result'), 'refused');
  assert.match(field(r.stdout, 'mapping to a user', 'reason'), /^snowflake\.39\d{4}$/);
  const says = field(r.stdout, 'mapping to a user', 'server says');
  assert.ok(says.includes(`no user is registered for the workload identity`), says);
  assert.ok(says.includes(sub), says);
  assert.doesNotMatch(says, /AZURE_SVC|GCP_SVC|OIDC_SVC/);  // nothing about other users

  const clause = field(r.stdout, 'identity the token claims', 'register it with');
  assert.equal(clause, `WORKLOAD_IDENTITY = (TYPE = AZURE ISSUER = ` +
                       `'https://login.microsoftonline.com/${AZURE_TENANT}/v2.0' SUBJECT = '${sub}')`);
  dev.sql(`CREATE USER azure_doctor TYPE = SERVICE ${clause}`);
  r = doctor(['--provider', 'azure'], env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'mapping to a user', 'user'), 'AZURE_DOCTOR');
});

test('AZURE: the system-assigned identity maps to its user; a wrong identity header fails before any login', () => {
  let r = doctor(['--provider', 'azure'], azureEnv());
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'mapping to a user', 'user'), 'AZURE_SVC');
  r = doctor(['--provider', 'azure'], azureEnv({ IDENTITY_HEADER: 'wrong' }));
  assert.equal(r.status, 1);
  assert.match(field(r.stdout, 'credentials', 'error'), /^azure\.identity_error: .*HTTP 401/);
  assert.ok(!r.stdout.includes('== mapping'), r.stdout);
});

test('AZURE: AKS workload identity (federated token file exchanged at Entra) says where it came from', () => {
  const file = join(dev.dir, 'aks-token');
  writeFileSync(file, wifgate(['dev-idp', 'mint', '--data', dev.dir, '--kind', 'oidc', '--sub', 'system:serviceaccount:ns:app']));
  const r = doctor(['--provider', 'azure'], {
    AZURE_FEDERATED_TOKEN_FILE: file, AZURE_CLIENT_ID: 'aks-doctor-client', AZURE_TENANT_ID: AZURE_TENANT,
    AZURE_AUTHORITY_HOST: `${dev.info.dev_idp}/azure` });
  assert.equal(field(r.stdout, 'credentials', 'credential source'), `AKS workload identity (${file})`);
  assert.equal(field(r.stdout, 'credentials', 'client id'), 'aks-doctor-client');
  assert.equal(field(r.stdout, 'identity the token claims', 'tid'), AZURE_TENANT);
  // The Entra token names the app's object id, which no user has.
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(field(r.stdout, 'mapping to a user', 'server says'),
               /no user is registered for the workload identity/);
});

test('OIDC: a token file maps to its user; an unregistered subject says why not', () => {
  const file = join(dev.dir, 'oidc-token');
  writeFileSync(file, wifgate(['dev-idp', 'mint', '--data', dev.dir, '--kind', 'oidc', '--sub', OIDC_SUBJECT]));
  let r = doctor(['--provider', 'oidc', '--token-file', file]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'credentials', 'token source'), `file ${file} (read now)`);
  assert.equal(field(r.stdout, 'identity the token claims', 'iss'), `${dev.info.dev_idp}/oidc`);
  assert.equal(field(r.stdout, 'mapping to a user', 'user'), 'OIDC_SVC');

  writeFileSync(file, wifgate(['dev-idp', 'mint', '--data', dev.dir, '--kind', 'oidc', '--sub', 'someone-else']));
  r = doctor(['--provider', 'oidc', '--token-file', file]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'identity the token claims', 'sub'), 'someone-else');
  assert.match(field(r.stdout, 'mapping to a user', 'server says'),
               /no user is registered for the workload identity .*someone-else/);
  assert.equal(field(r.stdout, 'identity the token claims', 'register it with'),
               `WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = '${dev.info.dev_idp}/oidc' SUBJECT = 'someone-else')`);
});

test('OIDC: an expired token (piped in, never on the command line) is called expired, and the server refuses it as expired', () => {
  const token = wifgate(['dev-idp', 'mint', '--data', dev.dir, '--kind', 'oidc', '--sub', OIDC_SUBJECT,
                         '--ttl', '600', '--issued-ago', '3600']).trim();
  const r = doctor(['--provider', 'oidc', '--token-file', '/dev/stdin'], {}, { stdin: token });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'credentials', 'token source'), 'file /dev/stdin (read now)');
  assert.match(field(r.stdout, 'identity the token claims', 'expires'), /\(50m \d+s ago\)$|\(50m ago\)$/);
  assert.match(field(r.stdout, 'identity the token claims', 'expiry'), /^EXPIRED 50m.* ago: .*jwt\.expired/);
  assert.match(field(r.stdout, 'mapping to a user', 'server says'), /expired/i);
});

test('AWS: STS names the role, and the role maps to its user', () => {
  const creds = roleCredentials(dev.dir, LAMBDA_ROLE);
  const r = doctor(['--provider', 'aws'], { ...creds, AWS_EC2_METADATA_DISABLED: 'true' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(field(r.stdout, 'identity (sts', 'arn'),
               /^arn:aws:sts::111111111111:assumed-role\/my-function-role-abc123\//);
  assert.equal(field(r.stdout, 'mapping to a user', 'user'), 'LAMBDA_SVC');
  assert.ok(!r.stdout.includes(creds.AWS_SESSION_TOKEN) && !r.stdout.includes(creds.AWS_SECRET_ACCESS_KEY));
});

test('AWS outbound token: the JWT is decoded, and the suggested clause (ARN and ISSUER) makes it log in', () => {
  const deployRole = 'arn:aws:iam::111111111111:role/Deploy';
  const env = { ...roleCredentials(dev.dir, deployRole), AWS_EC2_METADATA_DISABLED: 'true' };
  let r = doctor(['--provider', 'aws', '--aws-outbound-token'], env);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(field(r.stdout, 'identity the token claims', 'algorithm'), /^ES384/);
  assert.equal(field(r.stdout, 'identity the token claims', 'sub'), deployRole);
  assert.equal(field(r.stdout, 'mapping to a user', 'result'), 'refused');
  const clause = field(r.stdout, 'identity the token claims', 'register it with');
  assert.equal(clause, `WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${deployRole}' ` +
                       `ISSUER = '${dev.info.dev_aws_token_issuers['111111111111']}')`);
  dev.sql(`CREATE USER deploy_doctor TYPE = SERVICE ${clause}`);
  r = doctor(['--provider', 'aws', '--aws-outbound-token'], env);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(field(r.stdout, 'mapping to a user', 'user'), 'DEPLOY_DOCTOR');
});

test('without --account no login is tried; bad usage is named', () => {
  let r = doctor(['--provider', 'gcp'], { GCE_METADATA_HOST: idpHost }, { login: false });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(field(r.stdout, 'mapping to a user', 'skipped'), /pass --account/);
  r = doctor(['--provider', 'oidc'], {}, { login: false });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cli\.oidc_token_missing.*--token-file/);
  // A token on the command line would be visible in ps and the shell history: no such flag.
  r = doctor(['--provider', 'oidc', '--token', 'not-a-real-token'], {}, { login: false });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--token/);
  assert.equal(r.stdout, '');
  r = doctor(['--provider', 'azure', '--impersonate', 'x'], {}, { login: false });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cli\.impersonation_unsupported/);
  r = doctor(['--provider', 'ibm'], {}, { login: false });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cli\.provider_unavailable/);
});
