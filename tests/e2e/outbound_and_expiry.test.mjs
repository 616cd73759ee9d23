// End to end with the official Node connector (snowflake-sdk, unmodified) against
// `wifgate serve --dev`:
//   - AWS outbound-token mode: with workloadIdentityAwsUseOutboundToken the connector calls
//     STS GetWebIdentityToken itself (here the dev STS, through AWS_ENDPOINT_URL_STS) and
//     sends the JWT as TOKEN with PROVIDER=AWS; the server verifies it against the dev
//     STS's AWS-shaped issuer and the user registered with that ISSUER. The same login
//     through wifgate's own client (`wifgate query --aws-outbound-token`).
//   - An expired OIDC token: its own error code and message, and a failed LOGIN_HISTORY
//     row with the reason. The dev IdP backdates it (`mint --issued-ago`), so nothing
//     sleeps through the verifier's 60 s leeway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import snowflake from 'snowflake-sdk';
import { wifgate, startDevServer, roleCredentials, withEnv, connect, query, close }
  from './lib/dev_server.mjs';

const ACCOUNT = 'TESTACCT';
const AWS_ACCOUNT = '111111111111';
const LAMBDA_ROLE = `arn:aws:iam::${AWS_ACCOUNT}:role/service-role/my-function-role-abc123`;
const DEPLOY_ROLE = `arn:aws:iam::${AWS_ACCOUNT}:role/Deploy`;
const OIDC_SUBJECT = 'repo:acme/app:ref:refs/heads/main';

snowflake.configure({ logLevel: 'OFF' });

let dev, issuer;

before(async () => {
  dev = await startDevServer(ACCOUNT, 'wifgate-outbound-');
  issuer = dev.info.dev_aws_token_issuers[AWS_ACCOUNT];
  // The registry accepts only AWS's issuer shape for TYPE = AWS ISSUER.
  assert.match(issuer, /^https:\/\/[a-z0-9-]+\.tokens\.sts\.global\.api\.aws$/);
  dev.sql(`CREATE USER outbound_svc TYPE = SERVICE
             WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${LAMBDA_ROLE}' ISSUER = '${issuer}')`);
  dev.sql(`CREATE USER deploy_svc TYPE = SERVICE
             WORKLOAD_IDENTITY = (TYPE = AWS ARN = '${DEPLOY_ROLE}')`);
  dev.sql(`CREATE USER oidc_svc TYPE = SERVICE
             WORKLOAD_IDENTITY = (TYPE = OIDC ISSUER = '${dev.info.dev_idp}/oidc'
                                  SUBJECT = '${OIDC_SUBJECT}')`);
});

after(() => dev?.stop());

function loginHistory() {
  return JSON.parse(dev.sql(`SELECT event_id, user_name, is_success, error_code, error_message,
      first_authentication_factor, login_details
      FROM snowflake.account_usage.login_history ORDER BY event_id`));
}
const newest = () => loginHistory().at(-1);

// The role's credentials, and HOME away from any real ~/.aws, for the connector's AWS SDK.
function roleEnv(roleArn) {
  const creds = roleCredentials(dev.dir, roleArn);
  assert.equal(creds.AWS_ENDPOINT_URL_STS, dev.info.dev_sts);
  return { ...creds, HOME: dev.dir };
}
const outbound = { authenticator: 'WORKLOAD_IDENTITY', workloadIdentityProvider: 'AWS',
                   workloadIdentityAwsUseOutboundToken: true };

