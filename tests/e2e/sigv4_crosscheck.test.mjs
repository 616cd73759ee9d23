// Cross-check: @smithy/signature-v4 (the signer inside the official Node connector, at the
// version snowflake-sdk 3.3.0 resolves) signs the same sts:GetCallerIdentity request, with
// the same credentials and time, as `wifgate attest --provider aws --at T`; the attestation
// envelopes must be identical strings (same headers, order, casing, signature).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Sha256 } from './lib/smithy_sha256.mjs';
import { SignatureV4 } from '@smithy/signature-v4';

const WIFGATE = process.env.WIFGATE_BIN;
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

function wifgateEnvelope({ region, sessionToken, at, audience, stsHost }) {
  const args = ['attest', '--provider', 'aws', '--json', '--at', at];
  if (audience) args.push('--audience', audience);
  if (stsHost) args.push('--sts-host', stsHost);
  const env = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    AWS_ACCESS_KEY_ID: AKID,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (sessionToken) env.AWS_SESSION_TOKEN = sessionToken;
  const out = JSON.parse(execFileSync(WIFGATE, args, { env, encoding: 'utf8' }));
  assert.equal(out.provider, 'AWS');
  return Buffer.from(out.token, 'base64').toString('utf8');
}

async function smithyEnvelope({ region, sessionToken, at, audience, stsHost }) {
  const host = stsHost ?? `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  const signer = new SignatureV4({
    service: 'sts',
    applyChecksum: false, // as snowflake-sdk's attestation_aws.js signs
    region,
    sha256: Sha256,
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET, sessionToken },
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, 'x-snowflake-audience': audience ?? 'snowflakecomputing.com' },
    },
    { signingDate: new Date(at) },
  );
  return JSON.stringify({
    url: `https://${host}/?Action=GetCallerIdentity&Version=2011-06-15`,
    method: 'POST',
    headers: signed.headers,
  });
}

const cases = [
  { name: 'long-term keys', region: 'us-east-1', at: '2026-11-29T09:48:48Z' },
  {
    name: 'session token with / + =',
    region: 'us-east-1',
    at: '2026-11-29T09:48:49Z',
    sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE+token/with+slashes==',
  },
  { name: 'China partition', region: 'cn-north-1', at: '2025-02-28T23:59:59Z' },
  { name: 'GovCloud', region: 'us-gov-west-1', at: '2024-02-29T00:00:00Z' },
  {
    name: 'custom audience and FIPS host',
    region: 'us-west-2',
    at: '2026-01-01T12:00:00Z',
    audience: 'example.audience',
    stsHost: 'sts-fips.us-west-2.amazonaws.com',
  },
];

for (const c of cases) {
  test(`wifgate and @smithy/signature-v4 sign identically: ${c.name}`, async () => {
    assert.ok(WIFGATE, 'WIFGATE_BIN is not set; run through tests/e2e/run');
    const ours = wifgateEnvelope(c);
    const theirs = await smithyEnvelope(c);
    assert.equal(ours, theirs);
  });
}

test('a different time gives a different signature (the check can fail)', async () => {
  const ours = wifgateEnvelope(cases[0]);
  const theirs = await smithyEnvelope({ ...cases[0], at: '2026-11-29T09:48:47Z' });
  assert.notEqual(ours, theirs);
});
