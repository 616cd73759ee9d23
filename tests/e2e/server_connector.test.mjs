// End to end: `wifgate serve --dev` with the official Snowflake Node connector
// (snowflake-sdk, unmodified) logging in with each authenticator and running SQL.
//
// One server runs for the whole file, on a fresh data directory, with the dev STS and dev
// IdP in the same process. Users are created with `wifgate sql` while it runs, which also
// proves that the server sees a change made from the shell at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generateKeyPairSync } from 'node:crypto';
import snowflake from 'snowflake-sdk';

const WIFGATE = process.env.WIFGATE_BIN;
const ACCOUNT = 'TESTACCT';
const LAMBDA_ROLE = 'arn:aws:iam::111111111111:role/service-role/my-function-role-abc123';
const GCP_SUBJECT = '104000000000000000001';  // the dev IdP's default GCP workload
const AZURE_TENANT = '11111111-2222-4333-8444-555555555555';
const AZURE_OBJECT_ID = '611ab25b-2e81-4e18-92a7-b21f2bebb269';

snowflake.configure({ logLevel: 'OFF' });

let dir, server, info;

function wifgate(args, env = {}) {
  return execFileSync(WIFGATE, args, { encoding: 'utf8', env: { ...process.env, ...env } });
}
function sql(statement) {
  return wifgate(['sql', '--data', dir, '--json', statement]);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wifgate-e2e-'));
  server = spawn(WIFGATE, ['serve', '--dev', '--data', dir, '--listen', '127.0.0.1:0',
                           '--account', ACCOUNT], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', () => {});  // JSON logs; read by the tests that need them
  const lines = createInterface({ input: server.stdout });
  info = await new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`wifgate serve exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  assert.equal(info.event, 'serve.listening');
  const oidcIssuer = `${info.dev_idp}/oidc`;
  sql(`CREATE USER lambda_svc TYPE = SERVICE DEFAULT_ROLE = PUBLIC
         WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${LAMBDA_ROLE}')`);
  sql(`CREATE USER oidc_svc TYPE = SERVICE
         WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = '${oidcIssuer}'
                              SUBJECT = 'repo:acme/app:ref:refs/heads/main')`);
  sql(`CREATE USER gcp_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = GCP SUBJECT = '${GCP_SUBJECT}')`);
  sql(`CREATE USER azure_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AZURE
         ISSUER = 'https://login.microsoftonline.com/${AZURE_TENANT}/v2.0' SUBJECT = '${AZURE_OBJECT_ID}')`);
  sql(`CREATE USER alice TYPE = PERSON PASSWORD = 'correct horse battery staple'`);
});

after(() => {
  server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Connects with `options`; resolves to the connection, or rejects with the login error.
function connect(options) {
  const conn = snowflake.createConnection({ account: ACCOUNT, accessUrl: info.url, ...options });
  return new Promise((resolve, reject) => {
    conn.connect((err, c) => (err ? reject(err) : resolve(c)));
  });
}
function query(conn, sqlText) {
  return new Promise((resolve, reject) => {
    conn.execute({ sqlText, complete: (err, stmt, rows) => (err ? reject(err) : resolve(rows)) });
  });
}
function close(conn) {
  return new Promise((resolve) => conn.destroy(() => resolve()));
}
// Credentials of a dev-STS role, as `wifgate dev-sts creds` prints them.
function roleCredentials(roleArn) {
  const out = wifgate(['dev-sts', 'creds', '--data', dir, '--role', roleArn]);
  const env = {};
  for (const m of out.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  return env;
}
async function withEnv(vars, fn) {
  const saved = {};
  for (const k of Object.keys(vars)) { saved[k] = process.env[k]; process.env[k] = vars[k]; }
  try { return await fn(); } finally {
    for (const k of Object.keys(vars)) {
      if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
    }
  }
}

test('AWS: a Lambda role under service-role/, registered by its full ARN, logs in', async () => {
  const creds = roleCredentials(LAMBDA_ROLE);
  assert.match(creds.AWS_SESSION_TOKEN, /.+/);
  await withEnv({ AWS_ACCESS_KEY_ID: creds.AWS_ACCESS_KEY_ID,
                  AWS_SECRET_ACCESS_KEY: creds.AWS_SECRET_ACCESS_KEY,
                  AWS_SESSION_TOKEN: creds.AWS_SESSION_TOKEN, AWS_REGION: 'us-east-1' }, async () => {
    const conn = await connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'AWS' });
    const rows = await query(conn, 'SELECT current_user()');
    assert.deepEqual(rows, [{ 'CURRENT_USER()': 'LAMBDA_SVC' }]);
    await close(conn);
  });
});

test('AWS: an unregistered role is refused, and the error names the caller identity', async () => {
  const creds = roleCredentials('arn:aws:iam::111111111111:role/Deploy');
  await withEnv({ AWS_ACCESS_KEY_ID: creds.AWS_ACCESS_KEY_ID,
                  AWS_SECRET_ACCESS_KEY: creds.AWS_SECRET_ACCESS_KEY,
                  AWS_SESSION_TOKEN: creds.AWS_SESSION_TOKEN }, async () => {
    await assert.rejects(connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'AWS' }),
      (err) => {
        assert.equal(err.code, '395002');
        assert.match(err.message, /assumed-role\/Deploy/);
        assert.doesNotMatch(err.message, /LAMBDA_SVC|my-function-role/);  // nothing about others
        return true;
      });
  });
  const history = JSON.parse(sql(`SELECT user_name, is_success, error_code FROM
      snowflake.account_usage.login_history ORDER BY event_id`));
  assert.ok(history.some((r) => r.IS_SUCCESS === true || r.IS_SUCCESS === 'YES' || r.IS_SUCCESS === 1));
  assert.ok(history.some((r) => r.ERROR_CODE === 'registry.identity_not_registered'));
});

