import { startRecordingServer, type RecordingServer } from '../../src/alerts/testing/recording-server.js';
import type { AlertPayload } from '../../src/alerts/webhook.payload.js';
import { createTopic, produceWithKcat } from '../utils/kafka.js';
import { testAlert } from '../utils/alerts.js';
import { eventually, isolatedFinanceTemplate, setAlerting, startPipeline, type RunningPipeline } from '../utils/pipeline.js';

const S = 1000;
const MINUTE = 60 * S;
const T = Date.UTC(2026, 0, 10, 9);

describe('grouped routes (real Kafka broker, embedded ClickHouse, real HTTP receiver)', () => {
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

  it('groups a burst into one notification after groupWait, rebuilds the group after a restart with the same webhook-id, and resolves it in event time', async () => {
    const { file, prefix, name } = await isolatedFinanceTemplate();
    await setAlerting(file, {
      receivers: [`{ name: ops, type: webhook, url: "${receiver.url}" }`],
      routes: ['{ receiver: ops, groupBy: [detector], groupWait: 2s, groupInterval: 1m, repeatInterval: 4h, resolveAfter: 30s }'],
    });
    const options = { templateFile: file, database: `${prefix}_groups`, services: ['notify'] as const };
    await createTopic(`${prefix}.alerts`, 6).catch(() => undefined);
    const burst = [testAlert({ template: name, id: 'a1', entity: 'card-1', at: T }), testAlert({ template: name, id: 'a2', entity: 'card-2', at: T + S }), testAlert({ template: name, id: 'a3', entity: 'card-3', at: T + 1500 })];
    await produceWithKcat(`${prefix}.alerts`, burst.map((a) => ({ key: 'k', value: JSON.stringify(a) })));

    const payloads = () => receiver.requests.map((r) => JSON.parse(r.body) as AlertPayload);
    pipeline = await startPipeline(options);
    await eventually(async () => receiver.requests.length, (n) => n >= 1, 60_000, 'the group notification');
    const [first] = payloads();
    expect(first).toMatchObject({ status: 'firing', group: { labels: { detector: 'card_velocity' }, resolved: [] } });
    expect(first!.group!.firing.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    expect(first!.id).toBe(receiver.requests[0]!.headers['webhook-id']);
    await pipeline.stop();

    // Restarted: the alerts were not committed past (the group still needs them), so they are read
    // again and the same notification goes out with the same webhook-id (receivers drop it).
    pipeline = await startPipeline(options);
    await eventually(async () => receiver.requests.length, (n) => n >= 2, 60_000, 'the rebuilt group notification');
    expect(payloads()[1]!.id).toBe(first!.id);

    // A later alert of another detector moves event time past resolveAfter: the first group resolves.
    await produceWithKcat(`${prefix}.alerts`, [{ key: 'k', value: JSON.stringify(testAlert({ template: name, id: 'b1', entity: 'card-9', detector: 'terminal_burst', at: T + 5 * MINUTE })) }]);
    await eventually(async () => receiver.requests.length, (n) => n >= 4, 60_000, 'resolved and new group notifications');
    const later = payloads().slice(2);
    const resolved = later.find((p) => p.status === 'resolved')!;
    expect(resolved.group!.labels).toEqual({ detector: 'card_velocity' });
    expect(resolved.group!.resolved.map((a) => a.id)).toEqual(['a1', 'a2', 'a3']);
    expect(resolved.group!.firing).toEqual([]);
    const other = later.find((p) => p.group?.labels.detector === 'terminal_burst')!;
    expect(other).toMatchObject({ status: 'firing' });
    expect(other.group!.firing.map((a) => a.id)).toEqual(['b1']);
    expect(new Set(payloads().map((p) => p.id)).size).toBe(3);
  }, 180_000);
});
