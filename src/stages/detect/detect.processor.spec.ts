import { z } from 'zod';
import { defineDetector } from '../../model/detector.js';
import type { IncomingMessage } from '../../kafka/kafka.types.js';
import { templateSchema } from '../../model/template/template.schema.js';
import { DetectProcessor } from './detect.processor.js';

/** Throws on amounts of 13, flags amounts over 100: one event must not stop the partition. */
const fussy = defineDetector({
  meta: { name: 'fussy', version: '1', description: 'test', params: z.object({}), requiredFields: () => ['amount'], stateTtl: () => 0 },
  create: (context) => ({
    process(event) {
      if (event.fields.amount === 13) throw new Error('unlucky amount');
      if (Number(event.fields.amount) > 100) {
        context.emit({ entity: event.key, severity: 'high', kind: 'big', title: 'big', windowStart: event.time, windowEnd: event.time });
      }
    },
  }),
});

function templateWith(onInvalidEvent: 'dead-letter' | 'fail') {
  return templateSchema.parse({
    name: 'shop',
    version: 1,
    title: 'Shop',
    domain: 'custom',
    onInvalidEvent,
    topics: { input: 'in', findings: 'f', alerts: 'a', deadLetter: 'in.dlq' },
    event: { time: 'ts', key: 'card', fields: { ts: { type: 'timestamp', required: true }, card: { type: 'string', required: true }, amount: { type: 'number', required: true } } },
    detectors: [{ id: 'fussy_one', type: 'fussy' }],
    tables: { events: 'shop_events' },
  });
}

const T0 = Date.UTC(2026, 0, 1);
const message = (offset: number, amount: number): IncomingMessage => ({
  topic: 'in',
  partition: 0,
  offset: String(offset),
  key: Buffer.from('c1'),
  value: Buffer.from(JSON.stringify({ ts: T0 + offset * 1000, card: 'c1', amount })),
  headers: { trace: 'x' },
  timestamp: 0,
});
const batch = (...messages: IncomingMessage[]) => ({ topic: 'in', partition: 0, highWatermark: '99', messages });
const slots = [{ id: 'fussy_one', definition: fussy, params: {} }];
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

describe('DetectProcessor', () => {
  it('dead-letters an event a detector throws on, naming the detector, and goes on with the next', () => {
    const processor = new DetectProcessor(templateWith('dead-letter'), slots, quiet, () => T0);
    const output = processor.process(batch(message(1, 13), message(2, 500)));
    expect(output.events).toBe(2);
    expect(output.deadLetters).toEqual([{ code: 'VIGIL_DETECTOR_FAILED', detector: 'fussy_one' }]);
    const dead = output.messages.find((m) => m.topic === 'in.dlq')!;
    expect(dead.headers).toMatchObject({
      trace: 'x',
      'vigil-error-code': 'VIGIL_DETECTOR_FAILED',
      'vigil-error-reason': 'detector fussy_one failed: unlucky amount',
      'vigil-detector': 'fussy_one',
      'vigil-source-offset': '1',
    });
    expect(output.findings.map((f) => f.trigger_event_id)).toEqual(['in-0-2']);
    expect(output.messages.filter((m) => m.topic === 'a')).toHaveLength(1);
  });

  it("stops the partition instead when the template says onInvalidEvent: fail", () => {
    const processor = new DetectProcessor(templateWith('fail'), slots, quiet, () => T0);
    expect(() => processor.process(batch(message(1, 13)))).toThrow(expect.objectContaining({ code: 'VIGIL_DETECTOR_FAILED' }));
    expect(() => processor.process(batch({ ...message(2, 1), value: Buffer.from('nope') }))).toThrow(expect.objectContaining({ code: 'VIGIL_EVENT_DECODE' }));
  });

  it('writes the batch state changes to the changelog, on the input partition', () => {
    const processor = new DetectProcessor(templateWith('dead-letter'), slots, quiet, () => T0);
    const output = processor.process(batch(message(1, 5)));
    const changelog = output.messages.filter((m) => m.topic === 'vigil.shop.detect.changelog');
    expect(changelog).toEqual([{ topic: 'vigil.shop.detect.changelog', partition: 0, key: 'm', value: expect.stringContaining(`"maxEventTime":${T0 + 1000}`) }]);
  });
});
