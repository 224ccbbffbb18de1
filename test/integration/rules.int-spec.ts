import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTopic, produceWithKcat, testBrokers } from '../utils/kafka.js';
import { eventually, isolatedFinanceTemplate, queryRows, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const run = promisify(execFile);
const CLI = path.resolve('bin/vigil.js');
const SECOND = 1_000;
const T0 = Date.now() - 6 * 3_600_000;

interface RuleFinding {
  readonly detector: string;
  readonly detector_type: string;
  readonly detector_version: string;
  readonly time: string;
  readonly count: number;
}

/** `vigil <args>` with the template and broker of this test; rejects with stderr on a non-zero exit. */
async function vigil(args: readonly string[], stdin?: string): Promise<string> {
  const child = run(process.execPath, [CLI, ...args], { env: { ...process.env, KAFKA_BROKERS: testBrokers().join(','), VIGIL_LOG_LEVEL: 'warn' }, timeout: 60_000 });
  if (stdin !== undefined) {
    child.child.stdin!.end(stdin);
  }
  return (await child).stdout;
}

/**
 * Payments of one card, 5 s of event time apart, terminals all different (so the template's
 * terminal rule never fires) and at a shop (so its online-spending rule never fires).
 */
class PaymentFlow {
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly topic: string,
    private next = 0,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sending = this.sending.then(() => this.send(4));
    }, 250);
  }

  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sending;
    return this.next;
  }

  /** Event time of the next payment: findings triggered at or after it came from events sent later. */
  get nextTime(): number {
    return T0 + this.next * 5 * SECOND;
  }

  private async send(n: number): Promise<void> {
    const lines = Array.from({ length: n }, () => {
      const i = this.next++;
      return {
        key: 'card-r',
        value: JSON.stringify({
          transactionId: `r-${i}`,
          timestamp: new Date(T0 + i * 5 * SECOND).toISOString(),
          customer: { id: 'cus-r' },
          card: { id: 'card-r' },
          merchant: { terminalId: `term-${i}` },
          amount: { value: 20, currency: 'EUR' },
          channel: 'pos',
        }),
      };
    });
    await produceWithKcat(this.topic, lines);
  }
}

