import type { ClickHouseClient } from '@clickhouse/client';

/**
 * STAND-IN, remove at merge: the tables other branches create as core migrations 4–6
 * (alert_deliveries: issue-5, fraud_labels: issue-6b, backtest_metrics: issue-6a), with exactly
 * the columns of the cross-helper contract, so dashboard SQL can be tested against them before
 * those migrations land. Each is created only if missing, so once the real migrations run first
 * this helper changes nothing.
 */
const STANDIN_TABLES: Readonly<Record<string, string>> = {
  alert_deliveries: `(
  time DateTime64(3, 'UTC'), alert_id String, fingerprint String, template LowCardinality(String),
  detector LowCardinality(String), entity String, severity LowCardinality(String), receiver LowCardinality(String),
  receiver_type LowCardinality(String), attempt UInt32, outcome LowCardinality(String), http_status UInt16,
  latency_ms Float64, error String
) ENGINE = MergeTree ORDER BY (template, receiver, time)`,
  fraud_labels: `(
  time DateTime64(3, 'UTC'), labelled_at DateTime64(3, 'UTC'), template LowCardinality(String), event_id String,
  entity String, customer_id String, terminal_id String, fraud UInt8, scenario LowCardinality(String)
) ENGINE = MergeTree ORDER BY (template, time)`,
  backtest_metrics: `(
  run_id String, created_at DateTime64(3, 'UTC'), template LowCardinality(String), detector LowCardinality(String),
  day Date, metric LowCardinality(String), value Float64
) ENGINE = MergeTree ORDER BY (template, run_id, detector, day, metric)`,
};

/** Creates whichever of the three contract tables does not exist yet in `database`; returns their names. */
export async function createMissingContractTables(client: ClickHouseClient, database: string): Promise<string[]> {
  const created: string[] = [];
  for (const [table, definition] of Object.entries(STANDIN_TABLES)) {
    const result = await client.query({
      query: 'SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = {table:String}',
      query_params: { db: database, table },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: number | string }>();
    if (Number(row?.n) > 0) continue;
    await client.command({ query: `CREATE TABLE \`${database}\`.\`${table}\` ${definition}` });
    created.push(table);
  }
  return created;
}
