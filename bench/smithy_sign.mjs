// The Node side of attest_process.sh: load the official connector's signer
// (@smithy/signature-v4, from tests/e2e/node_modules) and sign the same STS request
// `wifgate attest --provider aws` signs, printing the base64 envelope.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'e2e', 'package.json'));
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = await import(path.join(here, '..', 'tests', 'e2e', 'lib', 'smithy_sha256.mjs'));

const region = process.env.AWS_REGION;
const host = `sts.${region}.amazonaws.com`;
const signer = new SignatureV4({
  service: 'sts',
  applyChecksum: false, // as snowflake-sdk's attestation_aws.js signs
  region,
  sha256: Sha256,
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID,
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
    sessionToken: process.env.AWS_SESSION_TOKEN,
  },
});
const signed = await signer.sign({
  method: 'POST',
  protocol: 'https:',
  hostname: host,
  path: '/',
  query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
  headers: { host, 'x-snowflake-audience': 'snowflakecomputing.com' },
});
const envelope = JSON.stringify({
  url: `https://${host}/?Action=GetCallerIdentity&Version=2011-06-15`,
  method: 'POST',
  headers: signed.headers,
});
process.stdout.write(Buffer.from(envelope).toString('base64') + '\n');
