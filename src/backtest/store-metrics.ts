import type { ClickHouseConfig } from '../config/vigil-config.js';
import { openClickHouse } from '../sink/clickhouse.client.js';
import { qualifiedTable } from '../sink/identifiers.js';
import { runMigrations } from '../sink/migrations.js';
import { metricRows } from './metric-rows.js';
import type { BacktestReport } from './report.js';

/** Writes a report's metrics to `backtest_metrics` (migrating first); returns the rows written. */
export async function storeMetrics(config: ClickHouseConfig, report: BacktestReport): Promise<number> {
  const client = await openClickHouse(config);
  try {
    await runMigrations(client, config.database);
    const rows = metricRows(report);
    await client.insert({ table: qualifiedTable(config.database, 'backtest_metrics'), values: rows, format: 'JSONEachRow' });
    return rows.length;
  } finally {
    await client.close();
  }
}
