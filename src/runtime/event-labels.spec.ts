import { z } from 'zod';
import { defineDetector } from '../model/detector.js';
import { testTemplate } from '../sink/testing/test-template.js';
import { PartitionRuntime, type DetectorSlot } from './partition-runtime.js';
import { testEvent } from './testing/detector-test-context.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

const FIELDS = {
  obs_id: { type: 'string', required: true },
  patient: { type: 'string', required: true },
  ts: { type: 'timestamp', required: true },
  ward: { type: 'string', label: true },
};

/** Emits "seen" for every event, and "settled" from a timer 5 minutes after a patient's first one. */
const settling: DetectorSlot = {
  id: 'd',
  params: {},
  definition: defineDetector({
    meta: { name: 'd', version: '1', description: 'test', params: z.object({}), requiredFields: () => [], stateTtl: () => 60 * MINUTE },
    create: (context) => {
      const seen = context.store<number>('seen');
      return {
        process: (e) => {
          if (seen.get(e.key) === undefined) context.schedule('settle', e.key, e.time + 5 * MINUTE);
          seen.put(e.key, 1);
          context.emit({ entity: e.key, severity: 'low', kind: 'seen', title: 'seen', windowStart: e.time, windowEnd: e.time });
        },
        onTimer: (timer) => context.emit({ entity: timer.key, severity: 'low', kind: 'settled', title: 'settled', windowStart: timer.time, windowEnd: timer.time }),
      };
    },
  }),
};

function reading(minute: number, patient: string, ward?: string) {
  return testEvent(T0 + minute * MINUTE, { obs_id: `o${minute}${patient}`, patient, ts: T0 + minute * MINUTE, ...(ward === undefined ? {} : { ward }) }, patient);
}

describe('finding labels (event.fields.<name>.label)', () => {
  const template = testTemplate({ fields: FIELDS });

  it("label a finding with its event's field, or the key's latest when the event carries none", () => {
    const runtime = new PartitionRuntime(template, [settling], quiet);
    expect(runtime.process(reading(0, 'p1', 'ward-01')).findings.map((f) => f.labels)).toEqual([{ ward: 'ward-01' }]);
    expect(runtime.process(reading(1, 'p1')).findings.map((f) => f.labels)).toEqual([{ ward: 'ward-01' }]);
    expect(runtime.process(reading(2, 'p1', 'ward-02')).findings.map((f) => f.labels)).toEqual([{ ward: 'ward-02' }]);
    // A patient whose readings never named a ward: no label, not another patient's.
    const [unlabelled] = runtime.process(reading(3, 'p2')).findings;
    expect(unlabelled).not.toHaveProperty('labels');
  });

  it("label a finding raised by a timer with the timer key's latest, also after a restart from the changelog", () => {
    const runtime = new PartitionRuntime(template, [settling], quiet);
    runtime.process(reading(0, 'p1', 'ward-01'));
    runtime.process(reading(1, 'p3', 'ward-03'));
    const restarted = new PartitionRuntime(template, [settling], quiet);
    for (const record of runtime.drainChanges()) restarted.restore(record);
    const findings = restarted.process(reading(7, 'p4', 'ward-04')).findings;
    expect(findings.map((f) => [f.kind, f.entity, f.labels])).toEqual([
      ['settled', 'p1', { ward: 'ward-01' }],
      ['settled', 'p3', { ward: 'ward-03' }],
      ['seen', 'p4', { ward: 'ward-04' }],
    ]);
  });

  it('leave findings of a template without label fields as they were, with no store for labels', () => {
    const plain = testTemplate({ fields: { ...FIELDS, ward: { type: 'string' } } });
    const runtime = new PartitionRuntime(plain, [settling], quiet);
    const [finding] = runtime.process(reading(0, 'p1', 'ward-01')).findings;
    expect(finding).not.toHaveProperty('labels');
    expect(runtime.drainChanges().flatMap((r) => (r.kind === 'entity' ? (r.values ?? []).map(([owner]) => owner) : []))).toEqual(['d']);
  });
});
