import fs from 'node:fs/promises';
import path from 'node:path';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const MINUTE = 60_000;
// Recent, so the events table's 90-day TTL keeps the rows.
const T0 = Date.now() - 2 * 60 * MINUTE;
const CARDS = ['card-1', 'card-2', 'card-3', 'card-4', 'card-5', 'card-6'];

function payment(id: string, card: string, terminal: string, time: number): { key: string; value: string } {
  return {
    key: card,
    value: JSON.stringify({
      transactionId: id,
      timestamp: new Date(time).toISOString(),
      customer: { id: `cus-${card}` },
      card: { id: card },
      merchant: { terminalId: terminal },
      amount: { value: 15, currency: 'EUR' },
      channel: 'pos',
    }),
  };
}

function label(id: string, terminal: string, time: number, labelledAt: number, fraud: boolean): { key: string; value: string } {
  return {
    key: id,
    value: JSON.stringify({ event_id: id, time, labelled_at: labelledAt, entity: 'card-1', customer_id: 'cus-card-1', terminal_id: terminal, fraud, scenario: fraud ? 'compromised_terminal' : 'genuine' }),
  };
}

interface MemoryFinding {
  readonly trigger: string;
  readonly labels: number;
}

describe('fraud labels in the live pipeline (real Kafka broker, embedded ClickHouse)', () => {
  let pipeline: RunningPipeline | undefined;

  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('gives every partition each label once its event time reaches labelled_at, once across a restart, and stores the labels', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    const detector = path.resolve('test/fixtures/templates/detectors/label-memory.detector.ts');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/^detectors:\n/m, `detectors:\n  - id: fraud_terminal_memory\n    type: file\n    module: ${detector}\n`));
    const input = `${prefix}.transactions`;
    const feedback = `${prefix}.feedback`;
    await createTopic(input, 3);
    await createTopic(feedback, 2);
    const options = { templateFile: file, database: `${prefix}_feedback`, services: ['detect', 'sink'] as const };

    // A fraud at term-x becomes known at T0+10m; a genuine label at term-y says nothing.
    await produceWithKcat(feedback, [label('old-1', 'term-x', T0 - MINUTE, T0 + 10 * MINUTE, true)], { partition: 0 });
    await produceWithKcat(feedback, [label('old-2', 'term-y', T0 - MINUTE, T0 + 10 * MINUTE, false)], { partition: 1 });
    pipeline = await startPipeline(options);
    const memory = () =>
      queryRows<MemoryFinding>(
        pipeline!.clickhouse,
        `SELECT trigger_event_id AS trigger, toUInt32(values['labels']) AS labels FROM findings WHERE detector = 'fraud_terminal_memory' ORDER BY trigger`,
      );

    // Before labelled_at: nothing, on any partition. After it: every partition knows.
    await produceWithKcat(input, CARDS.map((card, i) => payment(`before-${i}`, card, 'term-x', T0 + 5 * MINUTE)));
    await produceWithKcat(input, CARDS.map((card, i) => payment(`after-${i}`, card, 'term-x', T0 + 15 * MINUTE)));
    await produceWithKcat(input, [payment('other-0', 'card-1', 'term-y', T0 + 16 * MINUTE)]);
    const found = await eventually(memory, (rows) => rows.length >= CARDS.length, 60_000, 'findings after labelled_at');
    expect(found).toEqual(CARDS.map((_card, i) => ({ trigger: `after-${i}`, labels: 1 })));

    // A label of one of those transactions, confirmed later: its alert's outcome turns true_positive.
    await produceWithKcat(feedback, [label('after-0', 'term-z', T0 + 15 * MINUTE, T0 + 30 * MINUTE, true)], { partition: 1 });
    const outcomes = () =>
      queryRows<{ event_id: string; outcome: string }>(
        pipeline!.clickhouse,
        `SELECT event_id, outcome FROM finance_alert_outcomes WHERE detector = 'fraud_terminal_memory' ORDER BY event_id`,
      );
    const judged = await eventually(outcomes, (rows) => rows.some((r) => r.outcome === 'true_positive'), 60_000, 'the alert outcome');
    expect(judged).toEqual(CARDS.map((_card, i) => ({ event_id: `after-${i}`, outcome: i === 0 ? 'true_positive' : 'pending' })));
    const stored = await queryRows<{ event_id: string; fraud: number; terminal_id: string }>(
      pipeline.clickhouse,
      'SELECT event_id, fraud, terminal_id FROM fraud_labels ORDER BY event_id',
    );
    expect(stored).toEqual([
      { event_id: 'after-0', fraud: 1, terminal_id: 'term-z' },
      { event_id: 'old-1', fraud: 1, terminal_id: 'term-x' },
      { event_id: 'old-2', fraud: 0, terminal_id: 'term-y' },
    ]);

    // After a restart each partition's state still counts the term-x label once: it is not given again.
    await pipeline.stop();
    pipeline = undefined;
    pipeline = await startPipeline(options);
    await produceWithKcat(input, CARDS.map((card, i) => payment(`restart-${i}`, card, 'term-x', T0 + 20 * MINUTE)));
    const afterRestart = await eventually(memory, (rows) => rows.filter((r) => r.trigger.startsWith('restart-')).length >= CARDS.length, 60_000, 'findings after the restart');
    expect(afterRestart.filter((r) => r.trigger.startsWith('restart-'))).toEqual(CARDS.map((_card, i) => ({ trigger: `restart-${i}`, labels: 1 })));
  }, 240_000);
});
