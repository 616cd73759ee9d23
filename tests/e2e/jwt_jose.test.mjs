// Tokens minted by jose (an independent JOSE implementation) against `wifgate verify`:
// every supported algorithm verifies; the classic attacks are refused with named reasons.
// The issuer is a private one with a static JWKS, so nothing leaves the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';

const wifgate = process.env.WIFGATE_BIN;
const issuer = 'https://jose.test';
const dir = mkdtempSync(join(tmpdir(), 'wifgate-jose-'));
const algs = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'];
const keys = {};
const jwks = { keys: [] };
for (const alg of algs) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = await jose.exportJWK(publicKey);
  Object.assign(jwk, { kid: `k-${alg}`, alg, use: 'sig' });
  jwks.keys.push(jwk);
  keys[alg] = { privateKey, publicKey, jwk };
}
writeFileSync(join(dir, 'jwks.json'), JSON.stringify(jwks));
writeFileSync(
  join(dir, 'wifgate.toml'),
  `[[verify.issuer]]\nprovider = "oidc"\nissuer = "${issuer}"\njwks_file = "${join(dir, 'jwks.json')}"\n`,
);

function verify(token) {
  try {
    const out = execFileSync(
      wifgate,
      ['verify', '--provider', 'oidc', '--token', token, '--config', join(dir, 'wifgate.toml')],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    return JSON.parse(out);
  } catch (e) {
    return JSON.parse(e.stdout);
  }
}

async function mint(alg, { kid = `k-${alg}`, exp = '10m', sub = 'repo:org/app:ref:refs/heads/main' } = {}) {
  return new jose.SignJWT({})
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setSubject(sub)
    .setAudience('snowflakecomputing.com')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(keys[alg].privateKey);
}

for (const alg of algs) {
  test(`jose ${alg} token verifies`, async () => {
    const result = verify(await mint(alg));
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(result.issuer, issuer);
    assert.equal(result.subject, 'repo:org/app:ref:refs/heads/main');
  });
}

test('alg none is refused', async () => {
  const token = new jose.UnsecuredJWT({ sub: 's', aud: 'snowflakecomputing.com' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime('10m')
    .encode();
  // jose's form has an empty signature segment: refused as malformed before alg is read.
  assert.equal(verify(token).reason, 'jwt.malformed');
  // With some signature bytes, the alg itself is refused.
  assert.equal(verify(`${token}c2ln`).reason, 'jwt.alg_not_allowed');
});

test('HS256 keyed with the public key is refused', async () => {
  const pem = await jose.exportSPKI(keys.RS256.publicKey);
  for (const secret of [pem, JSON.stringify(keys.RS256.jwk)]) {
    const token = await new jose.SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'k-RS256' })
      .setIssuer(issuer)
      .setSubject('s')
      .setAudience('snowflakecomputing.com')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(secret));
    assert.equal(verify(token).reason, 'jwt.alg_not_allowed');
  }
});

test('a kid the issuer does not publish is refused', async () => {
  assert.equal(verify(await mint('ES256', { kid: 'not-published' })).reason, 'jwt.kid_unknown');
});

test('a kid of another algorithm is refused', async () => {
  assert.equal(verify(await mint('ES256', { kid: 'k-ES384' })).reason, 'jwt.key_alg_mismatch');
});

test('an expired token is refused', async () => {
  const past = Math.floor(Date.now() / 1000) - 3600;
  assert.equal(verify(await mint('RS256', { exp: past })).reason, 'jwt.expired');
});

test('a tampered payload is refused', async () => {
  const [h, , s] = (await mint('ES384')).split('.');
  const payload = jose.base64url.encode(JSON.stringify({ iss: issuer, sub: 'admin', aud: 'snowflakecomputing.com', iat: 1, exp: 9999999999 }));
  assert.equal(verify(`${h}.${payload}.${s}`).reason, 'jwt.signature_invalid');
});
