import { isVigilError } from '../errors/vigil-error.js';
import { appliedMigrations, CORE_MIGRATIONS, runMigrations, type Migration } from './migrations.js';
import { openTempClickHouse, type TempClickHouse } from './testing/temp-clickhouse.js';

let engine: TempClickHouse;
beforeAll(async () => {
  engine = await openTempClickHouse();
});
afterAll(async () => {
  await engine.close();
});

async function tables(database: string): Promise<string[]> {
  const result = await engine.client.query({
    query: 'SELECT name FROM system.tables WHERE database = {db:String} ORDER BY name',
    query_params: { db: database },
    format: 'JSONEachRow',
  });
  return (await result.json<{ name: string }>()).map((row) => row.name);
}

async function recordedRows(database: string): Promise<number> {
  const result = await engine.client.query({ query: `SELECT count() AS n FROM \`${database}\`.vigil_migrations`, format: 'JSONEachRow' });
  return Number((await result.json<{ n: number }>())[0]?.n);
}

describe('runMigrations', () => {
  it('creates the core tables and records each version once, however often it runs', async () => {
    const db = await engine.database();
    const first = await runMigrations(engine.client, db);
    expect(first.applied.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await tables(db)).toEqual(['alert_deliveries', 'alerts', 'audit_log', 'backtest_metrics', 'consumer_lag', 'dead_letters', 'findings', 'fraud_labels', 'late_events', 'vigil_migrations']);

    const second = await runMigrations(engine.client, db);
    expect(second.applied).toEqual([]);
    expect(second.unknown).toEqual([]);
    expect(await recordedRows(db)).toBe(CORE_MIGRATIONS.length);
    const applied = await appliedMigrations(engine.client, db);
    expect(applied.map(({ version, name }) => ({ version, name }))).toEqual([
      { version: 1, name: 'create_findings' },
      { version: 2, name: 'create_alerts' },
      { version: 3, name: 'create_late_events' },
      { version: 4, name: 'create_alert_deliveries' },
      { version: 5, name: 'create_fraud_labels' },
      { version: 6, name: 'create_backtest_metrics' },
      { version: 7, name: 'create_dead_letters' },
      { version: 8, name: 'create_consumer_lag' },
      { version: 9, name: 'create_audit_log' },
      { version: 10, name: 'add_finding_labels' },
    ]);
    expect(applied[0]!.appliedAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('applies only the migrations added since the last run, in order', async () => {
    const db = await engine.database();
    const order: string[] = [];
    const step = (version: number, name: string): Migration => ({
      version,
      name,
      statements: (database) => {
        order.push(name);
        return [`CREATE TABLE IF NOT EXISTS \`${database}\`.${name} (a UInt8) ENGINE = MergeTree ORDER BY a`];
      },
    });
    await runMigrations(engine.client, db, [step(1, 'one')]);
    const report = await runMigrations(engine.client, db, [step(1, 'one'), step(2, 'two'), step(3, 'three')]);
    expect(report.applied.map((m) => m.name)).toEqual(['two', 'three']);
    expect(order).toEqual(['one', 'two', 'three']);
    expect(await recordedRows(db)).toBe(3);
  });

  it('refuses a recorded version whose name differs from the code', async () => {
    const db = await engine.database();
    await runMigrations(engine.client, db, [{ version: 1, name: 'one', statements: () => [] }]);
    const error: unknown = await runMigrations(engine.client, db, [{ version: 1, name: 'renamed', statements: () => [] }]).catch((e: unknown) => e);
    expect(isVigilError(error, 'VIGIL_SINK_MIGRATION')).toBe(true);
    expect((error as Error).message).toBe('migration 1 is recorded as "one" but this Vigil calls it "renamed"');
  });

  it('reports versions recorded by a newer Vigil without failing', async () => {
    const db = await engine.database();
    await runMigrations(engine.client, db, [
      { version: 1, name: 'one', statements: () => [] },
      { version: 2, name: 'two', statements: () => [] },
    ]);
    const report = await runMigrations(engine.client, db, [{ version: 1, name: 'one', statements: () => [] }]);
    expect(report.unknown.map((m) => m.name)).toEqual(['two']);
  });

  it('does not record a migration whose statement failed, so the next start retries it', async () => {
    const db = await engine.database();
    const broken: Migration = { version: 1, name: 'broken', statements: () => ['CREATE TABLE nonsense'] };
    await expect(runMigrations(engine.client, db, [broken])).rejects.toMatchObject({ code: 'VIGIL_SINK_MIGRATION' });
    expect(await appliedMigrations(engine.client, db)).toEqual([]);
  });

  it('rejects versions out of order', async () => {
    const db = await engine.database();
    const list: Migration[] = [
      { version: 2, name: 'b', statements: () => [] },
      { version: 1, name: 'a', statements: () => [] },
    ];
    await expect(runMigrations(engine.client, db, list)).rejects.toMatchObject({ code: 'VIGIL_SINK_MIGRATION' });
  });
});
