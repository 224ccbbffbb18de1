import { ClickHouseSink } from './clickhouse.sink.js';
import { runMigrations } from './migrations.js';
import { runReadOnlyQuery } from './query.service.js';
import { openTempClickHouse, type TempClickHouse } from './testing/temp-clickhouse.js';

let engine: TempClickHouse;
let db: string;
beforeAll(async () => {
  engine = await openTempClickHouse();
  db = await engine.database();
  await engine.client.command({ query: `CREATE TABLE \`${db}\`.numbers_t (n UInt32, s String) ENGINE = MergeTree ORDER BY n` });
  await engine.client.insert({
    table: `\`${db}\`.numbers_t`,
    values: Array.from({ length: 5 }, (_, n) => ({ n, s: n === 2 ? 'two\nlines, "quoted"' : `s${n}` })),
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: 'seed' },
  });
});
afterAll(async () => {
  await engine.close();
});

describe('runReadOnlyQuery', () => {
  it('returns JSON rows and says when maxRows cut them', async () => {
    const all = await runReadOnlyQuery(engine.client, `SELECT n FROM \`${db}\`.numbers_t ORDER BY n`);
    expect(all).toEqual({ format: 'JSONEachRow', rows: [0, 1, 2, 3, 4].map((n) => ({ n })), truncated: false });
    const cut = await runReadOnlyQuery(engine.client, `SELECT n FROM \`${db}\`.numbers_t ORDER BY n;`, { maxRows: 2 });
    expect(cut).toEqual({ format: 'JSONEachRow', rows: [{ n: 0 }, { n: 1 }], truncated: true });
    const exact = await runReadOnlyQuery(engine.client, `SELECT n FROM \`${db}\`.numbers_t`, { maxRows: 5 });
    expect(exact.truncated).toBe(false);
  });

  it('resolves unqualified names in the configured database', async () => {
    const result = await runReadOnlyQuery(engine.client, 'SELECT currentDatabase() AS db');
    expect(result).toMatchObject({ rows: [{ db: 'vigil_test' }] });
  });

  it('runs WITH, SHOW, DESCRIBE and EXPLAIN', async () => {
    expect(await runReadOnlyQuery(engine.client, 'WITH 2 AS x SELECT x * 21 AS y')).toMatchObject({ rows: [{ y: 42 }] });
    const tables = await runReadOnlyQuery(engine.client, `SHOW TABLES FROM \`${db}\``);
    expect(tables).toMatchObject({ rows: [{ name: 'numbers_t' }] });
    const described = await runReadOnlyQuery(engine.client, `DESCRIBE \`${db}\`.numbers_t`);
    expect(described.format === 'JSONEachRow' && described.rows.map((r) => r.name)).toEqual(['n', 's']);
    const explained = await runReadOnlyQuery(engine.client, 'EXPLAIN SELECT 1');
    expect(explained.format === 'JSONEachRow' && explained.rows.length).toBeGreaterThan(0);
  });

  it('returns TSV and CSV text with the header, cutting whole records', async () => {
    const sql = `SELECT n, s FROM \`${db}\`.numbers_t ORDER BY n`;
    expect(await runReadOnlyQuery(engine.client, sql, { format: 'TabSeparatedWithNames', maxRows: 3 })).toEqual({
      format: 'TabSeparatedWithNames',
      text: 'n\ts\n0\ts0\n1\ts1\n2\ttwo\\nlines, "quoted"\n',
      truncated: true,
    });
    expect(await runReadOnlyQuery(engine.client, sql, { format: 'CSVWithNames', maxRows: 3 })).toEqual({
      format: 'CSVWithNames',
      text: '"n","s"\n0,"s0"\n1,"s1"\n2,"two\nlines, ""quoted"""\n',
      truncated: true,
    });
    const whole = await runReadOnlyQuery(engine.client, sql, { format: 'CSVWithNames' });
    expect(whole.truncated).toBe(false);
  });

  it('refuses writes with VIGIL_QUERY and leaves the data alone', async () => {
    await expect(runReadOnlyQuery(engine.client, `DROP TABLE \`${db}\`.numbers_t`)).rejects.toMatchObject({ code: 'VIGIL_QUERY' });
    await expect(runReadOnlyQuery(engine.client, `SELECT 1; DROP TABLE \`${db}\`.numbers_t`)).rejects.toMatchObject({ code: 'VIGIL_QUERY' });
    const count = await runReadOnlyQuery(engine.client, `SELECT count() AS c FROM \`${db}\`.numbers_t`);
    expect(count).toMatchObject({ rows: [{ c: 5 }] });
  });

  it('reports ClickHouse errors as VIGIL_QUERY', async () => {
    await expect(runReadOnlyQuery(engine.client, 'SELECT * FROM no_such_table')).rejects.toMatchObject({
      code: 'VIGIL_QUERY',
      message: expect.stringContaining('no_such_table') as unknown,
    });
    await expect(runReadOnlyQuery(engine.client, 'SELECT 1 FORMAT CSV')).rejects.toMatchObject({ code: 'VIGIL_QUERY' });
  });

  it('leaves the session able to insert: no readonly or limit leaks into the sink', async () => {
    const target = await engine.database();
    await runMigrations(engine.client, target);
    await runReadOnlyQuery(engine.client, `SELECT n FROM \`${db}\`.numbers_t`, { maxRows: 1, maxExecutionSeconds: 1 });
    await new ClickHouseSink(engine.client, target).insert({ table: 'vigil_migrations', columns: ['version', 'name'], rows: [[99, 'after_query']], token: 'after-query' });
    const result = await engine.client.query({
      query: "SELECT name, value FROM system.settings WHERE name IN ('readonly', 'max_execution_time', 'limit')",
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual(
      expect.arrayContaining([
        { name: 'readonly', value: '0' },
        { name: 'max_execution_time', value: '0' },
        { name: 'limit', value: '0' },
      ]),
    );
    const rows = await runReadOnlyQuery(engine.client, `SELECT name FROM \`${target}\`.vigil_migrations WHERE version = 99`);
    expect(rows).toMatchObject({ rows: [{ name: 'after_query' }] });
  });
});
