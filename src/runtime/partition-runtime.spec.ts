import { z } from 'zod';
import { testEvent } from './testing/detector-test-context.js';
import { defineDetector, type DetectorContext, type DetectorInstance } from '../model/detector.js';
import { testTemplate } from '../sink/testing/test-template.js';
import { PartitionRuntime, type DetectorSlot } from './partition-runtime.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 0, 1);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** A detector slot whose instance is whatever `create` builds from the context. */
function slot(id: string, create: (context: DetectorContext) => DetectorInstance, stateTtl = HOUR): DetectorSlot {
  const definition = defineDetector({
    meta: { name: id, version: '1', description: 'test', params: z.object({}), requiredFields: () => [], stateTtl: () => stateTtl },
    create,
  });
  return { id, definition, params: {} };
}

const event = (minutes: number) => testEvent(T0 + minutes * MINUTE, { tx_id: `e${minutes}`, card: 'card-1', ts: T0 + minutes * MINUTE, amount: 1 }, 'card-1');

describe('PartitionRuntime', () => {
  it('evicts a key idle for between one and two TTLs, at the second rotation after its last use', () => {
    // TTL = stateTtl 1h + the template's 30 s out-of-orderness; the first event starts the clock.
    const runtime = new PartitionRuntime(testTemplate(), [slot('d', (context) => {
      const store = context.store<number>('s');
      return { process: (e) => (e.time === T0 ? store.put('k', 1) : undefined) };
    })], quiet);
    const present: number[] = [];
    for (let minutes = 0; minutes <= 180; minutes += 10) {
      runtime.process(event(minutes));
      if (runtime.state.store('d', 's').size > 0) present.push(minutes);
    }
    // Rotations at watermark t0 − 30 s + 1h 30 s (the event at 70 min) and 70 min + 1h 30 s later (140 min).
    expect(present).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130]);
    expect(runtime.evicted).toBe(1);
  });

  it('fires a timer once the watermark passes it, attributing what it emits to the timer', () => {
    const runtime = new PartitionRuntime(testTemplate(), [slot('d', (context) => ({
      process: (e) => {
        if (e.time === T0) context.schedule('expire', 'card-1', T0 + 5 * MINUTE);
        context.emit({ entity: e.key, severity: 'low', kind: 'seen', title: 'seen', windowStart: e.time, windowEnd: e.time });
      },
      onTimer: (timer) => context.emit({ entity: timer.key, severity: 'low', kind: 'expired', title: 'expired', windowStart: timer.time, windowEnd: timer.time }),
    }))], quiet);
    const start = event(0);
    expect(runtime.process(start).findings).toMatchObject([{ kind: 'seen', trigger_event_id: start.id }]);
    // At 5 min the watermark is 4.5 min: not yet.
    expect(runtime.process(event(5)).findings.map((f) => f.kind)).toEqual(['seen']);
    const later = event(6);
    const due = runtime.process(later);
    expect(due.failures).toEqual([]);
    expect(due.findings).toMatchObject([
      { kind: 'expired', trigger_event_id: `timer:d:expire:card-1:${T0 + 5 * MINUTE}`, time: T0 + 5 * MINUTE },
      { kind: 'seen', trigger_event_id: later.id, time: T0 + 6 * MINUTE },
    ]);
    expect(runtime.timerCount).toBe(0);
  });

  it('gives later detectors the signals earlier ones published about the same event, and only that event', () => {
    const runtime = new PartitionRuntime(testTemplate(), [
      slot('a', (context) => ({ process: (e) => (e.time === T0 ? context.signal('x', 2) : undefined) })),
      slot('b', (context) => ({ process: () => context.signal('y', (context.signals().get('a.x') ?? 0) + 1) })),
    ], quiet);
    runtime.process(event(0));
    expect([runtime.signals.get('a.x'), runtime.signals.get('b.y')]).toEqual([2, 3]);
    runtime.process(event(1));
    expect([runtime.signals.get('a.x'), runtime.signals.get('b.y')]).toEqual([undefined, 1]);
  });

  it('reports a failing detector without stopping the others, and refuses emits outside a call', () => {
    let kept: DetectorContext | undefined;
    const runtime = new PartitionRuntime(testTemplate(), [
      slot('bad', () => ({ process: () => { throw new Error('boom'); } })),
      slot('good', (context) => {
        kept = context;
        return { process: (e) => context.emit({ entity: e.key, severity: 'low', kind: 'ok', title: 'ok', windowStart: e.time, windowEnd: e.time }) };
      }),
    ], quiet);
    const result = runtime.process(event(0));
    expect(result.failures).toMatchObject([{ detector: 'bad', error: { message: 'boom' } }]);
    expect(result.findings).toMatchObject([{ detector: 'good', kind: 'ok' }]);
    expect(() => kept!.emit({ entity: 'x', severity: 'low', kind: 'late', title: 'late', windowStart: T0, windowEnd: T0 })).toThrow(/emitted outside/);
  });
});
