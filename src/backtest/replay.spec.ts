import path from 'node:path';
import { z } from 'zod';
import { defineDetector, type DetectorContext } from '../model/detector.js';
import type { DetectorSlot } from '../runtime/partition-runtime.js';
import type { FeedbackLabel } from '../model/records.js';
import { loadTemplate } from '../templates/template.loader.js';
import type { LoadedTemplate } from '../model/template/template.schema.js';
import { HistoryRowReader } from './history-row.js';
import { readOnThisThread } from './read-batch.js';
import { buildReport } from './report.js';
import { replay } from './replay.js';
import { builtIns } from '../domains/domains.js';

const DAY = 86_400_000;
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const HEADER = 'TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_TIME_SECONDS,TX_TIME_DAYS,TX_FRAUD,TX_FRAUD_SCENARIO';

let loaded: LoadedTemplate;
beforeAll(async () => {
  loaded = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: {}, ...builtIns() });
});

/**
 * The template's detectors with the risk score raised to severity high, as a team does after
 * refitting it on its own labels (the shipped template records it at medium: no alerts).
 */
function alertingSlots(): DetectorSlot[] {
  return loaded.detectors.map(({ id, definition, params }) => ({
    id,
    definition,
    params: id === 'risk' ? { ...(params as Record<string, unknown>), severity: 'high' } : params,
  }));
}

/** Records, for every label it is handed, the time of the first event it sees after it. */
function labelSpy(seen: { label: FeedbackLabel; at: number }[]): DetectorSlot {
  const definition = defineDetector<Record<string, never>>({
    meta: { name: 'label_spy', version: '1', description: 'test', params: z.strictObject({}), requiredFields: () => [], stateTtl: () => 0 },
    create: (context: DetectorContext) => {
      let pending: FeedbackLabel[] = [];
      return {
        process: (event) => {
          for (const label of pending) seen.push({ label, at: event.time });
          pending = [];
          context.signal('amount_seen', Number(event.fields.amount));
        },
        onFeedback: (label) => void pending.push(label),
      };
    },
  });
  return { id: 'spy', definition, params: {} };
}

function csv(rows: [number, string, number, number, number, number][]): string[] {
  // [id, time, customer, terminal, amount, fraud]
  return [HEADER, ...rows.map(([id, time, customer, terminal, amount, fraud]) => `${id},${time},${customer},${terminal},${amount},0,0,${fraud},${fraud}`)];
}

/** Lines in batches of two, so a replay crosses batch boundaries. */
async function* lines(list: string[]): AsyncIterable<readonly string[]> {
  for (let i = 0; i < list.length; i += 2) yield list.slice(i, i + 2);
}

function run(rows: string[], slots: DetectorSlot[], options: { from?: number; to?: number; feedbackDelay?: number } = {}) {
  const { template } = loaded;
  return replay({
    template,
    slots,
    rows: readOnThisThread(lines(rows), new HistoryRowReader({ template, format: 'csv', mapping: template.backtest!.mappings.handbook })),
    log: quiet,
    ...options,
    feedbackDelay: options.feedbackDelay ?? 7 * DAY,
  });
}

