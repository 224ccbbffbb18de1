import { setTimeout as sleep } from 'node:timers/promises';
import { consumeWithKcat, createTopic, produceWithKcat } from '../utils/kafka.js';
import { OutageReceiver } from '../utils/outage-receiver.js';
import { eventually, isolatedFinanceTemplate, setAlerting, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

/** How long the receiver is down (issue 19 asks for five minutes). */
const OUTAGE_MS = 5 * 60_000;
const ALERTS = 10;

function alert(name: string, i: number): { key: string; value: string } {
  const at = Date.now();
  const finding = {
    id: `f-${i}`, template: name, detector: 'card_velocity', detector_type: 'velocity', detector_version: '1', entity: `card-${i}`, severity: 'high',
    kind: 'velocity.count', title: 'burst', score: 1, time: at, window_start: at - 60_000, window_end: at, values: {}, thresholds: {}, event_ids: [], trigger_event_id: '',
  };
  return { key: `card-${i}`, value: JSON.stringify({ id: `heal-${i}`, fingerprint: `fp-${i}`, template: name, created_at: at, finding }) };
}

describe('alerts heal themselves after a receiver outage (real Kafka broker, real HTTP receiver)', () => {
  let pipeline: RunningPipeline | undefined;
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  }, 60_000);

  it('alerts raised while the receiver is down arrive by themselves, once each, when it is back; none is dead-lettered, and a restart mid-outage loses none', async () => {
    const receiver = new OutageReceiver();
    await receiver.up();
    await receiver.down();
    const { file, prefix, name } = await isolatedFinanceTemplate();
    await setAlerting(file, {
      receivers: [`{ name: ops, type: webhook, url: "${receiver.url}", timeout: 500ms, maxAttempts: 3, backoff: { initial: 50ms, max: 200ms }, breaker: { failures: 2, cooldown: 5s } }`],
      routes: ['receiver: ops'],
    });
    await createTopic(`${prefix}.alerts`, 6);
    const start = () => startPipeline({ templateFile: file, database: `${prefix}_heal`, services: ['notify'] });
    pipeline = await start();
    const sent: string[] = [];
    try {
      // Alerts keep coming during the outage; half-way the notify process restarts.
      for (let i = 0; i < ALERTS; i++) {
        await produceWithKcat(`${prefix}.alerts`, [alert(name, i)]);
        sent.push(`heal-${i}`);
        await sleep(OUTAGE_MS / ALERTS);
        if (i === ALERTS / 2 - 1) {
          const stopping = Date.now();
          await pipeline.stop();
          // Shutdown stays prompt: waits for the receiver end at once.
          expect(Date.now() - stopping).toBeLessThan(15_000);
          pipeline = await start();
        }
      }
      expect(receiver.accepted).toHaveLength(0);
      await receiver.up();
      const back = Date.now();
      await eventually(async () => new Set(receiver.accepted.map((r) => String(r.headers['webhook-id']))).size, (n) => n >= ALERTS, 90_000, 'every alert at the recovered receiver');
      // Probed once per breaker cooldown (5 s): all of them arrive within about one cooldown.
      expect(Date.now() - back).toBeLessThan(15_000);
      await sleep(3_000);
      const ids = receiver.accepted.map((r) => String(r.headers['webhook-id']));
      // Each alert accepted once (repeats, if any, carry the same webhook-id and are deduplicated).
      expect([...ids].sort()).toEqual([...sent].sort());
      const dlq = await consumeWithKcat(`${prefix}.alerts.dlq`, { count: 1, timeoutMs: 5_000 });
      expect(dlq).toHaveLength(0);
      const log = (await consumeWithKcat(`${prefix}.alerts.deliveries`, { count: 10_000, timeoutMs: 10_000 })).map((r) => JSON.parse(r.value!) as { alert_id: string; outcome: string });
      expect(new Set(log.filter((r) => r.outcome === 'waiting').map((r) => r.alert_id))).toEqual(new Set(sent));
      expect(new Set(log.filter((r) => r.outcome === 'delivered').map((r) => r.alert_id))).toEqual(new Set(sent));
      expect(log.some((r) => r.outcome === 'dead_lettered')).toBe(false);
      // The waiting gauge is back to zero.
      const metrics = await pipeline.owned.core.metrics.registry.metrics();
      expect(metrics).toMatch(/vigil_alerts_waiting\{receiver="ops"\} 0/);
    } finally {
      await receiver.down();
    }
  }, OUTAGE_MS + 180_000);
});
