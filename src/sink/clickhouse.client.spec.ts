import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openClickHouse } from './clickhouse.client.js';
import { ClickHouseSink } from './clickhouse.sink.js';
import { runMigrations } from './migrations.js';
import { findingMessageRow } from './record-decoders.js';
import { FINDING_COLUMNS } from './row-mappers.js';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A plain Node script in a NEW process: opens the data directory with the same packages and
 * prints the findings it can see. chdb holds one process per data directory, so the parent must
 * have closed its client first (and gets "Cannot lock file" style errors otherwise).
 */
const CHILD = `
const { createRequire } = require('node:module');
const req = createRequire(process.argv[2] + '/package.json');
const { createClient } = req('@clickhouse/client');
const { createChdbConnection } = req('chdb/connection');
(async () => {
  const client = createClient({ connection: createChdbConnection({ path: process.argv[3] }) });
  try {
    const result = await client.query({ query: 'SELECT id FROM vigil.findings ORDER BY id', format: 'JSONEachRow' });
    console.log(JSON.stringify((await result.json()).map((r) => r.id)));
  } finally {
    await client.close();
  }
})().catch((error) => { console.error(error.message); process.exit(1); });
`;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vigil-ch-client-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const finding = (id: string, offset: number) =>
  findingMessageRow({
    topic: 'f',
    partition: 0,
    offset: String(offset),
    key: null,
    headers: {},
    timestamp: 0,
    value: Buffer.from(
      JSON.stringify({
        id,
        template: 't',
        detector: 'd',
        detector_type: 'd',
        detector_version: '1',
        entity: 'e',
        severity: 'low',
        kind: 'k',
        title: 'x',
        score: 0,
        time: Date.now(),
        window_start: Date.now(),
        window_end: Date.now(),
        values: {},
        thresholds: {},
        event_ids: [],
        trigger_event_id: '',
      }),
    ),
  });

describe('openClickHouse (embedded)', () => {
  it('creates the directory and database, binds unqualified names, and keeps rows for a new process', async () => {
    const dataDir = path.join(tmp, 'nested', 'clickhouse');
    const script = path.join(tmp, 'read-findings.cjs');
    await writeFile(script, CHILD);

    const client = await openClickHouse({ mode: 'embedded', path: dataDir, database: 'vigil' });
    try {
      expect(await readdir(dataDir)).not.toHaveLength(0);
      const current = await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' });
      expect(await current.json()).toEqual([{ db: 'vigil' }]);
      await runMigrations(client, 'vigil');
      await new ClickHouseSink(client, 'vigil').insert({ table: 'findings', columns: FINDING_COLUMNS, rows: [finding('a', 0), finding('b', 1)], token: 'f:0:0-1' });

      // While this process holds the directory, another process cannot open it.
      await expect(run(process.execPath, [script, repoRoot, dataDir])).rejects.toMatchObject({ code: 1 });
    } finally {
      await client.close();
    }

    const { stdout } = await run(process.execPath, [script, repoRoot, dataDir]);
    expect(JSON.parse(stdout)).toEqual(['a', 'b']);

    // And back in this process: reopening after the other process let go sees the same rows.
    const again = await openClickHouse({ mode: 'embedded', path: dataDir, database: 'vigil' });
    try {
      expect(await new ClickHouseSink(again, 'vigil').lastInsertedOffset('findings', 'f', 0)).toBe(1n);
      expect((await runMigrations(again, 'vigil')).applied).toEqual([]);
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('openClickHouse (server)', () => {
  it('fails with a retryable VIGIL_SINK_WRITE that does not echo the URL when the server is unreachable', async () => {
    const error: unknown = await openClickHouse({
      mode: 'server',
      url: 'http://127.0.0.1:1',
      user: 'user',
      password: 's3cret',
      database: 'vigil',
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VIGIL_SINK_WRITE', retryable: true });
    expect((error as Error).message).not.toContain('s3cret');
  });
});
