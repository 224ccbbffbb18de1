import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { testAlert } from '../utils/alerts.js';
import { eventually, isolatedFinanceTemplate, queryRows, setAlerting, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const MINUTE = 60_000;
const T = Date.UTC(2026, 0, 10, 9);

interface Row {
  alert_id: string;
  outcome: string;
  error: string;
}

describe('silences and inhibition (real Kafka broker, embedded ClickHouse, API, real HTTP receiver)', () => {
  let receiver: RecordingServer;
  let pipeline: RunningPipeline | undefined;
  beforeAll(async () => {
    receiver = await startRecordingServer((res) => res.writeHead(200).end());
  });
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  }, 60_000);
  afterAll(() => receiver.close());

  it('a silence made through the API survives a restart and suppresses matching alerts in its event-time range; a critical alert inhibits a later high one for the same entity', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    await setAlerting(file, { receivers: [`{ name: ops, type: webhook, url: "${receiver.url}" }`], routes: ['receiver: ops'] });
    const options = { templateFile: file, database: `${prefix}_noise`, services: ['sink', 'notify', 'api'] as const };

    pipeline = await startPipeline(options);
    const api = pipeline.stages.apiUrl!;
    const post = (body: unknown) => fetch(`${api}/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const bad = await post({ matchers: [{ name: 'entity', value: 'x' }], starts_at: T, ends_at: T - 1 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'VIGIL_SILENCE_INVALID', problems: ['ends_at: ends_at must be after starts_at'] });
    const created = await post({
      matchers: [{ name: 'entity', value: 'card-quiet' }],
      starts_at: new Date(T - 10 * MINUTE).toISOString(),
      ends_at: new Date(T + 60 * MINUTE).toISOString(),
      comment: 'card under investigation',
    });
    expect(created.status).toBe(201);
    const silence = (await created.json()) as { id: string };
    await eventually(async () => (await (await fetch(`${api}/silences`)).json()) as { silences: { id: string }[] }, (r) => r.silences.some((s) => s.id === silence.id), 30_000, 'the silence listed');
    await pipeline.stop();

    // Restarted: the silence is read back from Kafka before notify handles any alert.
    pipeline = await startPipeline(options);
    await createTopic(`${prefix}.alerts`, 6).catch(() => undefined);
    const alerts = [
      testAlert({ template: name, id: 'a-quiet', entity: 'card-quiet', at: T }),
      testAlert({ template: name, id: 'a-quiet-later', entity: 'card-quiet', at: T + 2 * 60 * MINUTE }),
      testAlert({ template: name, id: 'a-loud', entity: 'card-loud', at: T }),
      testAlert({ template: name, id: 'a-crit', entity: 'card-inh', detector: 'card_takeover', severity: 'critical', at: T }),
      testAlert({ template: name, id: 'a-inhibited', entity: 'card-inh', at: T + 5 * MINUTE }),
      testAlert({ template: name, id: 'a-after', entity: 'card-inh', at: T + 40 * MINUTE }),
    ];
    await produceWithKcat(`${prefix}.alerts`, alerts.map((a) => ({ key: a.finding.entity, value: JSON.stringify(a) })));

    const ch = pipeline.clickhouse;
    const rows = await eventually(
      () => queryRows<Row>(ch, 'SELECT alert_id, outcome, error FROM alert_deliveries ORDER BY alert_id'),
      (r) => r.length >= alerts.length,
      60_000,
      'a delivery-log row per alert',
    );
    expect(rows).toEqual([
      { alert_id: 'a-after', outcome: 'delivered', error: '' },
      { alert_id: 'a-crit', outcome: 'delivered', error: '' },
      { alert_id: 'a-inhibited', outcome: 'suppressed', error: 'inhibited by a-crit' },
      { alert_id: 'a-loud', outcome: 'delivered', error: '' },
      { alert_id: 'a-quiet', outcome: 'suppressed', error: `silenced by ${silence.id}` },
      { alert_id: 'a-quiet-later', outcome: 'delivered', error: '' },
    ]);
    expect(receiver.requests.map((r) => r.headers['webhook-id']).sort()).toEqual(['a-after', 'a-crit', 'a-loud', 'a-quiet-later']);
    const metrics = await (await fetch(`${pipeline.stages.apiUrl!}/metrics`)).text();
    expect(metrics).toMatch(/vigil_alerts_suppressed_total\{receiver="ops",reason="silenced"\} 1/);
    expect(metrics).toMatch(/vigil_alerts_suppressed_total\{receiver="ops",reason="inhibited"\} 1/);

    const deleted = await fetch(`${pipeline.stages.apiUrl!}/silences/${silence.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    await eventually(async () => (await (await fetch(`${pipeline!.stages.apiUrl!}/silences`)).json()) as { silences: unknown[] }, (r) => r.silences.length === 0, 30_000, 'the silence gone');
  }, 180_000);

  it('the storm guard lets max alerts per event-time window through and sends one digest of the rest', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    const storm = await startRecordingServer((res) => res.writeHead(200).end());
    try {
      await setAlerting(file, { receivers: [`{ name: ops, type: webhook, url: "${storm.url}", rateLimit: { max: 2, per: 1m } }`], routes: ['receiver: ops'] });
      pipeline = await startPipeline({ templateFile: file, database: `${prefix}_storm`, services: ['sink', 'notify'] });
      await createTopic(`${prefix}.alerts`, 6).catch(() => undefined);
      // One partition, so event time is seen in order.
      const burst = [0, 1, 2, 3, 4].map((i) => testAlert({ template: name, id: `s-${i}`, entity: `card-s${i}`, ...(i === 3 ? { detector: 'card_takeover', severity: 'critical' as const } : {}), at: T + i * 1000 }));
      const after = testAlert({ template: name, id: 's-after', entity: 'card-after', at: T + 2 * MINUTE });
      await produceWithKcat(`${prefix}.alerts`, [...burst, after].map((a) => ({ key: 'one-key', value: JSON.stringify(a) })));

      await eventually(async () => storm.requests.length, (n) => n >= 4, 60_000, 'four webhooks');
      const payloads = storm.requests.map((r) => JSON.parse(r.body) as { id: string; finding: { kind: string; values: Record<string, number>; event_ids: string[] } });
      expect(payloads.map((p) => p.id)).toEqual(['s-0', 's-1', `digest_ops_${Math.floor(T / MINUTE) * MINUTE}`, 's-after']);
      expect(payloads[2]!.finding).toMatchObject({ kind: 'storm_guard.digest', values: { held: 3, 'severity.critical': 1, 'severity.high': 2 }, event_ids: ['s-2', 's-3', 's-4'] });
      const rows = await eventually(
        () => queryRows<Row>(pipeline!.clickhouse, "SELECT alert_id, outcome, error FROM alert_deliveries WHERE outcome = 'suppressed' ORDER BY alert_id"),
        (r) => r.length >= 3,
        60_000,
        'three held-back rows',
      );
      expect(rows).toEqual(['s-2', 's-3', 's-4'].map((id) => ({ alert_id: id, outcome: 'suppressed', error: 'held back by the storm guard' })));
    } finally {
      await storm.close();
    }
  }, 180_000);
});
