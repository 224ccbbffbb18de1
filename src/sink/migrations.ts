import type { ClickHouseClient } from '@clickhouse/client';
import { VigilError } from '../errors/vigil-error.js';
import { createBacktestMetricsTable } from './ddl/backtest-metrics.ddl.js';
import { createLateEventsTable } from './ddl/late-events.ddl.js';
import { createAlertDeliveriesTable } from './ddl/alert-deliveries.ddl.js';
import { createAlertsTable } from './ddl/alerts.ddl.js';
import { createAuditLogTable } from './ddl/audit-log.ddl.js';
import { createConsumerLagTable } from './ddl/consumer-lag.ddl.js';
import { createDeadLettersTable } from './ddl/dead-letters.ddl.js';
import { createFindingsTable } from './ddl/findings.ddl.js';
import { createFraudLabelsTable } from './ddl/fraud-labels.ddl.js';
import { qualifiedTable } from './identifiers.js';
import { insertSettings } from './insert-settings.js';

/**
 * Versioned schema changes of the core tables, run at start-up in version order, each recorded in
 * `vigil_migrations` once applied. Contract for every migration: its statements are idempotent
 * (IF NOT EXISTS / IF EXISTS), because a crash between a statement and its record re-runs it, and
 * two processes starting together against one server may both run it. Released migrations are
 * never edited; a change is a new version. Template events tables are not migrations: they follow
 * the template and are reconciled by events-table.ts.
 */
export interface Migration {
  readonly version: number;
  /** snake_case, stable: a recorded version whose name differs means the code and database disagree. */
  readonly name: string;
  statements(database: string): readonly string[];
}

export const CORE_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'create_findings', statements: (db) => [createFindingsTable(db)] },
  { version: 2, name: 'create_alerts', statements: (db) => [createAlertsTable(db)] },
  { version: 3, name: 'create_late_events', statements: (db) => [createLateEventsTable(db)] },
  { version: 4, name: 'create_alert_deliveries', statements: (db) => [createAlertDeliveriesTable(db)] },
  { version: 5, name: 'create_fraud_labels', statements: (db) => [createFraudLabelsTable(db)] },
  { version: 6, name: 'create_backtest_metrics', statements: (db) => [createBacktestMetricsTable(db)] },
  { version: 7, name: 'create_dead_letters', statements: (db) => [createDeadLettersTable(db)] },
  { version: 8, name: 'create_consumer_lag', statements: (db) => [createConsumerLagTable(db)] },
  { version: 9, name: 'create_audit_log', statements: (db) => [createAuditLogTable(db)] },
  {
    version: 10,
    name: 'add_finding_labels',
    // The template's label fields of a finding (Finding.labels: the health template's ward).
    statements: (db) => [
      `ALTER TABLE ${qualifiedTable(db, 'findings')} ADD COLUMN IF NOT EXISTS \`labels\` Map(String, String) AFTER \`trigger_event_id\``,
      `ALTER TABLE ${qualifiedTable(db, 'alerts')} ADD COLUMN IF NOT EXISTS \`labels\` Map(String, String) AFTER \`finding\``,
    ],
  },
];

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  /** Epoch ms of the first recording. */
  readonly appliedAt: number;
}

export interface MigrationReport {
  /** Migrations this run applied, in order. */
  readonly applied: readonly Migration[];
  /** Versions recorded in the database that this code does not know (a newer Vigil ran here). */
  readonly unknown: readonly AppliedMigration[];
}

export async function runMigrations(
  client: ClickHouseClient,
  database: string,
  migrations: readonly Migration[] = CORE_MIGRATIONS,
): Promise<MigrationReport> {
  assertOrdered(migrations);
  await guard('create vigil_migrations', () => client.command({ query: createMigrationsTable(database) }));
  const recorded = new Map((await appliedMigrations(client, database)).map((m) => [m.version, m]));
  for (const migration of migrations) {
    const done = recorded.get(migration.version);
    if (done && done.name !== migration.name) {
      throw new VigilError(
        'VIGIL_SINK_MIGRATION',
        `migration ${migration.version} is recorded as "${done.name}" but this Vigil calls it "${migration.name}"`,
      );
    }
  }
  const applied: Migration[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.version)) continue;
    for (const [index, query] of migration.statements(database).entries()) {
      await guard(`migration ${migration.version} ${migration.name} statement ${index + 1}`, () => client.command({ query }));
    }
    await guard(`record migration ${migration.version}`, () =>
      client.insert({
        table: qualifiedTable(database, 'vigil_migrations'),
        values: [{ version: migration.version, name: migration.name }],
        format: 'JSONEachRow',
        // A fixed token per version: a second recording (racing process, re-run) is a no-op.
        clickhouse_settings: insertSettings(`vigil-migration-${migration.version}`),
      }),
    );
    applied.push(migration);
  }
  const known = new Set(migrations.map((m) => m.version));
  return { applied, unknown: [...recorded.values()].filter((m) => !known.has(m.version)) };
}

/** What the database has recorded, one entry per version, in version order. */
export async function appliedMigrations(client: ClickHouseClient, database: string): Promise<AppliedMigration[]> {
  const rows = await guard('read vigil_migrations', async () => {
    const result = await client.query({
      query: `SELECT version, any(name) AS name, toUnixTimestamp64Milli(min(applied_at)) AS applied_at
              FROM ${qualifiedTable(database, 'vigil_migrations')} GROUP BY version ORDER BY version`,
      format: 'JSONEachRow',
    });
    return result.json<{ version: number; name: string; applied_at: number | string }>();
  });
  return rows.map((row) => ({ version: row.version, name: row.name, appliedAt: Number(row.applied_at) }));
}

function createMigrationsTable(database: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualifiedTable(database, 'vigil_migrations')} (
  \`version\` UInt32,
  \`name\` String,
  \`applied_at\` DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY \`version\`
SETTINGS non_replicated_deduplication_window = 1000`;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (!Number.isInteger(migration.version) || migration.version < 1 || (previous && migration.version <= previous.version)) {
      throw new VigilError('VIGIL_SINK_MIGRATION', `migration versions must be increasing positive integers (at ${migration.version} ${migration.name})`);
    }
  });
}

async function guard<T>(step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new VigilError('VIGIL_SINK_MIGRATION', `${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
