import { z } from 'zod';
import { testEvent } from './testing/detector-test-context.js';
import { defineDetector } from '../model/detector.js';
import { testTemplate } from '../sink/testing/test-template.js';
import { FeedbackBuffer } from './feedback-buffer.js';
import { decodeFeedbackLabel } from '../model/feedback-label.js';
import { PartitionRuntime } from './partition-runtime.js';
import type { FeedbackLabel } from '../model/records.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** Records the labels it is given, with the partition's event time at that moment, and emits on fraud. */
function recorder(seen: { id: string; at: number }[]) {
  return defineDetector({
    meta: { name: 'learner', version: '1', description: 'test', params: z.object({}), requiredFields: () => [], stateTtl: () => HOUR },
    create: (context) => ({
      process: () => undefined,
      onFeedback(label: FeedbackLabel) {
        seen.push({ id: label.event_id, at: context.now() });
        if (label.fraud) context.emit({ entity: label.terminal_id, severity: 'low', kind: 'learned', title: 'fraud label', windowStart: label.time, windowEnd: label.labelled_at });
      },
    }),
  });
}

const label = (id: string, labelledAtHours: number, fraud = false): FeedbackLabel => ({
  event_id: id,
  time: T0,
  labelled_at: T0 + labelledAtHours * HOUR,
  entity: 'card-1',
  customer_id: 'cus-1',
  terminal_id: 'term-1',
  fraud,
  scenario: fraud ? 'compromised_terminal' : 'genuine',
});
const event = (hours: number) => testEvent(T0 + hours * HOUR, { tx_id: `e${hours}`, card: 'card-1', ts: T0 + hours * HOUR, amount: 1 }, 'card-1');

function runtimeWith(buffer: FeedbackBuffer, seen: { id: string; at: number }[]) {
  const template = testTemplate();
  const runtime = new PartitionRuntime(template, [{ id: 'learner', definition: recorder(seen), params: {} }], quiet);
  runtime.useFeedback(buffer);
  return runtime;
}

describe('fraud labels delivered to detectors', () => {
  it('gives a label once event time reaches its labelled_at, never earlier, before the event that got there', () => {
    const buffer = new FeedbackBuffer();
    buffer.add(0, 0, label('a', 2, true));
    buffer.add(0, 1, label('b', 5));
    const seen: { id: string; at: number }[] = [];
    const runtime = runtimeWith(buffer, seen);
    runtime.process(event(1));
    expect(seen).toEqual([]);
    const result = runtime.process(event(2));
    expect(seen).toEqual([{ id: 'a', at: T0 + 2 * HOUR }]);
    // What a detector emits from a label is a finding like any other, attributed to the label.
    expect(result.findings).toMatchObject([{ detector: 'learner', kind: 'learned', trigger_event_id: `feedback:a:${T0 + 2 * HOUR}`, time: T0 + 2 * HOUR }]);
    runtime.process(event(4.9));
    expect(seen).toHaveLength(1);
    runtime.process(event(6));
    expect(seen.map((s) => s.id)).toEqual(['a', 'b']);
  });

  it('gives a label read after event time passed its labelled_at with the next event', () => {
    const buffer = new FeedbackBuffer();
    const seen: { id: string; at: number }[] = [];
    const runtime = runtimeWith(buffer, seen);
    runtime.process(event(10));
    buffer.add(3, 7, label('late', 3));
    runtime.process(event(9)); // event time does not advance: nothing yet
    expect(seen).toEqual([]);
    runtime.process(event(10.5));
    expect(seen).toEqual([{ id: 'late', at: T0 + 10.5 * HOUR }]);
  });

  it('never gives a label twice to one partition state, across a restore from the changelog', () => {
    const buffer = new FeedbackBuffer();
    for (let i = 0; i < 4; i++) buffer.add(1, i, label(`l${i}`, i + 1));
    const seen: { id: string; at: number }[] = [];
    const first = runtimeWith(buffer, seen);
    first.process(event(2.5));
    expect(seen.map((s) => s.id)).toEqual(['l0', 'l1']);
    const changelog = first.drainChanges();
    expect(changelog.find((record) => record.kind === 'meta')).toMatchObject({ meta: { feedback: { 1: 1 } } });

    const again: { id: string; at: number }[] = [];
    const restored = runtimeWith(buffer, again);
    for (const record of changelog) restored.restore(record);
    restored.process(event(4));
    expect(again.map((s) => s.id)).toEqual(['l2', 'l3']);
  });

  it('gives each partition every label, whatever partition of the feedback topic it came from', () => {
    const buffer = new FeedbackBuffer();
    buffer.add(0, 0, label('p0', 1));
    buffer.add(5, 0, label('p5', 1));
    const seenA: { id: string; at: number }[] = [];
    const seenB: { id: string; at: number }[] = [];
    runtimeWith(buffer, seenA).process(event(1));
    runtimeWith(buffer, seenB).process(event(3));
    expect(seenA.map((s) => s.id).sort()).toEqual(['p0', 'p5']);
    expect(seenB.map((s) => s.id).sort()).toEqual(['p0', 'p5']);
  });
});

describe('FeedbackBuffer', () => {
  it('ignores repeats, trims what every runtime passed, and knows when a cursor needs a read-back', () => {
    const buffer = new FeedbackBuffer();
    for (let i = 0; i < 5; i++) buffer.add(0, i, label(`l${i}`, i));
    buffer.add(0, 2, label('repeat', 0));
    expect(buffer.size()).toBe(5);
    buffer.trimBefore(0, 2);
    expect(buffer.size()).toBe(2);
    expect(buffer.missing(0, 2)).toBe(false);
    expect(buffer.missing(0, 0)).toBe(true);
    expect(buffer.missing(0, -1)).toBe(true);
    buffer.backfill(0, 1, [0, 1, 2, 3].map((i) => ({ offset: i, label: label(`l${i}`, i) })));
    expect(buffer.missing(0, 0)).toBe(false);
    expect(buffer.missing(0, -1)).toBe(true);
    const given: string[] = [];
    expect(buffer.deliverDue(0, 0, T0 + 10 * HOUR, (l) => given.push(l.event_id))).toBe(4);
    expect(given).toEqual(['l1', 'l2', 'l3', 'l4']);
  });

  it('decodes the contract’s label and refuses one missing a field', () => {
    const json = { event_id: 'tx1', time: 1, labelled_at: 2, entity: 'c', customer_id: 'u', terminal_id: 't', fraud: true, scenario: 's', extra: 1 };
    expect(decodeFeedbackLabel(Buffer.from(JSON.stringify(json)))).toEqual({ event_id: 'tx1', time: 1, labelled_at: 2, entity: 'c', customer_id: 'u', terminal_id: 't', fraud: true, scenario: 's' });
    expect(() => decodeFeedbackLabel(Buffer.from(JSON.stringify({ ...json, fraud: 'yes' })))).toThrow('feedback label: fraud: Invalid input: expected boolean, received string');
  });
});