describe('declarative rules changed at runtime (real Kafka broker, embedded ClickHouse)', () => {
  let pipeline: RunningPipeline | undefined;
  let flow: PaymentFlow | undefined;

  beforeAll(() => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  });

  afterEach(async () => {
    await flow?.stop();
    flow = undefined;
    await pipeline?.stop();
    pipeline = undefined;
  });

  it('put, change and delete rules while events flow, without restart; a restart keeps them', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    const input = `${prefix}.transactions`;
    await createTopic(input, 3);
    const options = { templateFile: file, database: `${prefix}_rules`, services: ['detect', 'sink'] as const };
    pipeline = await startPipeline(options);
    const findings = (detector: string) => {
      const clickhouse = pipeline!.clickhouse;
      return () =>
        queryRows<RuleFinding>(
          clickhouse,
          `SELECT detector, detector_type, detector_version, toString(toUnixTimestamp64Milli(time)) AS time, toUInt32(values['count']) AS count
           FROM findings WHERE detector = '${detector}' ORDER BY time`,
        );
    };

    // The template's rules seeded the topic at version 1 when detect started.
    const seeded = (await vigil(['rules', 'list', '-t', file, '--json'])).trim().split('\n').map((line) => JSON.parse(line) as { id: string; version: number });
    expect(seeded.map(({ id, version }) => `${id}@${version}`)).toEqual(['ecom_spend_1h@1', 'terminal_burst_1m@1']);

    flow = new PaymentFlow(input);
    flow.start();
    await eventually(() => pipeline!.owned.core.metrics.total(pipeline!.owned.core.metrics.processed), (n) => n >= 20, 30_000, 'events flowing');

    // A new rule, from stdin: more than 3 payments of a card within a minute (12 arrive per minute).
    const rule = { id: 'card_count_1m', key: 'card_id', aggregate: 'count', window: '1m', operator: '>', limit: 3, severity: 'high' };
    expect(await vigil(['rules', 'put', '-', '-t', file], JSON.stringify(rule))).toBe(`rule card_count_1m is at version 1 in vigil.${name}.rules\n`);
    const v1 = await eventually(findings('card_count_1m'), (rows) => rows.length >= 1, 30_000, 'findings of the new rule');
    expect(v1[0]).toMatchObject({ detector_type: 'rule', detector_version: '1' });
    expect(v1[0]!.count).toBeGreaterThan(3);

    // Version 2 from a file with a higher limit: findings name version 2, with more events counted.
    const ruleFile = path.join(path.dirname(file), 'rule.yaml');
    await fs.writeFile(ruleFile, `id: card_count_1m\nkey: card_id\naggregate: count\nwindow: 1m\noperator: ">"\nlimit: 8\nseverity: high\n`);
    expect(await vigil(['rules', 'put', ruleFile, '-t', file])).toMatch(/^rule card_count_1m is at version 2 in /);
    const v2 = await eventually(findings('card_count_1m'), (rows) => rows.some((r) => r.detector_version === '2'), 30_000, 'findings of version 2');
    const firstV2 = v2.findIndex((r) => r.detector_version === '2');
    expect(v2.slice(firstV2).every((r) => r.detector_version === '2' && r.count > 8)).toBe(true);

    // Delete: once the deletion is in force, events keep flowing and no finding of the rule follows.
    expect(await vigil(['rules', 'delete', 'card_count_1m', '-t', file])).toMatch(/^rule card_count_1m deleted \(version 3\) in /);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterDelete = flow.nextTime;
    const processedAtDelete = await pipeline.owned.core.metrics.total(pipeline.owned.core.metrics.processed);
    // 40 more payments are 200 s of event time: more than 3 windows of the deleted rule.
    await eventually(() => pipeline!.owned.core.metrics.total(pipeline!.owned.core.metrics.processed), (n) => n >= processedAtDelete + 40, 30_000, 'events after the delete');
    const rows = await findings('card_count_1m')();
    expect(rows.filter((r) => Number(r.time) >= afterDelete)).toEqual([]);
    expect(rows.length).toBeGreaterThan(0);

    // Another rule, and the deletion of a template rule, then a restart.
    const sum = { id: 'card_sum_1m', key: 'card_id', aggregate: 'sum', field: 'amount', window: '1m', operator: '>=', limit: 100, severity: 'medium' };
    await vigil(['rules', 'put', '-', '-t', file], JSON.stringify(sum));
    await vigil(['rules', 'delete', 'terminal_burst_1m', '-t', file]);
    await flow.stop();
    await pipeline.stop();
    pipeline = undefined;

    pipeline = await startPipeline(options);
    const restartedAt = flow.nextTime;
    flow = new PaymentFlow(input, await flow.stop());
    flow.start();
    const sums = await eventually(findings('card_sum_1m'), (r) => r.some((f) => Number(f.time) >= restartedAt), 60_000, 'findings of the put rule after the restart');
    expect(sums.filter((f) => Number(f.time) >= restartedAt).every((f) => f.detector_version === '1')).toBe(true);
    const listed = (await vigil(['rules', 'list', '-t', file, '--json'])).trim().split('\n').map((line) => JSON.parse(line) as { id: string; version: number });
    // The deleted template rule was not seeded again; the deleted runtime rule stays deleted.
    expect(listed.map(({ id, version }) => `${id}@${version}`)).toEqual(['card_sum_1m@1', 'ecom_spend_1h@1']);
    expect((await findings('card_count_1m')()).filter((r) => Number(r.time) >= afterDelete)).toEqual([]);
  }, 240_000);

  it('refuses an invalid rule with every problem and its path, and writes nothing', async () => {
    const { file } = await isolatedFinanceTemplate();
    const bad = { id: 'bad', key: 'card', aggregate: 'sum', field: 'currency', window: '1m', operator: '>', limit: 1 };
    const error = (await vigil(['rules', 'put', '-', '-t', file], JSON.stringify(bad)).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr).toBe(
      'vigil: VIGIL_RULE_INVALID: stdin: key: "card" is not a field in event.fields (did you mean "card_id"?)\n' +
        'stdin: field: aggregate "sum" needs a number field; "currency" has type string\n',
    );
    expect(await vigil(['rules', 'list', '-t', file, '--json'])).toBe('');
    const missing = (await vigil(['rules', 'delete', 'nope', '-t', file]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^vigil: VIGIL_RULE_NOT_FOUND: no rule "nope" in vigil\.finance_\w+\.rules; rules: \(none\)\n$/);
  }, 60_000);

  it('GET, PUT and DELETE /templates/:name/rules change the rules topic like the CLI', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    pipeline = await startPipeline({ templateFile: file, database: `${prefix}_rules_api`, services: ['api'] });
    const base = `${pipeline.stages.apiUrl!}/templates/${name}/rules`;
    const put = (id: string, body: unknown) => fetch(`${base}/${id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const rule = { key: 'terminal_id', aggregate: 'max', field: 'amount', window: '10m', operator: '>=', limit: 5000 };

    const created = await put('big_terminal_payment', rule);
    expect(created.status).toBe(200);
    expect(await created.json()).toEqual({ id: 'big_terminal_payment', version: 1 });
    expect(await (await put('big_terminal_payment', { ...rule, limit: 4000 })).json()).toEqual({ id: 'big_terminal_payment', version: 2 });

    const refused = await put('bad', { ...rule, window: 'soon' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ code: 'VIGIL_RULE_INVALID', message: 'body: window: expected duration like "5m", got "soon"' });

    const listed = (await (await fetch(base)).json()) as { topic: string; rules: { id: string; version: number; limit: number }[] };
    expect(listed.topic).toBe(`vigil.${name}.rules`);
    expect(listed.rules).toMatchObject([{ id: 'big_terminal_payment', version: 2, limit: 4000, window: '10m', severity: 'high' }]);
    // The CLI reads the same topic.
    expect(await vigil(['rules', 'list', '-t', file, '--json'])).toBe(`${JSON.stringify(listed.rules[0])}\n`);

    const deleted = await fetch(`${base}/big_terminal_payment`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ id: 'big_terminal_payment', version: 3, deleted: true });
    expect((await fetch(`${base}/big_terminal_payment`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${pipeline.stages.apiUrl!}/templates/other/rules`)).status).toBe(404);
  }, 60_000);
});
