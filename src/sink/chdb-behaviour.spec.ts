import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Learning tests: the chdb behaviour the sink and the query service are designed around. Each
 * runs in its own process because it leaves the session changed for good. If one starts failing
 * after a chdb upgrade, revisit the design note it names.
 */

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const PRELUDE = `
const { createRequire } = require('node:module');
const req = createRequire(process.argv[2] + '/package.json');
const { createClient } = req('@clickhouse/client');
const { createChdbConnection } = req('chdb/connection');
const conn = createChdbConnection({ path: process.argv[3] });
const client = createClient({ connection: conn });
const attempt = (p) => p.then(() => 'ok', (e) => 'error: ' + e.message.split('\\n')[0]);
const main = async () => {
  await client.command({ query: 'CREATE TABLE t (a UInt8) ENGINE = MergeTree ORDER BY a' });
`;
const POSTLUDE = `
};
main().then(() => client.close(), (e) => { console.error(e); process.exit(1); });
`;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vigil-chdb-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function inNewProcess(name: string, body: string): Promise<string[]> {
  const script = path.join(tmp, `${name}.cjs`);
  await writeFile(script, PRELUDE + body + POSTLUDE);
  const { stdout } = await run(process.execPath, [script, repoRoot, path.join(tmp, name)]);
  return stdout.trim().split('\n');
}

describe('chdb 3.4 behaviour Vigil relies on', () => {
  it('keeps a per-call readonly=1 for the rest of the session (why query.service sends none on chdb)', async () => {
    const out = await inNewProcess(
      'readonly',
      `
  console.log(await attempt(client.query({ query: 'SELECT 1', format: 'JSONEachRow', clickhouse_settings: { readonly: '1' } })));
  console.log(await attempt(client.insert({ table: 't', values: [{ a: 1 }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'x' } })));
`,
    );
    expect(out[0]).toBe('ok');
    expect(out[1]).toMatch(/^error: .*readonly/);
  }, 60_000);

  it('keeps a per-call token for later inserts that send none (why every insert sends one)', async () => {
    const out = await inNewProcess(
      'token',
      `
  const insert = (a, settings) => client.insert({ table: 't', values: [{ a }], format: 'JSONEachRow', clickhouse_settings: settings });
  await client.command({ query: 'ALTER TABLE t MODIFY SETTING non_replicated_deduplication_window = 100' });
  await insert(1, { insert_deduplication_token: 'tok' });
  await insert(2, undefined);
  const rows = await (await client.query({ query: 'SELECT a FROM t ORDER BY a', format: 'JSONEachRow' })).json();
  console.log(JSON.stringify(rows.map((r) => r.a)));
`,
    );
    expect(out).toEqual(['[1]']);
  }, 60_000);

  it('applies the SETTINGS of a raw insert to that insert only (why the sink inserts through rawInsert)', async () => {
    const out = await inNewProcess(
      'raw-insert',
      `
  const raw = (a, settings) => conn.chdb.rawInsert({ table: 't', columns: ['a'], format: 'JSONCompactEachRow', values: Buffer.from('[' + a + ']\\n'), settings });
  await client.command({ query: 'ALTER TABLE t MODIFY SETTING non_replicated_deduplication_window = 100' });
  await raw(1, { insert_deduplication_token: 'tok', insert_deduplicate: 1 });
  await raw(2, { insert_deduplication_token: 'tok', insert_deduplicate: 1 });
  await raw(3, undefined);
  await raw(4, { insert_deduplication_token: 'other', insert_deduplicate: 1 });
  const rows = await (await client.query({ query: 'SELECT a FROM t ORDER BY a', format: 'JSONEachRow' })).json();
  console.log(JSON.stringify(rows.map((r) => r.a)));
  const token = await (await client.query({ query: "SELECT value FROM system.settings WHERE name = 'insert_deduplication_token'", format: 'JSONEachRow' })).json();
  console.log(JSON.stringify(token[0].value));
`,
    );
    expect(out).toEqual(['[1,3,4]', '""']);
  }, 60_000);

  it('does not keep a query-level SETTINGS clause (why query.service puts its limits there)', async () => {
    const out = await inNewProcess(
      'clause',
      `
  await client.query({ query: 'SELECT 1 SETTINGS max_execution_time = 7', format: 'JSONEachRow' });
  const rows = await (await client.query({ query: "SELECT value FROM system.settings WHERE name = 'max_execution_time'", format: 'JSONEachRow' })).json();
  console.log(rows[0].value);
`,
    );
    expect(out).toEqual(['0']);
  }, 60_000);
});