test('OIDC: a token from the dev issuer logs in', async () => {
  const token = wifgate(['dev-idp', 'mint', '--data', dir, '--kind', 'oidc',
                         '--sub', 'repo:acme/app:ref:refs/heads/main']).trim();
  const conn = await connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'OIDC', token });
  assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'OIDC_SVC' }]);
  await close(conn);
});

test('OIDC: a token for another audience is refused', async () => {
  const token = wifgate(['dev-idp', 'mint', '--data', dir, '--kind', 'oidc',
                         '--sub', 'repo:acme/app:ref:refs/heads/main', '--aud', 'elsewhere']).trim();
  await assert.rejects(connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'OIDC', token }),
    (err) => err.code === '395001' || err.code === '395003');
});

test('GCP: the connector fetches its ID token from the (dev) metadata server', async () => {
  const host = new URL(info.dev_idp).host;
  await withEnv({ GCE_METADATA_HOST: host, GCE_METADATA_IP: host, METADATA_SERVER_DETECTION: 'assume-present',
                  GOOGLE_APPLICATION_CREDENTIALS: '', HOME: dir }, async () => {
    const conn = await connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'GCP' });
    assert.deepEqual(await query(conn, 'SELECT current_user()'), [{ 'CURRENT_USER()': 'GCP_SVC' }]);
    await close(conn);
  });
});

test('AZURE: the connector gets its Entra token from the (dev) managed identity endpoint', async () => {
  await withEnv({ IDENTITY_ENDPOINT: `${info.dev_idp}/msi/token`, IDENTITY_HEADER: 'dev-identity-header',
                  HOME: dir }, async () => {
    const conn = await connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'AZURE' });
    assert.deepEqual(await query(conn, 'SELECT current_user()'), [{ 'CURRENT_USER()': 'AZURE_SVC' }]);
    await close(conn);
  });
});

test('password: a PERSON user logs in; a wrong password is refused with 390100', async () => {
  const conn = await connect({ username: 'alice', password: 'correct horse battery staple' });
  assert.deepEqual(await query(conn, 'SELECT current_user(), current_role()'),
                   [{ 'CURRENT_USER()': 'ALICE', 'CURRENT_ROLE()': 'PUBLIC' }]);
  await close(conn);
  await assert.rejects(connect({ username: 'alice', password: 'wrong' }), (err) => err.code === '390100');
  await assert.rejects(connect({ username: 'nobody', password: 'wrong' }), (err) => err.code === '390100');
});

test('key pair: SNOWFLAKE_JWT with the registered RSA_PUBLIC_KEY logs in', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  sql(`CREATE USER keypair_svc TYPE = SERVICE RSA_PUBLIC_KEY = '${der}'`);
  const conn = await connect({ username: 'keypair_svc', authenticator: 'SNOWFLAKE_JWT',
                               privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) });
  assert.deepEqual(await query(conn, 'SELECT current_user()'), [{ 'CURRENT_USER()': 'KEYPAIR_SVC' }]);
  await close(conn);
});

test('typed results decode as the connector expects', async () => {
  const conn = await connect({ username: 'alice', password: 'correct horse battery staple' });
  const [row] = await query(conn, "SELECT 42 AS i, 1.5 AS r, 'x' AS t, NULL AS n, 1 = 1 AS b");
  assert.equal(row.I, 42);
  assert.equal(row.R, 1.5);
  assert.equal(row.T, 'x');
  assert.equal(row.N, null);
  await assert.rejects(query(conn, 'SELECT * FROM no_such_table'), (err) => /no_such_table/i.test(err.message));
  await close(conn);
});

