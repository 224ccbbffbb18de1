import { BASELINE_FEATURES, BaselineFeatures } from './baseline-features.js';
import type { TransactionTable } from './transaction-table.js';

const DAY = 86_400_000;
const SECOND = 1000;
/** Wednesday 2018-07-25 12:00 UTC. */
const T = Date.UTC(2018, 6, 25, 12);

/** A table from [time, customer, terminal, amount, fraud] rows, in the given (file) order. */
function table(rows: [number, number, number, number, number][]): TransactionTable {
  const ids = (column: number) => [...new Set(rows.map((r) => r[column]!))].map(String);
  return {
    size: rows.length,
    time: Float64Array.from(rows.map((r) => r[0])),
    customer: Int32Array.from(rows.map((r) => r[1])),
    terminal: Int32Array.from(rows.map((r) => r[2])),
    amount: Float64Array.from(rows.map((r) => r[3])),
    fraud: Uint8Array.from(rows.map((r) => r[4])),
    customers: ids(1),
    terminals: ids(2),
    skipped: 0,
  };
}

function featuresOf(t: TransactionTable, row: number): Record<string, number> {
  const values = new BaselineFeatures(t).of(Int32Array.from([row]));
  return Object.fromEntries(BASELINE_FEATURES.map((name, j) => [name, values[j]!]));
}

describe('Handbook baseline features', () => {
  it('customer windows are (t − n days, t] and include the transaction itself', () => {
    const t = table([
      [T - 30 * DAY, 0, 0, 1000, 0], // exactly 30 days before: outside every window
      [T - 30 * DAY + SECOND, 0, 0, 70, 0], // in the 30-day window only
      [T - DAY, 0, 0, 50, 0], // exactly 1 day before: in the 7-day window, not the 1-day one
      [T - DAY + SECOND, 0, 0, 30, 0],
      [T - 3 * DAY, 1, 0, 999, 0], // another customer
      [T, 0, 0, 10, 0],
    ]);
    const f = featuresOf(t, 5);
    expect(f.CUSTOMER_ID_NB_TX_1DAY_WINDOW).toBe(2);
    expect(f.CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW).toBe(20);
    expect(f.CUSTOMER_ID_NB_TX_7DAY_WINDOW).toBe(3);
    expect(f.CUSTOMER_ID_AVG_AMOUNT_7DAY_WINDOW).toBe(30);
    expect(f.CUSTOMER_ID_NB_TX_30DAY_WINDOW).toBe(4);
    expect(f.CUSTOMER_ID_AVG_AMOUNT_30DAY_WINDOW).toBe(40);
    expect(f.TX_AMOUNT).toBe(10);
  });

  it('a transaction at the same second counts only for the one after it in file order (pandas rolling)', () => {
    const t = table([
      [T, 0, 0, 10, 0],
      [T, 0, 0, 30, 0],
    ]);
    expect(featuresOf(t, 0).CUSTOMER_ID_NB_TX_1DAY_WINDOW).toBe(1);
    expect(featuresOf(t, 1).CUSTOMER_ID_NB_TX_1DAY_WINDOW).toBe(2);
    expect(featuresOf(t, 1).CUSTOMER_ID_AVG_AMOUNT_1DAY_WINDOW).toBe(20);
  });

  it('terminal windows are (t − 7 days − n, t − 7 days]: the last 7 days of labels are not known yet', () => {
    const t = table([
      [T - 37 * DAY, 9, 0, 1, 1], // exactly delay + 30 days before: outside (left edge open)
      [T - 37 * DAY + SECOND, 9, 0, 1, 0], // 30-day window
      [T - 8 * DAY, 9, 0, 1, 1], // exactly delay + 1 day before: 7-day window, not the 1-day one
      [T - 8 * DAY + SECOND, 9, 0, 1, 1], // 1-day window
      [T - 7 * DAY, 9, 0, 1, 0], // exactly the delay before: last instant of the windows (right edge closed)
      [T - 7 * DAY + SECOND, 9, 0, 1, 1], // within the delay: unknown
      [T - DAY, 9, 0, 1, 1], // within the delay
      [T - 2 * DAY, 9, 1, 1, 1], // another terminal
      [T, 5, 0, 1, 0],
    ]);
    const f = featuresOf(t, 8);
    expect(f.TERMINAL_ID_NB_TX_1DAY_WINDOW).toBe(2);
    expect(f.TERMINAL_ID_RISK_1DAY_WINDOW).toBe(0.5);
    expect(f.TERMINAL_ID_NB_TX_7DAY_WINDOW).toBe(3);
    expect(f.TERMINAL_ID_RISK_7DAY_WINDOW).toBeCloseTo(2 / 3, 12);
    expect(f.TERMINAL_ID_NB_TX_30DAY_WINDOW).toBe(4);
    expect(f.TERMINAL_ID_RISK_30DAY_WINDOW).toBe(0.5);
  });

  it('terminal risk is 0 when its window is empty, and a row never counts itself', () => {
    const t = table([
      [T - DAY, 0, 0, 1, 1],
      [T, 0, 0, 1, 1],
    ]);
    const f = featuresOf(t, 1);
    expect(f.TERMINAL_ID_NB_TX_1DAY_WINDOW).toBe(0);
    expect(f.TERMINAL_ID_RISK_1DAY_WINDOW).toBe(0);
    expect(f.TERMINAL_ID_NB_TX_30DAY_WINDOW).toBe(0);
    expect(f.TERMINAL_ID_RISK_30DAY_WINDOW).toBe(0);
  });

  it('weekend is Saturday and Sunday (UTC); night is hours 0 to 6 included', () => {
    const saturday = Date.UTC(2018, 6, 28);
    const t = table([
      [saturday + 6 * 3_600_000 + 59 * 60 * SECOND, 0, 0, 1, 0],
      [saturday + 7 * 3_600_000, 0, 0, 1, 0],
      [Date.UTC(2018, 6, 29, 23, 59), 0, 0, 1, 0], // Sunday
      [Date.UTC(2018, 6, 30, 0, 0), 0, 0, 1, 0], // Monday, midnight
    ]);
    expect([0, 1, 2, 3].map((row) => [featuresOf(t, row).TX_DURING_WEEKEND, featuresOf(t, row).TX_DURING_NIGHT])).toEqual([
      [1, 1],
      [1, 0],
      [1, 0],
      [0, 1],
    ]);
  });

  it('groups an unsorted file by time, as the Handbook sorts each group', () => {
    const t = table([
      [T, 0, 0, 10, 0],
      [T - 2 * DAY, 0, 0, 30, 0],
    ]);
    expect(featuresOf(t, 0).CUSTOMER_ID_NB_TX_7DAY_WINDOW).toBe(2);
    expect(featuresOf(t, 1).CUSTOMER_ID_NB_TX_7DAY_WINDOW).toBe(1);
  });
});
