import { inspect } from 'node:util';
import { makeNotification } from '../testing/alert.fixture.js';
import { startRecordingServer, type RecordingServer } from '../testing/recording-server.js';
import { generateWebhookSecret } from '../webhook.secret.js';
import { createNotifier } from './notifier-factory.js';
import { receiverSchema, redactReceiver, type ReceiverSpec } from '../../model/template/receivers/receiver.schema.js';

/**
 * The one test every receiver type passes (like Alertmanager's shared notifier test): whatever a
 * receiver echoes back, its secrets never reach an outcome's error, the printed notifier, or the
 * redacted template.
 */
const WEBHOOK_SECRET = generateWebhookSecret();
const SLACK_PATH = '/services/T0SECRET1/B0SECRET2/xoxSecretHookToken123';
const ROUTING_KEY = 'pdRoutingKeySecret0123456789ab';
const HEADER_TOKEN = 'Bearer hdr_tok_77aa99';

function cases(url: string): { spec: ReceiverSpec; secrets: string[] }[] {
  return [
    {
      spec: receiverSchema.parse({ name: 'hook', type: 'webhook', url, secrets: [WEBHOOK_SECRET], headers: { authorization: HEADER_TOKEN } }),
      secrets: [WEBHOOK_SECRET.slice('whsec_'.length), 'hdr_tok_77aa99'],
    },
    { spec: receiverSchema.parse({ name: 'chat', type: 'slack', url: new URL(SLACK_PATH, url).toString() }), secrets: ['xoxSecretHookToken123', 'T0SECRET1/B0SECRET2'] },
    { spec: receiverSchema.parse({ name: 'pager', type: 'pagerduty', url, routingKey: ROUTING_KEY }), secrets: [ROUTING_KEY] },
  ];
}

describe('receiver secrets', () => {
  let server: RecordingServer;
  beforeAll(async () => {
    // Echoes the whole request (URL path, headers, body) in an error response.
    server = await startRecordingServer((res, request) => res.writeHead(400).end(`${request.url} ${JSON.stringify(request.headers)} ${request.body}`));
  });
  afterAll(() => server.close());

  it.each(['webhook', 'slack', 'pagerduty'])('%s: never in errors, printed notifiers or the redacted template', async (type) => {
    const { spec, secrets } = cases(server.url).find((c) => c.spec.type === type)!;
    const notifier = createNotifier(spec);
    const outcome = await notifier.notify(makeNotification());

    expect(outcome).toMatchObject({ ok: false, reason: 'http_4xx' });
    expect(outcome.error).toContain('[redacted]');
    for (const printed of [JSON.stringify(outcome), inspect(notifier, { depth: 8 }), JSON.stringify(redactReceiver(spec))]) {
      for (const secret of secrets) expect(printed).not.toContain(secret);
    }
  });
});
