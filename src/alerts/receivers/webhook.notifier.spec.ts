import { inspect } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { webhookReceiverSchema as receiverSchema, type WebhookReceiverSpec as ReceiverSpec } from '../../model/template/receivers/webhook.config.js';
import { makeNotification } from '../testing/alert.fixture.js';
import { closedPortUrl, startRecordingServer, type RecordingServer } from '../testing/recording-server.js';
import { toAlertPayload } from '../webhook.payload.js';
import { WebhookNotifier } from './webhook.notifier.js';
import { generateWebhookSecret } from '../webhook.signer.js';

const SECRET = generateWebhookSecret();
const AUTH_TOKEN = 'Bearer tok_3b9f2c7e1a';

function spec(url: string, overrides: Record<string, unknown> = {}): ReceiverSpec {
  return receiverSchema.parse({ name: 'ops', type: 'webhook', url, secret: SECRET, timeout: '2s', ...overrides });
}

/** Verifies a recorded request with the reference library; returns the parsed payload. */
function referenceVerify(server: RecordingServer, index: number, secret = SECRET): unknown {
  const request = server.requests[index]!;
  return new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
}

describe('WebhookNotifier', () => {
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('POSTs the signed alert and reports ok on 2xx', async () => {
    server = await startRecordingServer((res) => res.writeHead(200).end('thanks'));
    const notifier = new WebhookNotifier(spec(server.url, { headers: { 'X-Team': 'risk' } }));

    const outcome = await notifier.notify(makeNotification());

    expect(outcome).toEqual({ ok: true, reason: 'ok', retryable: false, status: 200, latencyMs: expect.any(Number) });
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe('a-0001');
    expect(request.headers['x-team']).toBe('risk');
    expect(referenceVerify(server, 0)).toEqual(toAlertPayload(makeNotification()));
  });

  it("does not let the receiver's configured headers replace the signed ones", async () => {
    server = await startRecordingServer((res) => res.writeHead(204).end());
    const headers = { 'Webhook-Signature': 'v1,forged', 'webhook-id': 'other', 'Content-Type': 'text/plain' };
    await new WebhookNotifier(spec(server.url, { headers })).notify(makeNotification());

    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
    expect(server.requests[0]!.headers['webhook-id']).toBe('a-0001');
    expect(() => referenceVerify(server!, 0)).not.toThrow();
  });

  it('signs with every resolved secret while rotating', async () => {
    server = await startRecordingServer((res) => res.writeHead(200).end());
    const next = generateWebhookSecret();
    await new WebhookNotifier(spec(server.url), { secrets: [next, SECRET] }).notify(makeNotification());

    expect(() => referenceVerify(server!, 0, SECRET)).not.toThrow();
    expect(() => referenceVerify(server!, 0, next)).not.toThrow();
  });

  it('sends id and timestamp but no signature when the receiver has no secret', async () => {
    server = await startRecordingServer((res) => res.writeHead(200).end());
    await new WebhookNotifier(spec(server.url, { secret: undefined })).notify(makeNotification());

    expect(server.requests[0]!.headers['webhook-id']).toBe('a-0001');
    expect(server.requests[0]!.headers['webhook-timestamp']).toMatch(/^\d+$/);
    expect(server.requests[0]!.headers['webhook-signature']).toBeUndefined();
  });

  it('reports 500 as retryable http_5xx, quoting the start of the response', async () => {
    server = await startRecordingServer((res) => res.writeHead(500).end('database\n down'));
    const outcome = await new WebhookNotifier(spec(server.url)).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: false, reason: 'http_5xx', retryable: true, status: 500, error: 'HTTP 500: database down' });
    expect(outcome.retryAfterMs).toBeUndefined();
  });

  it('reports 400 as http_4xx, not retryable', async () => {
    server = await startRecordingServer((res) => res.writeHead(400).end());
    const outcome = await new WebhookNotifier(spec(server.url)).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: false, reason: 'http_4xx', retryable: false, status: 400, error: 'HTTP 400' });
  });

  it('reports 429 with Retry-After seconds as retryable http_429 with retryAfterMs', async () => {
    server = await startRecordingServer((res) => res.writeHead(429, { 'retry-after': '7' }).end());
    const outcome = await new WebhookNotifier(spec(server.url)).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: false, reason: 'http_429', retryable: true, status: 429, retryAfterMs: 7_000 });
  });

  it('honours a Retry-After HTTP-date on 503', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    server = await startRecordingServer((res) => res.writeHead(503, { 'retry-after': at }).end());
    const outcome = await new WebhookNotifier(spec(server.url)).notify(makeNotification());

    expect(outcome).toMatchObject({ reason: 'http_5xx', retryable: true, status: 503 });
    expect(outcome.retryAfterMs).toBeGreaterThan(27_000);
    expect(outcome.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('gives up on a receiver that never answers within the configured timeout', async () => {
    server = await startRecordingServer(() => undefined);
    const notifier = new WebhookNotifier(spec(server.url, { timeout: '300ms' }));

    const started = performance.now();
    const outcome = await notifier.notify(makeNotification());
    const elapsed = performance.now() - started;

    expect(outcome).toMatchObject({ ok: false, reason: 'timeout', retryable: true });
    expect(outcome.error).toMatch(/^timed out after 300ms/);
    expect(outcome.status).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1_500);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(280);
  });

  it('reports a refused connection as retryable network failure', async () => {
    const outcome = await new WebhookNotifier(spec(await closedPortUrl())).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: false, reason: 'network', retryable: true });
    expect(outcome.error).toContain('ECONNREFUSED');
  });

  it('never leaks secrets or header values, even when the receiver echoes the request', async () => {
    // The token sits past the quoted length too: redaction must happen before truncation.
    server = await startRecordingServer((res, request) =>
      res.writeHead(401).end(`${JSON.stringify(request.headers)} ${'x'.repeat(190)} ${AUTH_TOKEN}`),
    );
    const key = SECRET.slice('whsec_'.length);
    const notifier = new WebhookNotifier(spec(`${server.url}?token=qs_secret_991`, { headers: { authorization: AUTH_TOKEN } }));

    const outcome = await notifier.notify(makeNotification());

    expect(outcome.reason).toBe('http_4xx');
    expect(outcome.error).toContain('[redacted]');
    for (const printed of [JSON.stringify(outcome), inspect(notifier, { depth: 5 }), JSON.stringify(notifier)]) {
      expect(printed).not.toContain(key);
      expect(printed).not.toContain('tok_3b9f2c7e1a');
      expect(printed).not.toContain('qs_secret_991');
    }
  });

  it('rejects a malformed secret at construction without quoting it', () => {
    expect(() => new WebhookNotifier(spec('http://127.0.0.1/', { secret: 'whsec_%%%oops' }))).toThrow(
      expect.objectContaining({ code: 'VIGIL_CONFIG_INVALID', message: expect.not.stringContaining('oops') }),
    );
  });
});
