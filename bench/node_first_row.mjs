// The official Node connector doing what `wifgate query` does: WORKLOAD_IDENTITY login with
// provider AWS against the local server, SELECT current_user(), print the first row, exit.
// Run from bench/client_first_row.sh, which sets SNOWFLAKE_URL, SNOWFLAKE_ACCOUNT and the
// AWS variables. Resolves snowflake-sdk from tests/e2e/node_modules.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../tests/e2e/package.json', import.meta.url));
const snowflake = require('snowflake-sdk');
snowflake.configure({ logLevel: 'ERROR' });

const conn = snowflake.createConnection({
  account: process.env.SNOWFLAKE_ACCOUNT,
  accessUrl: process.env.SNOWFLAKE_URL,
  authenticator: 'WORKLOAD_IDENTITY',
  workloadIdentityProvider: 'AWS',
});
await new Promise((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve())));
const rows = await new Promise((resolve, reject) =>
  conn.execute({
    sqlText: 'SELECT current_user()',
    complete: (err, _stmt, r) => (err ? reject(err) : resolve(r)),
  }));
console.log(JSON.stringify(rows[0]));
process.exit(0);
