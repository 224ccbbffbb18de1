import { makeNotification } from '../testing/alert.fixture.js';
import { startRecordingServer, type RecordingServer } from '../testing/recording-server.js';
import { slackReceiverSchema } from '../../model/template/receivers/slack.config.js';
import { SlackNotifier } from './slack.notifier.js';

function notifierFor(url: string): SlackNotifier {
  return new SlackNotifier(slackReceiverSchema.parse({ name: 'chat', type: 'slack', url, timeout: '2s' }));
}

describe('SlackNotifier', () => {
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('posts a Block Kit message with the facts, the comparisons and a dashboard button', async () => {
    server = await startRecordingServer((res) => res.writeHead(200).end('ok'));
    const outcome = await notifierFor(server.url).notify(makeNotification({ entity: 'card<42>&co' }));

    expect(outcome).toMatchObject({ ok: true, status: 200 });
    const body = JSON.parse(server.requests[0]!.body) as { text: string; blocks: { type: string; [key: string]: unknown }[] };
    expect(body.text).toBe('[HIGH] finance/card_velocity card<42>&co: 12 payments in 60s');
    expect(body.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'actions', 'context']);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'HIGH: 12 payments in 60s' } });
    // mrkdwn control characters are escaped, so event data cannot inject links or mentions.
    expect(JSON.stringify(body.blocks[1])).toContain('card&lt;42&gt;&amp;co');
    expect(body.blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '• count: *12* (threshold count 5)' } });
    const button = (body.blocks[3] as unknown as { elements: { url: string }[] }).elements[0]!;
    expect(button.url).toMatch(/^http:\/\/grafana\.test:3000\/d\/vigil-finance\?var-entity=card%3C42%3E%26co&/);
  });

  it('says RESOLVED for a resolved notification', async () => {
    server = await startRecordingServer((res) => res.writeHead(200).end('ok'));
    await notifierFor(server.url).notify(makeNotification({}, 'resolved'));
    const body = JSON.parse(server.requests[0]!.body) as { text: string };
    expect(body.text).toMatch(/^\[RESOLVED\] /);
  });

  it('retries after Slack rate limiting and not after a revoked webhook', async () => {
    server = await startRecordingServer((res, _request, index) =>
      index === 0 ? res.writeHead(429, { 'retry-after': '3' }).end('rate_limited') : res.writeHead(404).end('no_service'),
    );
    const notifier = notifierFor(server.url);
    expect(await notifier.notify(makeNotification())).toMatchObject({ ok: false, reason: 'http_429', retryable: true, retryAfterMs: 3000 });
    expect(await notifier.notify(makeNotification())).toMatchObject({ ok: false, reason: 'http_4xx', retryable: false, error: 'HTTP 404: no_service' });
  });
});
