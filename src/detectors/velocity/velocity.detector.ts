import { defineDetector, type DetectorContext, type DetectorInstance, type FiredTimer } from '../detector.js';
import type { VigilEvent } from '../../runtime/records.js';
import { velocityParams, type VelocityParams } from './velocity.params.js';

/** What the detector remembers per key: the events inside the window, oldest first. */
interface VelocityState {
  times: number[];
  amounts: number[];
  ids: string[];
  /** Event time up to which findings for this key are suppressed (one finding per window). */
  quietUntil: number;
}

const EXPIRE = 'expire';

/**
 * Velocity: how many events, and how much money, one key (card, customer, terminal) moved in a
 * sliding event-time window ending at each event. A burst of card use is the classic sign of a
 * stolen card being cashed out before it is blocked.
 */
export const velocityDetector = defineDetector<VelocityParams>({
  meta: {
    name: 'velocity',
    version: '1.0.0',
    description: 'Count and sum of amounts per key over a sliding event-time window',
    params: velocityParams,
    requiredFields: (p) => (p.maxAmount === undefined ? [p.key] : [p.key, p.amountField]),
    stateTtl: (p) => p.window,
  },
  create(context: DetectorContext, params: VelocityParams): DetectorInstance {
    const store = context.store<VelocityState>('window');
    return {
      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        if (keyValue === null || keyValue === undefined) return;
        const key = String(keyValue);
        const amount = Number(event.fields[params.amountField] ?? 0) || 0;
        const state = store.get(key) ?? { times: [], amounts: [], ids: [], quietUntil: -Infinity };
        insertInTimeOrder(state, event.time, amount, event.id);
        evictBefore(state, event.time - params.window);
        store.put(key, state);
        context.schedule(EXPIRE, key, state.times[state.times.length - 1]! + params.window);

        const count = state.times.length;
        const sum = state.amounts.reduce((a, b) => a + b, 0);
        const overCount = count > params.maxCount;
        const overAmount = params.maxAmount !== undefined && sum > params.maxAmount;
        if (!(overCount || overAmount) || event.time < state.quietUntil) return;

        state.quietUntil = event.time + params.window;
        const thresholds: Record<string, number> = { max_count: params.maxCount };
        if (params.maxAmount !== undefined) thresholds.max_amount = params.maxAmount;
        context.emit({
          entity: key,
          severity: params.severity,
          kind: overCount ? 'velocity.count' : 'velocity.amount',
          title: overCount
            ? `${count} transactions for ${params.key} ${key} within ${formatWindow(params.window)} (limit ${params.maxCount})`
            : `${sum.toFixed(2)} spent for ${params.key} ${key} within ${formatWindow(params.window)} (limit ${params.maxAmount})`,
          score: Math.min(1, Math.max(count / (params.maxCount + 1), params.maxAmount ? sum / params.maxAmount : 0) / 2),
          windowStart: state.times[0]!,
          windowEnd: event.time,
          values: { count, amount: round2(sum) },
          thresholds,
          eventIds: state.ids.slice(-params.maxEvidence),
        });
      },
      onTimer(timer: FiredTimer): void {
        const state = store.get(timer.key);
        if (!state) return;
        evictBefore(state, timer.time - params.window);
        if (state.times.length === 0 && timer.time >= state.quietUntil) store.delete(timer.key);
        else if (state.times.length === 0) context.schedule(EXPIRE, timer.key, state.quietUntil);
        else store.put(timer.key, state);
      },
    };
  },
});

function insertInTimeOrder(state: VelocityState, time: number, amount: number, id: string): void {
  let i = state.times.length;
  while (i > 0 && state.times[i - 1]! > time) i--;
  state.times.splice(i, 0, time);
  state.amounts.splice(i, 0, amount);
  state.ids.splice(i, 0, id);
}

/** Drops events at or before `cutoff`: the window is (t - window, t]. */
function evictBefore(state: VelocityState, cutoff: number): void {
  let n = 0;
  while (n < state.times.length && state.times[n]! <= cutoff) n++;
  if (n === 0) return;
  state.times.splice(0, n);
  state.amounts.splice(0, n);
  state.ids.splice(0, n);
}

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
