import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { OutgoingMessage, Producer } from '../kafka/kafka.types.js';
import type { FeedbackLabel } from '../model/records.js';
import { substituteEnv } from '../templates/env-substitution.js';
import { templateSchema, type Template } from '../model/template/template.schema.js';
import { simulateToKafka } from './simulate-to-kafka.js';
import { builtInGenerators } from '../domains/domains.js';

const templateFile = fileURLToPath(new URL('../../templates/finance/template.yaml', import.meta.url));

function financeTemplate(params: Record<string, unknown>): Template {
  const doc = parseDocument(readFileSync(templateFile, 'utf8'));
  substituteEnv(doc, {});
  const template = templateSchema.parse(doc.toJS());
  return { ...template, simulator: { ...template.simulator!, params: { ...template.simulator!.params, ...params } } };
}

/** Keeps every send, as the broker would receive it. */
function recordingProducer(sends: OutgoingMessage[][]): Producer {
  return {
    send: async (messages) => void sends.push([...messages]),
    transaction: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
  };
}

describe('simulateToKafka with a feedback topic', () => {
  it('sends each label, keyed by its transaction id, only once simulated time reaches its labelled_at', async () => {
    const template = financeTemplate({ customers: 10_000, fraudLabelDelay: '10m', genuineLabelDelay: '20m', burstProbability: 0.01 });
    const sends: OutgoingMessage[][] = [];
    // 4,000 events at 2,000/s real time, 1,000x accelerated: about 33 minutes of event time in 2 s.
    // Event time ends at a fixed hour: how long 4,000 events span follows the simulated day's
    // rhythm, so ending "now" left fewer than 100 labels due when run in the early evening (UTC).
    const endMs = Date.UTC(2026, 0, 14, 15);
    const result = await simulateToKafka({ template, generators: builtInGenerators(), producer: recordingProducer(sends), rate: 2_000, count: 4_000, speed: 1_000, endMs });
    expect(result.events).toBe(4_000);

    const inputTimes = new Map<string, number>();
    let labels = 0;
    let frauds = 0;
    for (const send of sends) {
      const events = send.filter((m) => m.topic === template.topics.input);
      const times = events.map((m) => Date.parse((JSON.parse(String(m.value)) as { timestamp: string }).timestamp));
      events.forEach((m, i) => inputTimes.set((JSON.parse(String(m.value)) as { transactionId: string }).transactionId, times[i]!));
      const sentAt = Math.max(...times);
      for (const m of send.filter((x) => x.topic === template.topics.feedback)) {
        const label = JSON.parse(String(m.value)) as FeedbackLabel;
        labels++;
        expect(m.key).toBe(label.event_id);
        expect(label.labelled_at).toBeLessThanOrEqual(sentAt);
        expect(inputTimes.get(label.event_id)).toBe(label.time);
        const delay = label.labelled_at - label.time;
        if (label.fraud) {
          frauds++;
          expect(delay).toBeGreaterThanOrEqual(5 * 60_000);
          expect(delay).toBeLessThanOrEqual(15 * 60_000);
        } else {
          expect(delay).toBe(20 * 60_000);
        }
      }
    }
    // The labels of the first part of the span arrive; the rest are not due when the run stops.
    expect(labels).toBeGreaterThan(100);
    expect(labels).toBeLessThan(4_000);
    expect(frauds).toBeGreaterThan(0);
  }, 30_000);
});

describe('simulateToKafka after a previous run', () => {
  const eventTimes = (sends: OutgoingMessage[][], topic: string): number[] =>
    sends.flat().filter((m) => m.topic === topic).map((m) => Date.parse((JSON.parse(String(m.value)) as { timestamp: string }).timestamp));

  it('starts its event time after notBeforeMs when the run would otherwise begin before it', async () => {
    const template = financeTemplate({});
    const sends: OutgoingMessage[][] = [];
    // 200 events at 2,000/s, 100x: 10 s of event time that would end now; the last run ended 5 min from now.
    const notBeforeMs = Date.now() + 5 * 60_000;
    await simulateToKafka({ template, generators: builtInGenerators(), producer: recordingProducer(sends), rate: 2_000, count: 200, speed: 100, notBeforeMs });
    const times = eventTimes(sends, template.topics.input);
    expect(times).toHaveLength(200);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(notBeforeMs);
  });

  it('keeps ending at endMs when notBeforeMs is earlier than the run start', async () => {
    const template = financeTemplate({});
    const sends: OutgoingMessage[][] = [];
    const endMs = Date.UTC(2026, 0, 14, 15);
    await simulateToKafka({ template, generators: builtInGenerators(), producer: recordingProducer(sends), rate: 2_000, count: 200, speed: 100, endMs, notBeforeMs: endMs - 3_600_000 });
    const times = eventTimes(sends, template.topics.input);
    // 0.1 s of real time at 100x starts 10 s before endMs.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(endMs - 10_000);
    expect(Math.min(...times)).toBeLessThan(endMs - 5_000);
  });
});

/** A weekday at 15:00 UTC, busy in the finance simulator's daily rhythm. */
const AFTERNOON = Date.UTC(2026, 5, 2, 15, 0);

describe('simulateToKafka after a stall', () => {
  /** A broker that stalls once for `stallMs` after the first send; returns every event's time. */
  async function run(keepEventSpacing: boolean): Promise<number[]> {
    const times: number[] = [];
    let stalled = false;
    const producer: Producer = {
      send: async (messages) => {
        for (const m of messages) times.push(Date.parse(String(JSON.parse(String(m.value)).timestamp)));
        if (!stalled) {
          stalled = true;
          await new Promise((resolve) => setTimeout(resolve, 1_500));
        }
      },
      transaction: () => Promise.reject(new Error('not used')),
      close: async () => undefined,
    };
    const template = financeTemplate({});
    // Event time ends at a fixed afternoon: the simulator's daily rhythm scales its rate, so a run
    // ending "now" at night would send a fraction of 400 events/s and outlast the test's timeout.
    await simulateToKafka({
      template: { ...template, topics: { ...template.topics, feedback: undefined } },
      generators: builtInGenerators(),
      producer,
      rate: 400,
      count: 600,
      speed: 30,
      endMs: AFTERNOON,
      keepEventSpacing,
    });
    return times;
  }
  const largestGap = (times: readonly number[]) => Math.max(...times.slice(1).map((t, i) => t - times[i]!));

  it('skips ahead by default (a live feed keeps its rate), but keeps every event in its place for a demo', async () => {
    // 400 events/s at 30x: an event every 75 ms of event time on average (the daily rhythm varies it).
    const kept = await run(true);
    expect(kept).toHaveLength(600);
    expect(largestGap(kept)).toBeLessThan(5_000);
    const skipped = await run(false);
    // 1.5 s of stall is 45 s of event time, of which 30 s (1 s of wall clock at 30x) is caught up.
    expect(largestGap(skipped)).toBeGreaterThan(10_000);
  });
});
