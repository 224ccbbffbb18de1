import { openTempClickHouse, type TempClickHouse } from '../sink/testing/temp-clickhouse.js';
import { dashboardUrl, explainAlert, reproducingSql } from './alert-explanation.js';
import { makeAlert, TEST_EXPLANATION_CONTEXT } from './testing/alert.fixture.js';

describe('alert explanation', () => {
  it('pairs values with thresholds of the same name or a max_/min_ prefix', () => {
    const base = makeAlert();
    const alert = { ...base, finding: { ...base.finding, values: { count: 7, amount: 105, ratio: 0.2 }, thresholds: { max_count: 6, min_ratio: 0.5 } } };
    expect(explainAlert(alert, TEST_EXPLANATION_CONTEXT).comparisons).toEqual([
      { name: 'count', value: 7, threshold: 6, threshold_name: 'max_count' },
      { name: 'amount', value: 105 },
      { name: 'ratio', value: 0.2, threshold: 0.5, threshold_name: 'min_ratio' },
    ]);
  });

  it('links the template dashboard per CONTRACTS.md: entity, detector, window ± 15 min', () => {
    const alert = makeAlert({ entity: 'card 1&2' });
    const url = new URL(dashboardUrl(alert, 'https://grafana.example.com/'));
    expect(url.origin + url.pathname).toBe('https://grafana.example.com/d/vigil-finance');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      'var-entity': 'card 1&2',
      'var-detector': 'card_velocity',
      from: String(alert.finding.window_start - 900_000),
      to: String(alert.finding.window_end + 900_000),
    });
  });

  describe('reproducing SQL (run on the real engine)', () => {
    let engine: TempClickHouse;
    beforeAll(async () => {
      engine = await openTempClickHouse();
    });
    afterAll(() => engine.close());

    it('selects exactly the contributing events of the window, with hostile ids escaped', async () => {
      const db = await engine.database();
      await engine.client.command({
        query: `CREATE TABLE \`${db}\`.finance_transactions (event_id String, event_time DateTime64(3, 'UTC'), amount Float64) ENGINE = MergeTree ORDER BY event_time`,
      });
      const base = makeAlert();
      const inWindow = base.finding.window_start + 1_000;
      await engine.client.insert({
        table: `${db}.finance_transactions`,
        format: 'JSONEachRow',
        values: [
          { event_id: "e1'); DROP TABLE x; --", event_time: inWindow, amount: 1 },
          { event_id: 'e2', event_time: inWindow + 1, amount: 2 },
          { event_id: 'e3', event_time: inWindow + 2, amount: 3 },
          { event_id: 'e2', event_time: base.finding.window_end + 60_000, amount: 4 },
        ],
      });
      const alert = { ...base, finding: { ...base.finding, event_ids: ["e1'); DROP TABLE x; --", 'e2'] } };
      const sql = reproducingSql(alert, { ...TEST_EXPLANATION_CONTEXT, database: db });
      const rows = await (await engine.client.query({ query: sql, format: 'JSONEachRow' })).json<{ event_id: string; amount: number }>();
      expect(rows.map((r) => [r.event_id, r.amount])).toEqual([
        ["e1'); DROP TABLE x; --", 1],
        ['e2', 2],
      ]);
    });
  });
});
