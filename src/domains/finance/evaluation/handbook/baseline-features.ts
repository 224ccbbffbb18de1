import type { TransactionTable } from './transaction-table.js';

const DAY = 86_400_000;
/** Windows of the Handbook's aggregated features, in days. */
const WINDOWS = [1, 7, 30] as const;
/** Terminal risk uses only labels at least this old: the Handbook's feedback delay. */
export const TERMINAL_DELAY = 7 * DAY;

/**
 * The 15 inputs of the Fraud Detection Handbook's baseline models (chapter 3, "Baseline feature
 * transformation"), in the order of its `input_features` list.
 */
export const BASELINE_FEATURES = [
  'TX_AMOUNT',
  'TX_DURING_WEEKEND',
  'TX_DURING_NIGHT',
  ...WINDOWS.flatMap((w) => [`CUSTOMER_ID_NB_TX_${w}DAY_WINDOW`, `CUSTOMER_ID_AVG_AMOUNT_${w}DAY_WINDOW`]),
  ...WINDOWS.flatMap((w) => [`TERMINAL_ID_NB_TX_${w}DAY_WINDOW`, `TERMINAL_ID_RISK_${w}DAY_WINDOW`]),
] as const;

/**
 * Computes the Handbook's features for any rows of a table. The Handbook builds them with pandas
 * `rolling('<n>d')` on each customer's (terminal's) transactions sorted by time, and the edges
 * follow from that: a window of n days at time t holds the group's rows with time in (t − n, t]
 * that come at or before the row itself in that order (a later row at the same second is not in).
 *
 * - customer: count and mean amount over the window, the current transaction included;
 * - terminal (get_count_risk_rolling_window): rolling(delay + n) minus rolling(delay), i.e. rows
 *   with time in (t − delay − n, t − delay]; risk = frauds / count there, 0 when there are none;
 * - TX_DURING_WEEKEND: Saturday or Sunday; TX_DURING_NIGHT: hour <= 6 (the code's test, although
 *   the text says "before 6am"). Times are the file's, read as UTC as the Handbook reads them.
 *
 * Only the past (and the row itself) enters a row's features, so a file that ends earlier than the
 * Handbook's gives the same values for the rows it has.
 */
export class BaselineFeatures {
  private readonly customers: GroupIndex;
  private readonly terminals: GroupIndex;

  constructor(private readonly table: TransactionTable) {
    this.customers = new GroupIndex(table, table.customer, table.customers.length);
    this.terminals = new GroupIndex(table, table.terminal, table.terminals.length);
  }

  /** Features of `rows`, row-major: out[r * 15 + j] is feature j of rows[r]. */
  of(rows: Int32Array): Float64Array {
    const dims = BASELINE_FEATURES.length;
    const out = new Float64Array(rows.length * dims);
    rows.forEach((row, r) => this.write(row, out, r * dims));
    return out;
  }

  private write(row: number, out: Float64Array, at: number): void {
    const { table, customers, terminals } = this;
    const t = table.time[row]!;
    const date = new Date(t);
    const weekday = date.getUTCDay();
    out[at++] = table.amount[row]!;
    out[at++] = weekday === 0 || weekday === 6 ? 1 : 0;
    out[at++] = date.getUTCHours() <= 6 ? 1 : 0;
    const c = customers.positionOf(row);
    for (const w of WINDOWS) {
      const first = customers.firstAfter(c, t - w * DAY);
      const count = c.position - first + 1;
      out[at++] = count;
      out[at++] = customers.amountSum(c, first, c.position + 1) / count;
    }
    const k = terminals.positionOf(row);
    const delayStart = terminals.firstAfter(k, t - TERMINAL_DELAY);
    for (const w of WINDOWS) {
      const first = terminals.firstAfter(k, t - TERMINAL_DELAY - w * DAY);
      const count = delayStart - first;
      out[at++] = count;
      out[at++] = count === 0 ? 0 : terminals.fraudCount(first, delayStart) / count;
    }
  }
}

interface Position {
  /** Index of the group's first member in `members`. */
  readonly start: number;
  /** Index of the row in `members`. */
  readonly position: number;
}

/**
 * Rows grouped by a key (customer or terminal), each group in time order (file order for equal
 * times), with running sums of amount and fraud so a window's totals are two look-ups.
 */
class GroupIndex {
  /** Row numbers, group after group. */
  private readonly members: Int32Array;
  private readonly memberTime: Float64Array;
  private readonly groupStart: Int32Array;
  /** Index of each row in `members`. */
  private readonly position: Int32Array;
  /** Sums over members[start of group .. k], per group (exact within a group, not across). */
  private readonly amountRunning: Float64Array;
  /** Frauds over members[0 .. k) (integers: exact across groups). */
  private readonly fraudBefore: Int32Array;
  private readonly groupOf: Int32Array;

  constructor(table: TransactionTable, key: Int32Array, groups: number) {
    const n = table.size;
    this.groupOf = key;
    const order = timeOrder(table.time);
    const counts = new Int32Array(groups + 1);
    for (let i = 0; i < n; i++) counts[key[i]! + 1]!++;
    for (let g = 0; g < groups; g++) counts[g + 1]! += counts[g]!;
    this.groupStart = counts.slice(0, groups);
    const next = counts.slice(0, groups);
    this.members = new Int32Array(n);
    this.position = new Int32Array(n);
    for (const row of order) {
      const k = next[key[row]!]!++;
      this.members[k] = row;
      this.position[row] = k;
    }
    this.memberTime = new Float64Array(n);
    this.amountRunning = new Float64Array(n);
    this.fraudBefore = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const row = this.members[k]!;
      const sameGroup = k > 0 && key[this.members[k - 1]!] === key[row];
      this.memberTime[k] = table.time[row]!;
      this.amountRunning[k] = (sameGroup ? this.amountRunning[k - 1]! : 0) + table.amount[row]!;
      this.fraudBefore[k + 1] = this.fraudBefore[k]! + table.fraud[row]!;
    }
  }

  positionOf(row: number): Position {
    return { start: this.groupStart[this.groupOf[row]!]!, position: this.position[row]! };
  }

  /** The first member of the row's group, up to the row itself, with time > after (the row's index + 1 when none). */
  firstAfter({ start, position }: Position, after: number): number {
    let lo = start;
    let hi = position + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.memberTime[mid]! > after) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Sum of amounts of members [from, to) of one group (from < to). */
  amountSum({ start }: Position, from: number, to: number): number {
    return this.amountRunning[to - 1]! - (from > start ? this.amountRunning[from - 1]! : 0);
  }

  fraudCount(from: number, to: number): number {
    return this.fraudBefore[to]! - this.fraudBefore[from]!;
  }
}

/** Row numbers by time, ties in file order (a history is usually sorted already: then no sort). */
function timeOrder(time: Float64Array): Int32Array {
  const order = new Int32Array(time.length);
  let sorted = true;
  for (let i = 0; i < time.length; i++) {
    order[i] = i;
    if (i > 0 && time[i]! < time[i - 1]!) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => time[a]! - time[b]! || a - b);
}
