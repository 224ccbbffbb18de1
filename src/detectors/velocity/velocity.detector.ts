import { defineDetector, type DetectorContext, type DetectorInstance } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { SlidingAggregate } from '../../runtime/windows/sliding-aggregate.js';
import { velocityParams, type VelocityParams } from './velocity.params.js';

/** Store holding each key's window; its value is SlidingAggregate's array with one header slot. */
export const VELOCITY_STORE = 'window';
/** Header slot: event time up to which findings for the key are suppressed (one per window). */
const QUIET_UNTIL = 0;

/**
 * Velocity: how many events, and how much money, one key (card, customer, terminal) moved in a
 * sliding event-time window ending at each event. A burst of card use is the classic sign of a
 * stolen card being cashed out before it is blocked.
 *
 * Per key it keeps ONE number array, [quietUntil, latest, bucketStart, count, sum, ...] (5 numbers
 * for a key seen once, 3 more per further bucket), so a million cards fit in memory. The window is
 * bucketed: its old edge is rounded forward to a bucket boundary (see SlidingAggregate), so it never
 * counts an event a full window old and may miss up to one bucket (window / buckets) of the oldest
 * events. It sets no timers: idle keys are evicted by the runtime after `stateTtl`, the window.
 */
export const velocityDetector = defineDetector<VelocityParams>({
  meta: {
    name: 'velocity',
    version: '2.0.0',
    description: 'Count and sum of amounts per key over a sliding event-time window',
    params: velocityParams,
    requiredFields: (p) => (p.maxAmount === undefined ? [p.key] : [p.key, p.amountField]),
    stateTtl: (p) => p.window,
  },
  create(context: DetectorContext, params: VelocityParams): DetectorInstance {
    const windows = SlidingAggregate.open(context, VELOCITY_STORE, {
      window: params.window,
      buckets: params.buckets,
      minMax: false,
      header: 1,
    });
    return {
      process(event: VigilEvent): void {
        const keyValue = event.fields[params.key];
        if (keyValue === null || keyValue === undefined) return;
        const key = String(keyValue);
        const amount = Number(event.fields[params.amountField] ?? 0) || 0;
        const window = windows.add(key, event.time, amount);
        if (!window) return;

        const { count, sum } = window;
        const overCount = count > params.maxCount;
        const overAmount = params.maxAmount !== undefined && sum > params.maxAmount;
        if (!(overCount || overAmount) || event.time < windows.header(key, QUIET_UNTIL)!) return;

        windows.setHeader(key, QUIET_UNTIL, event.time + params.window);
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
          windowStart: window.start,
          windowEnd: window.end,
          values: { count, amount: round2(sum) },
          thresholds,
          eventIds: [event.id],
        });
      },
    };
  },
});

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
