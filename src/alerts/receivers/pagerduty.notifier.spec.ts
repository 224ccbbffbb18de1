import { makeNotification } from '../testing/alert.fixture.js';
import { startRecordingServer, type RecordingServer } from '../testing/recording-server.js';
import { pagerDutyReceiverSchema } from '../../model/template/receivers/pagerduty.config.js';
import { PagerDutyNotifier } from './pagerduty.notifier.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

function notifierFor(url: string): PagerDutyNotifier {
  return new PagerDutyNotifier(pagerDutyReceiverSchema.parse({ name: 'pager', type: 'pagerduty', routingKey: ROUTING_KEY, url, timeout: '2s' }));
}

describe('PagerDutyNotifier', () => {
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('defaults to the Events API v2 endpoint', () => {
    expect(pagerDutyReceiverSchema.parse({ name: 'pager', type: 'pagerduty', routingKey: ROUTING_KEY }).url).toBe('https://events.pagerduty.com/v2/enqueue');
  });

  it('triggers with the alert fingerprint as dedup_key and the explanation as details', async () => {
    server = await startRecordingServer((res) => res.writeHead(202).end('{"status":"success","dedup_key":"3f9c0a1b2c3d4e5f"}'));
    const outcome = await notifierFor(server.url).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: true, status: 202 });
    const event = JSON.parse(server.requests[0]!.body) as Record<string, unknown>;
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: '3f9c0a1b2c3d4e5f',
      payload: {
        summary: '12 payments in 60s (finance/card_velocity, card-42)',
        source: 'vigil/finance',
        severity: 'error',
        timestamp: '2025-01-01T12:00:04.000Z',
        component: 'card-42',
        group: 'finance',
        class: 'card_velocity',
        custom_details: { alert_id: 'a-0001', event_ids: ['e1', 'e2'] },
      },
      links: [{ href: expect.stringMatching(/^http:\/\/grafana\.test:3000\/d\/vigil-finance\?/), text: 'Vigil dashboard' }],
    });
  });

  it('resolves the same incident when the condition clears', async () => {
    server = await startRecordingServer((res) => res.writeHead(202).end());
    await notifierFor(server.url).notify(makeNotification({}, 'resolved'));
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: '3f9c0a1b2c3d4e5f' });
  });

  it('does not retry an event PagerDuty calls invalid, and retries when it throttles', async () => {
    server = await startRecordingServer((res, _request, index) =>
      index === 0 ? res.writeHead(400).end('{"status":"invalid event"}') : res.writeHead(429).end(),
    );
    const notifier = notifierFor(server.url);
    expect(await notifier.notify(makeNotification())).toMatchObject({ reason: 'http_4xx', retryable: false });
    expect(await notifier.notify(makeNotification())).toMatchObject({ reason: 'http_429', retryable: true });
  });
});
