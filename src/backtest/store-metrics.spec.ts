import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ClickHouseConfig } from '../config/vigil-config.js';
import { openClickHouse } from '../sink/clickhouse.client.js';
import type { BacktestReport } from './report.js';
import { storeMetrics } from './store-metrics.js';

const metrics = { events: 100, frauds: 5, auc_roc: 0.9, average_precision: 0.5, card_precision_at_100: 0.03 };
const report = {
  run_id: 'run-1',
  template: 'finance',
  created_at: '2026-11-25T10:00:00.000Z',
  handbook_protocol: metrics,
  all_transactions: metrics,
  alerts: { alerts: 4, precision: 0.75, recall: 0.6 },
  per_day: [{ day: '2018-07-25', ...metrics, alerts: 4, precision: 0.75, recall: 0.6 }],
  time_to_detection: { fraudCards: 2, detectedCards: 1, medianMs: 60_000, meanMs: 60_000, p90Ms: 60_000, medianTransactions: 1 },
  detectors: [{ detector: 'risk', type: 'risk_score', findings: 4, alerts: 4, precision: 0.75, recall: Number.NaN, frauds_only_it_caught: 3 }],
  contributions: { 'risk.contrib.amount': { mean_fraud: 2.5, mean_genuine: 0.5 } },
} as unknown as BacktestReport;

describe('storeMetrics', () => {
  it('migrates and writes a report as backtest_metrics rows, leaving out undefined (NaN) metrics', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vigil-bt-'));
    const config: ClickHouseConfig = { mode: 'embedded', path: dir, database: 'vigil_bt' };
    try {
      // 7 for the run, 6 for its one day, 2 for the detector (its recall is NaN), 1 contribution.
      expect(await storeMetrics(config, report)).toBe(16);
      const client = await openClickHouse(config);
      try {
        const result = await client.query({
          query: `SELECT detector, toString(day) AS day, metric, value FROM vigil_bt.backtest_metrics WHERE run_id = 'run-1' AND (metric IN ('auc_roc', 'contribution') OR detector = 'risk') ORDER BY detector, day, metric`,
          format: 'JSONEachRow',
        });
        expect(await result.json()).toEqual([
          { detector: '', day: '1970-01-01', metric: 'auc_roc', value: 0.9 },
          { detector: '', day: '2018-07-25', metric: 'auc_roc', value: 0.9 },
          { detector: 'amount', day: '1970-01-01', metric: 'contribution', value: 2 },
          { detector: 'risk', day: '1970-01-01', metric: 'alerts', value: 4 },
          { detector: 'risk', day: '1970-01-01', metric: 'precision', value: 0.75 },
        ]);
      } finally {
        await client.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
