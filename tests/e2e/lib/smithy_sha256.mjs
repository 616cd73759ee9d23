// The Sha256 constructor @smithy/signature-v4 expects (a hash, or an HMAC given a secret),
// built on node:crypto. Shared by the SigV4 cross-check test and bench/smithy_sign.mjs.
import { createHash, createHmac } from 'node:crypto';

export class Sha256 {
  constructor(secret) {
    this.h = secret ? createHmac('sha256', Buffer.from(secret)) : createHash('sha256');
  }
  update(data) {
    this.h.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}