test('removing the workload identity ends the sessions it opened', async () => {
  sql(`CREATE USER temp_svc TYPE = SERVICE`);
  sql(`ALTER USER temp_svc ADD WORKLOAD IDENTITY ci TYPE = OIDC ISSUER = '${info.dev_idp}/oidc' SUBJECT = 'temp'`);
  const token = wifgate(['dev-idp', 'mint', '--data', dir, '--kind', 'oidc', '--sub', 'temp']).trim();
  const conn = await connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'OIDC', token });
  assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'TEMP_SVC' }]);
  sql('ALTER USER temp_svc REMOVE WORKLOAD IDENTITY ci');
  await assert.rejects(query(conn, 'SELECT 1'));
});

// security.md SESS-02: disabling or dropping the user ends its open sessions at once.
test('disabling or dropping the user ends its open sessions', async () => {
  for (const [name, end] of [['off_svc', 'ALTER USER off_svc SET DISABLED = TRUE'],
                             ['gone_svc', 'DROP USER gone_svc']]) {
    sql(`CREATE USER ${name} TYPE = SERVICE`);
    sql(`ALTER USER ${name} ADD WORKLOAD IDENTITY ci TYPE = OIDC ISSUER = '${info.dev_idp}/oidc' SUBJECT = '${name}'`);
    const token = wifgate(['dev-idp', 'mint', '--data', dir, '--kind', 'oidc', '--sub', name]).trim();
    const conn = await connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'OIDC', token });
    assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: name.toUpperCase() }]);
    sql(end);
    await assert.rejects(query(conn, 'SELECT 1'), `${end}: the session still answers`);
  }
});

test('a disabled identity and a policy that forbids the provider each get their own error', async () => {
  const issuer = `${info.dev_idp}/oidc`;
  sql(`CREATE USER ci_svc TYPE = SERVICE`);
  sql(`ALTER USER ci_svc ADD WORKLOAD IDENTITY gha TYPE = OIDC ISSUER = '${issuer}' SUBJECT = 'ci'`);
  const token = () => wifgate(['dev-idp', 'mint', '--data', dir, '--kind', 'oidc', '--sub', 'ci']).trim();
  const login = () => connect({ authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'OIDC',
                                token: token() });

  sql('ALTER USER ci_svc MODIFY WORKLOAD IDENTITY gha SET DISABLED = TRUE');
  await assert.rejects(login(), (err) => err.code === '395003' && /disabled/i.test(err.message));
  sql('ALTER USER ci_svc MODIFY WORKLOAD IDENTITY gha SET DISABLED = FALSE');

  sql('CREATE AUTHENTICATION POLICY aws_only WORKLOAD_IDENTITY_POLICY = (ALLOWED_PROVIDERS = (AWS))');
  sql('ALTER USER ci_svc SET AUTHENTICATION POLICY aws_only');
  await assert.rejects(login(), (err) => err.code === '395003' && /OIDC/.test(err.message));
  sql('ALTER USER ci_svc UNSET AUTHENTICATION POLICY');

  const conn = await login();
  assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'CI_SVC' }]);
  await close(conn);

  const history = JSON.parse(sql(`SELECT is_success, error_code FROM snowflake.account_usage.login_history
      WHERE user_name = 'CI_SVC' ORDER BY event_id`));
  assert.deepEqual(history.map((r) => r.ERROR_CODE),
                   ['registry.identity_disabled', 'registry.policy_provider', null]);
});

test('heartbeat and USE ROLE work on a live session', async () => {
  sql('GRANT ROLE SYSADMIN TO USER alice');
  const conn = await connect({ username: 'alice', password: 'correct horse battery staple' });
  assert.ok(await conn.isValidAsync());
  await query(conn, 'USE ROLE sysadmin');
  assert.deepEqual(await query(conn, 'SELECT current_role() AS r'), [{ R: 'SYSADMIN' }]);
  await assert.rejects(query(conn, 'USE ROLE accountadmin'), /not authorized/);
  await query(conn, 'USE WAREHOUSE compute_wh');
  const [row] = await query(conn, `SELECT current_warehouse() AS w, current_account() AS a,
      current_version() AS v, current_client() AS c, current_session() AS s`);
  assert.equal(row.W, 'COMPUTE_WH');
  assert.equal(row.A, 'TESTACCT');
  assert.match(row.V, /^\d+\.\d+\.\d+$/);
  assert.match(row.C, /^JavaScript 3\.3\.0$/);
  assert.match(String(row.S), /^\d+$/);
  await close(conn);
});

test('a login for another account is refused with a message saying which one is served', async () => {
  await assert.rejects(
    new Promise((resolve, reject) => snowflake.createConnection({ account: 'OTHER', accessUrl: info.url,
      username: 'alice', password: 'x' }).connect((err) => (err ? reject(err) : resolve()))),
    (err) => err.code === '395006' && /TESTACCT/.test(err.message));
});