describe('replay', () => {
  it('hands each label to detectors just before the first event at or after transaction time + the delay', async () => {
    const seen: { label: FeedbackLabel; at: number }[] = [];
    const rows = csv([
      [1, '2018-04-01 10:00:00', 1, 7, 10, 1],
      [2, '2018-04-05 10:00:00', 2, 7, 20, 0],
      [3, '2018-04-08 09:59:59', 1, 8, 30, 0],
      [4, '2018-04-08 10:00:00', 1, 8, 40, 0],
      [5, '2018-04-20 00:00:00', 3, 9, 50, 0],
    ]);
    const result = await run(rows, [labelSpy(seen)]);
    expect(seen.map(({ label, at }) => [label.event_id, new Date(at).toISOString()])).toEqual([
      ['1', '2018-04-08T10:00:00.000Z'],
      ['2', '2018-04-20T00:00:00.000Z'],
      ['3', '2018-04-20T00:00:00.000Z'],
      ['4', '2018-04-20T00:00:00.000Z'],
    ]);
    expect(seen[0]!.label).toEqual({
      event_id: '1',
      time: Date.UTC(2018, 3, 1, 10),
      labelled_at: Date.UTC(2018, 3, 8, 10),
      entity: '1',
      customer_id: '1',
      terminal_id: '7',
      fraud: true,
      scenario: '1',
    });
    expect(result).toMatchObject({ lines: 6, invalid: 0, labelsDelivered: 4 });
    expect(result.outcomes.size).toBe(5);
  });

  it('with no delay, still hands a label over only after its own event was scored', async () => {
    const seen: { label: FeedbackLabel; at: number }[] = [];
    const rows = csv([
      [1, '2018-04-01 10:00:00', 1, 7, 10, 1],
      [2, '2018-04-01 10:00:00', 2, 7, 20, 0],
      [3, '2018-04-01 10:05:00', 1, 8, 30, 0],
    ]);
    await run(rows, [labelSpy(seen)], { feedbackDelay: 0 });
    expect(seen.map(({ label, at }) => [label.event_id, new Date(at).toISOString()])).toEqual([
      ['1', '2018-04-01T10:00:00.000Z'],
      ['2', '2018-04-01T10:05:00.000Z'],
    ]);
  });

  it('replays only [from, to), counts bad lines with examples, and ranks by the risk score', async () => {
    const rows = [
      ...csv([
        [1, '2018-04-01 10:00:00', 1, 7, 10, 0],
        [2, '2018-04-02 10:00:00', 1, 7, 500, 1],
        [3, '2018-04-03 10:00:00', 1, 7, 20, 0],
      ]),
      '4,not a time,1,7,20,0,0,0,0',
    ];
    const slots = alertingSlots();
    const result = await run(rows, slots, { from: Date.UTC(2018, 3, 2), to: Date.UTC(2018, 3, 3) });
    expect(result).toMatchObject({ lines: 5, skipped: 2, invalid: 1, scoreSignal: 'risk.score' });
    expect(result.invalidExamples[0]).toMatch(/^line 5: field ts/);
    expect(result.outcomes.size).toBe(1);
    // 500 is over the template's large-amount indicator: the risk score passes emitAbove (0.5) and
    // it alerts. (Not far past it: a card with one payment has no `recent` spending to weigh yet.)
    expect(result.outcomes.score[0]).toBeGreaterThan(0.5);
    expect(result.outcomes.alerts[0]).not.toBe(0);
  });

  it('reports ranking metrics, alerts and detectors from the outcomes', async () => {
    const rows: [number, string, number, number, number, number][] = [];
    for (let d = 0; d < 10; d++) {
      const day = `2018-04-${String(d + 1).padStart(2, '0')}`;
      for (let c = 0; c < 20; c++) rows.push([d * 100 + c, `${day} 1${c % 10}:00:00`, c, c, 30 + c, 0]);
      rows.push([d * 100 + 50, `${day} 20:00:00`, 99, 99, 900, 1]);
    }
    rows.sort((a, b) => a[1].localeCompare(b[1]));
    const slots = alertingSlots();
    const result = await run(csv(rows), slots);
    const report = buildReport(result, { runId: 'r1', template: 'finance', input: 'x.csv', feedbackDelay: 7 * DAY, slots, now: 0 });
    expect(report.all_transactions).toMatchObject({ events: 210, frauds: 10, auc_roc: 1, average_precision: 1 });
    expect(report.alerts).toMatchObject({ alerts: 10, precision: 1, recall: 1 });
    expect(report.per_day).toHaveLength(10);
    // From day 9 on terminal 99's fraud labels have arrived and terminal_risk alerts too.
    expect(report.detectors.find((d) => d.detector === 'risk')).toMatchObject({ alerts: 10, precision: 1, frauds_only_it_caught: 8 });
    expect(report.detectors.find((d) => d.detector === 'terminal_risk')).toMatchObject({ alerts: 2, precision: 1, frauds_only_it_caught: 0 });
    // Card 99 is fraud from day 1: its transactions from day 9 on (label of day 1 arrived on day 8) are left out.
    expect(report.handbook_protocol.frauds).toBe(8);
    expect(report.time_to_detection).toMatchObject({ fraudCards: 1, detectedCards: 1, medianMs: 0 });
  });
});
