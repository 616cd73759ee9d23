// End to end: `[aws] one_time_use = true` (security.md RPL-01) on `wifgate serve --dev`.
//   - An attestation made by `wifgate attest` logs in once; posted again it is refused, and
//     LOGIN_HISTORY records why (aws.attestation_replayed).
//   - The official Node connector signs a new request for each login, so its logins keep
//     working (in different seconds: SigV4 signatures are deterministic to the second).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import snowflake from 'snowflake-sdk';
import { wifgate, startDevServer, roleCredentials, withEnv, connect, query, close }
  from './lib/dev_server.mjs';

const ACCOUNT = 'TESTACCT';
const ROLE = 'arn:aws:iam::111111111111:role/service-role/my-function-role-abc123';

snowflake.configure({ logLevel: 'OFF' });

let dev, roleEnv;

before(async () => {
  dev = await startDevServer(ACCOUNT, 'wifgate-one-time-', '[aws]\none_time_use = true\n');
  dev.sql(`CREATE USER fn_svc TYPE = SERVICE WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${ROLE}')`);
  roleEnv = { ...roleCredentials(dev.dir, ROLE), HOME: dev.dir };
});

after(() => dev?.stop());

async function login(token) {
  const response = await fetch(`${dev.info.url}/session/v1/login-request`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ data: { ACCOUNT_NAME: ACCOUNT, AUTHENTICATOR: 'WORKLOAD_IDENTITY',
                                   PROVIDER: 'AWS', TOKEN: token } }),
  });
  return response.json();
}

function newestLogin() {
  return JSON.parse(dev.sql(`SELECT user_name, is_success, error_code, error_message
      FROM snowflake.account_usage.login_history ORDER BY event_id`)).at(-1);
}

test('an attestation logs in once; its replay is refused and recorded', async () => {
  const attestation = wifgate(['attest', '--provider', 'aws'], roleEnv).trim();
  const first = await login(attestation);
  assert.equal(first.success, true, JSON.stringify(first));
  assert.ok(first.data.token);

  const replay = await login(attestation);
  assert.equal(replay.success, false);
  assert.match(replay.message, /already been used/);
  assert.doesNotMatch(JSON.stringify(replay), /Signature=|FwoG|DevSts/);  // nothing secret
  const row = newestLogin();
  assert.equal(row.IS_SUCCESS, 'NO');
  assert.equal(row.ERROR_CODE, 'aws.attestation_replayed');
  assert.match(row.ERROR_MESSAGE, /one_time_use/);
});

test('the Node connector logs in again with a new signature', async () => {
  const options = { authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'AWS' };
  await withEnv(roleEnv, async () => {
    for (let i = 0; i < 2; ++i) {
      // A new X-Amz-Date second, so a new signed request: within the same second the
      // connector's request is byte for byte the one `wifgate attest` signed above.
      await sleep(1100);
      const conn = await connect(dev.info.url, ACCOUNT, options);
      assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'FN_SVC' }]);
      await close(conn);
    }
  });
});
