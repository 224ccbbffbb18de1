import path from 'node:path';
import { makeAlert } from '../../alerts/testing/alert.fixture.js';
import { startRecordingServer, type RecordingServer } from '../../alerts/testing/recording-server.js';
import { builtIns } from '../../domains/domains.js';
import type { LoadedTemplate } from '../../model/template/template.schema.js';
import { alertDeliveriesTopic, alertsDeadLetterTopic, alertsRetryTopic, groupId } from '../../model/topics.js';
import { loadTemplate } from '../../templates/template.loader.js';
import { batchOf, InMemoryKafka, LIVE, testCore } from '../testing/in-memory-kafka.js';
import { NotifyStage } from './notify.stage.js';

let loaded: LoadedTemplate;
let receiver: RecordingServer;
beforeAll(async () => {
  receiver = await startRecordingServer((res) => res.writeHead(200).end());
  // The finance template's one route sends high and critical alerts to the webhook `ops`.
  loaded = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: { VIGIL_WEBHOOK_URL: receiver.url }, ...builtIns() });
});
afterAll(() => receiver.close());

describe('NotifyStage', () => {
  const group = groupId({ name: 'finance' } as never, 'notify');

  it('delivers a routed alert, logs the attempt, and commits past it', async () => {
    const kafka = new InMemoryKafka();
    const { alerts } = loaded.template.topics;
    kafka.append({ topic: alerts, key: 'card-42', value: JSON.stringify(makeAlert({ severity: 'high' })), partition: 0 });
    kafka.append({ topic: alerts, key: 'card-43', value: JSON.stringify(makeAlert({ id: 'a-0002', severity: 'low' })), partition: 0 });
    const stage = new NotifyStage(testCore(kafka, loaded));
    await stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(group));
    // The low alert matches no route: not sent, still committed.
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({ id: 'a-0001', status: 'firing' });
    const log = kafka.messages(alertDeliveriesTopic(loaded.template)).map((m) => JSON.parse(m.value!.toString()) as { alert_id: string; outcome: string });
    expect(log).toMatchObject([{ alert_id: 'a-0001', outcome: 'delivered' }]);
    expect(kafka.groupCommits.get(group)).toEqual([{ topic: alerts, partition: 0, offset: '2' }]);
    await stage.onApplicationShutdown();
  });

  it('does not send again an alert it already delivered when the batch is read again (a commit lost while the coordinator moved)', async () => {
    const kafka = new InMemoryKafka();
    const { alerts } = loaded.template.topics;
    kafka.append({ topic: alerts, key: 'card-44', value: JSON.stringify(makeAlert({ id: 'a-0044', severity: 'high' })), partition: 0 });
    const stage = new NotifyStage(testCore(kafka, loaded));
    const sentBefore = receiver.requests.length;
    await stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(group));
    await stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(group));
    expect(receiver.requests.slice(sentBefore).map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual(['a-0044']);
    expect(kafka.groupCommits.get(group)?.at(-1)).toEqual({ topic: alerts, partition: 0, offset: '1' });
    await stage.onApplicationShutdown();
  });

  it('reports the groups of grouped routes still waiting for their first notification', async () => {
    // The health template groups per patient: critical alerts go out at once (groupWait 0s),
    // high ones after a minute.
    const health = await loadTemplate(path.resolve('templates/health/template.yaml'), { env: { VIGIL_WEBHOOK_URL: receiver.url }, ...builtIns() });
    const kafka = new InMemoryKafka();
    const { alerts } = health.template.topics;
    kafka.append({ topic: alerts, key: 'p-1', value: JSON.stringify(makeAlert({ id: 'a-0001', entity: 'p-1', severity: 'high' })), partition: 0 });
    kafka.append({ topic: alerts, key: 'p-2', value: JSON.stringify(makeAlert({ id: 'a-0002', entity: 'p-2', severity: 'critical' })), partition: 0 });
    const core = testCore(kafka, health);
    const stage = new NotifyStage(core);
    const sentBefore = receiver.requests.length;
    await stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(groupId(health.template, 'notify')));
    expect(receiver.requests.slice(sentBefore).map((r) => JSON.parse(r.body) as { status: string })).toMatchObject([{ status: 'firing' }]);
    expect(await core.metrics.total(core.metrics.alertsGrouped)).toBe(2);
    expect(await core.metrics.total(core.metrics.alertGroupsWaiting)).toBe(1);
    stage.onRevoked([{ topic: alerts, partition: 0 }]);
    expect(await core.metrics.total(core.metrics.alertGroupsWaiting)).toBe(0);
    await stage.onApplicationShutdown();
  });

  it('counts a group as waiting until its first notification has been answered, not only sent', async () => {
    // The demo waits for this gauge to reach 0 and then reads the deliveries: a notification still
    // in flight must keep it above 0.
    const answers: (() => void)[] = [];
    const slow = await startRecordingServer((res) => answers.push(() => res.writeHead(200).end()));
    try {
      const health = await loadTemplate(path.resolve('templates/health/template.yaml'), { env: { VIGIL_WEBHOOK_URL: slow.url }, ...builtIns() });
      const kafka = new InMemoryKafka();
      const { alerts } = health.template.topics;
      kafka.append({ topic: alerts, key: 'p-3', value: JSON.stringify(makeAlert({ id: 'a-0003', entity: 'p-3', severity: 'critical' })), partition: 0 });
      const core = testCore(kafka, health);
      const stage = new NotifyStage(core);
      const handled = stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(groupId(health.template, 'notify')));
      for (let i = 0; i < 200 && answers.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(answers).toHaveLength(1);
      expect(await core.metrics.total(core.metrics.alertGroupsWaiting)).toBe(1);
      answers[0]!();
      await handled;
      expect(await core.metrics.total(core.metrics.webhookDeliveries, { reason: 'ok' })).toBe(1);
      expect(await core.metrics.total(core.metrics.alertGroupsWaiting)).toBe(0);
      await stage.onApplicationShutdown();
    } finally {
      await slow.close();
    }
  });

  it('dead-letters an unreadable alert instead of skipping it, then commits', async () => {
    const kafka = new InMemoryKafka();
    const { alerts } = loaded.template.topics;
    kafka.append({ topic: alerts, key: 'x', value: '{not json', partition: 0 });
    const stage = new NotifyStage(testCore(kafka, loaded));
    await stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(group));
    const dead = kafka.messages(alertsDeadLetterTopic(loaded.template));
    expect(dead).toHaveLength(1);
    expect(dead[0]!.value?.toString()).toBe('{not json');
    expect(kafka.groupCommits.get(group)).toEqual([{ topic: alerts, partition: 0, offset: '1' }]);
    await stage.onApplicationShutdown();
  });

  it('puts an alert its receiver failed on the retry topic, with a waiting row, instead of dead-lettering it; later ones queue behind it', async () => {
    const down = await startRecordingServer((res) => res.writeHead(503).end());
    try {
      const failing = await loadTemplate(path.resolve('templates/finance/template.yaml'), { env: { VIGIL_WEBHOOK_URL: down.url }, ...builtIns() });
      const { alerts: alerting } = failing.template;
      const once = { ...failing, template: { ...failing.template, alerts: { ...alerting, receivers: alerting.receivers.map((r) => ({ ...r, maxAttempts: 1 })) } } };
      const kafka = new InMemoryKafka();
      const { alerts } = once.template.topics;
      kafka.append({ topic: alerts, key: 'card-42', value: JSON.stringify(makeAlert({ id: 'a-0001' })), partition: 0 });
      kafka.append({ topic: alerts, key: 'card-43', value: JSON.stringify(makeAlert({ id: 'a-0002', entity: 'card-43' })), partition: 0 });
      const core = testCore(kafka, once);
      const stage = new NotifyStage(core);
      await stage.handle(batchOf(alerts, 0, kafka.messages(alerts)), LIVE, kafka.committer(group));

      // One request: the second alert waits behind the first without one.
      expect(down.requests).toHaveLength(1);
      const waiting = kafka.messages(alertsRetryTopic(once.template));
      expect(waiting.map((m) => [m.key?.toString(), JSON.parse(m.value!.toString()).id, m.headers['vigil-attempts'], m.headers['vigil-source-offset']])).toEqual([
        ['ops', 'a-0001', '1', '0'],
        ['ops', 'a-0002', '0', '1'],
      ]);
      const log = kafka.messages(alertDeliveriesTopic(once.template)).map((m) => JSON.parse(m.value!.toString()) as { alert_id: string; outcome: string; attempt: number });
      expect(log).toMatchObject([
        { alert_id: 'a-0001', outcome: 'waiting', attempt: 1 },
        { alert_id: 'a-0002', outcome: 'waiting', attempt: 0 },
      ]);
      expect(kafka.messages(alertsDeadLetterTopic(once.template))).toHaveLength(0);
      expect(kafka.groupCommits.get(group)).toEqual([{ topic: alerts, partition: 0, offset: '2' }]);
      expect(await core.metrics.registry.metrics()).toMatch(/vigil_alerts_waiting\{receiver="ops"\} 2/);
      await stage.onApplicationShutdown();
    } finally {
      await down.close();
    }
  });
});
