import { z } from 'zod';
import { defineDetector, type DetectorContext } from '../../model/detector.js';
import { DetectorTestContext, testEvent } from './detector-test-context.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);

/** Counts events per key in a store and emits on every event; `leak` keeps the context to emit later. */
function counter(leak?: (context: DetectorContext) => void) {
  return defineDetector<Record<string, never>>({
    meta: { name: 'counter', version: '1', description: 'test', params: z.strictObject({}), requiredFields: () => [], stateTtl: () => 10 * MINUTE },
    create: (context) => {
      leak?.(context);
      const counts = context.store<number>('counts');
      return {
        process: (event) => {
          const count = (counts.get(event.key) ?? 0) + 1;
          counts.put(event.key, count);
          context.emit({ entity: event.key, severity: 'info', kind: 'count', title: String(count), windowStart: event.time, windowEnd: event.time });
        },
      };
    },
  });
}

describe('DetectorTestContext (the real PartitionRuntime)', () => {
  it('drops an event later than the allowed lateness, as the runtime does', () => {
    const ctx = DetectorTestContext.start(counter(), {});
    ctx.process(testEvent(T0 + 5 * MINUTE, { k: 'a' }));
    expect(ctx.process(testEvent(T0, { k: 'a' }))).toEqual([]);
    expect(ctx.late).toHaveLength(1);
    const lenient = DetectorTestContext.start(counter(), {}, { allowedLateness: 10 * MINUTE });
    lenient.process(testEvent(T0 + 5 * MINUTE, { k: 'a' }));
    expect(lenient.process(testEvent(T0, { k: 'a' }))).toHaveLength(1);
  });

  it('refuses an emit outside process and onTimer', () => {
    let leaked: DetectorContext | undefined;
    DetectorTestContext.start(
      counter((context) => (leaked = context)),
      {},
    );
    expect(() => leaked!.emit({ entity: 'a', severity: 'info', kind: 'x', title: '', windowStart: T0, windowEnd: T0 })).toThrow('emitted outside process/onTimer');
  });

  it('evicts keys idle longer than the state TTL', () => {
    const ctx = DetectorTestContext.start(counter(), {});
    ctx.process(testEvent(T0, { k: 'a' }));
    expect(ctx.keyCount()).toBe(1);
    // Eviction goes by generations of the TTL: gone within two of them.
    for (let minute = 10; minute <= 120; minute += 10) ctx.advanceTo(T0 + minute * MINUTE);
    expect(ctx.store<number>('counts').get('a')).toBeUndefined();
  });

  it('restarts from its changelog with the same state', () => {
    const ctx = DetectorTestContext.start(counter(), {});
    ctx.process(testEvent(T0, { k: 'a' }));
    ctx.process(testEvent(T0 + 1, { k: 'a' }));
    const restarted = ctx.restarted();
    expect(restarted.store<number>('counts').get('a')).toBe(2);
    expect(restarted.process(testEvent(T0 + 2, { k: 'a' }))[0]?.title).toBe('3');
  });
});
