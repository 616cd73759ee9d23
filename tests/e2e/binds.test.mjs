// End to end: bind variables with the official Node connector — each JS type round-trips
// through `SELECT ?`, named and numbered markers, a multi-row INSERT with array binds (all
// rows or none), bad binds answered with their Snowflake errors, and describeOnly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import snowflake from 'snowflake-sdk';
import { startDevServer, connect, close } from './lib/dev_server.mjs';

snowflake.configure({ logLevel: 'OFF' });

let server, conn;

before(async () => {
  server = await startDevServer('BINDACCT', 'wifgate-binds-');
  server.sql("CREATE USER carol TYPE = PERSON PASSWORD = 'pw-for-carol'");
  conn = await connect(server.info.url, 'BINDACCT', { username: 'carol', password: 'pw-for-carol' });
});

after(async () => {
  if (conn) await close(conn);
  server?.stop();
});

function run(sqlText, binds) {
  return new Promise((resolve, reject) => {
    conn.execute({ sqlText, binds,
                   complete: (err, stmt, rows) => (err ? reject(err) : resolve(rows)) });
  });
}

test('each bind type comes back from SELECT ? with its JS type', async () => {
  const [row] = await run('SELECT ? AS i, ? AS r, ? AS t, ? AS b, ? AS f, ? AS o, ? AS a, ? AS n',
                          [42, 1.5, "it's", true, false, { k: [1, 'x'] }, [1, 2], null]);
  assert.deepEqual(row, { I: 42, R: 1.5, T: "it's", B: true, F: false, O: { k: [1, 'x'] },
                          A: [1, 2], N: null });
  assert.equal(typeof row.I, 'number');
  // A Date goes out as TEXT with its ISO string, and comes back as that string.
  const when = new Date('2024-02-29T12:34:56.789Z');
  assert.deepEqual(await run('SELECT ? AS d', [when]), [{ D: '2024-02-29T12:34:56.789Z' }]);
});

test('binds are values, never SQL', async () => {
  const evil = "x'); DROP TABLE nothing; --";
  assert.deepEqual(await run('SELECT ? AS s, length(?) AS l', [evil, evil]),
                   [{ S: evil, L: evil.length }]);
});

test('numbered markers reuse their binding', async () => {
  assert.deepEqual(await run('SELECT :2 AS x, :1 AS y, :2 || :1 AS z', ['a', 'b']),
                   [{ X: 'b', Y: 'a', Z: 'ba' }]);
});

test('array binds insert every row, then SELECT with binds finds them', async () => {
  await run('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, active BOOLEAN)');
  await run('INSERT INTO people VALUES (?, ?, ?)',
            [[1, 'ann', true], [2, 'ben', false], [3, null, true]]);
  assert.deepEqual(await run('SELECT id, name, active FROM people WHERE id >= ? ORDER BY id', [1]),
                   [{ ID: 1, NAME: 'ann', ACTIVE: true }, { ID: 2, NAME: 'ben', ACTIVE: false },
                    { ID: 3, NAME: null, ACTIVE: true }]);
  assert.deepEqual(await run('SELECT count(*) AS n FROM people WHERE active = ?', [true]),
                   [{ N: 2 }]);
});

test('a failing array row inserts no row at all', async () => {
  await run('CREATE TABLE uniq (id INTEGER PRIMARY KEY)');
  await assert.rejects(run('INSERT INTO uniq VALUES (?)', [[1], [2], [2], [3]]),
                       (err) => /row 3 of 4 failed, so no row was applied/.test(err.message));
  assert.deepEqual(await run('SELECT count(*) AS n FROM uniq'), [{ N: 0 }]);
});

// The connector always sends well-formed values (unit tests cover bad FIXED, REAL, … values:
// tests/unit/sql/binds_test.cc); what a Node user can get wrong is the markers.
test('bad binds get their Snowflake errors, naming the bind', async () => {
  await assert.rejects(run('SELECT ?, ?', [1]), (err) => {
    assert.equal(err.code, '002049');
    assert.match(err.message, /Bind variable \? number 2 not set/);
    return true;
  });
  await assert.rejects(run('SELECT ?', [1, 2]),
                       (err) => /Binding '2' matches no bind variable/.test(err.message));
  await assert.rejects(run('CREATE USER ?', ['mallory']),
                       (err) => /not supported in admin statements/.test(err.message));
  await assert.rejects(run('USE DATABASE ?', ['other']),
                       (err) => /take no bind variables/.test(err.message));
});

function describe(sqlText) {
  return new Promise((resolve, reject) => {
    conn.execute({ sqlText, describeOnly: true,
                   complete: (err, stmt, rows) => (err ? reject(err) : resolve({ stmt, rows })) });
  });
}

test('describeOnly answers the columns and runs nothing', async () => {
  await run('CREATE TABLE described (id INTEGER, name TEXT)');
  const select = await describe('SELECT id, name FROM described WHERE id = ?');
  assert.deepEqual(select.stmt.getColumns().map((c) => c.getName()), ['ID', 'NAME']);
  assert.deepEqual(select.rows, []);
  await describe("INSERT INTO described VALUES (1, 'x')");
  await describe('DROP TABLE described');
  assert.deepEqual(await run('SELECT count(*) AS n FROM described'), [{ N: 0 }]);
});