test('AWS outbound token (Node connector): GetWebIdentityToken JWT logs in as the user with that ISSUER',
  async () => {
    await withEnv(roleEnv(LAMBDA_ROLE), async () => {
      const conn = await connect(dev.info.url, ACCOUNT, outbound);
      assert.deepEqual(await query(conn, 'SELECT current_user()'),
                       [{ 'CURRENT_USER()': 'OUTBOUND_SVC' }]);
      await close(conn);
    });
    const row = newest();
    assert.equal(row.USER_NAME, 'OUTBOUND_SVC');
    assert.equal(row.IS_SUCCESS, 'YES');
    assert.equal(row.FIRST_AUTHENTICATION_FACTOR, 'WORKLOAD_IDENTITY');
    // The JWT path, not the SigV4 envelope: the identity came "via token from" the issuer.
    const details = row.LOGIN_DETAILS;
    assert.equal(details.provider, 'AWS');
    assert.equal(details.identity, `AWS role ${LAMBDA_ROLE} via token from ${issuer}`);
  });

test('AWS outbound token (Node connector): a role registered without ISSUER is refused, and the row says why',
  async () => {
    await withEnv(roleEnv(DEPLOY_ROLE), async () => {
      await assert.rejects(connect(dev.info.url, ACCOUNT, outbound), (err) => {
        assert.equal(err.code, '395002');
        assert.doesNotMatch(err.message, /OUTBOUND_SVC|DEPLOY_SVC|my-function-role/);
        return true;
      });
    });
    // The administrator's side has the whole story: which user, and the fix.
    const row = newest();
    assert.equal(row.IS_SUCCESS, 'NO');
    assert.equal(row.ERROR_CODE, 'registry.identity_not_registered');
    assert.match(row.ERROR_MESSAGE, /user DEPLOY_SVC has no ISSUER, which the AWS JWT method requires/);
    assert.ok(row.ERROR_MESSAGE.includes(`set ISSUER = '${issuer}'`));
  });

test('AWS outbound token (wifgate query, the C++ client): the same login through --aws-outbound-token',
  () => {
    const out = wifgate(['query', '--url', dev.info.url, '--account', ACCOUNT,
                         '--authenticator', 'workload_identity', '--provider', 'aws',
                         '--aws-outbound-token', '--allowed-host', '127.0.0.1', '--json',
                         'SELECT current_user() AS u'], roleEnv(LAMBDA_ROLE));
    assert.deepEqual(JSON.parse(out).rows, [['OUTBOUND_SVC']]);
    assert.match(newest().LOGIN_DETAILS.identity, /via token from /);
  });

test('OIDC (Node connector): an expired token is refused as expired, and LOGIN_HISTORY records it',
  async () => {
    const token = wifgate(['dev-idp', 'mint', '--data', dev.dir, '--kind', 'oidc',
                           '--sub', OIDC_SUBJECT, '--ttl', '600', '--issued-ago', '3600']).trim();
    await assert.rejects(
      connect(dev.info.url, ACCOUNT, { authenticator: 'WORKLOAD_IDENTITY',
                                       workloadIdentityProvider: 'OIDC', token }),
      (err) => {
        assert.equal(err.code, '395001');
        assert.match(err.message, /expired/i);
        return true;
      });
    const row = newest();
    assert.equal(row.IS_SUCCESS, 'NO');
    assert.equal(row.ERROR_CODE, 'jwt.expired');
    assert.match(row.ERROR_MESSAGE, /expired at \d{4}-\d\d-\d\dT/);
    assert.equal(row.USER_NAME, null);  // an unverified token names nobody
    assert.equal(row.LOGIN_DETAILS.provider, 'OIDC');
  });

test('OIDC (Node connector): a token that expired within the 60 s leeway still logs in', async () => {
  const token = wifgate(['dev-idp', 'mint', '--data', dev.dir, '--kind', 'oidc',
                         '--sub', OIDC_SUBJECT, '--ttl', '600', '--issued-ago', '620']).trim();
  const conn = await connect(dev.info.url, ACCOUNT, { authenticator: 'WORKLOAD_IDENTITY',
                                                      workloadIdentityProvider: 'OIDC', token });
  assert.deepEqual(await query(conn, 'SELECT current_user() AS u'), [{ U: 'OIDC_SVC' }]);
  await close(conn);
});
