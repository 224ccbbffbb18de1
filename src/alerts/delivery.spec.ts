import { Webhook } from 'standardwebhooks';
import { webhookReceiverSchema as receiverSchema } from '../model/template/receivers/webhook.config.js';
import { deliverWithRetries } from './delivery.js';
import type { Notifier } from './notifier.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';
import { makeNotification } from './testing/alert.fixture.js';
import { startRecordingServer, type RecordingServer } from './testing/recording-server.js';
import { WebhookNotifier } from './receivers/webhook.notifier.js';
import { generateWebhookSecret } from './webhook.signer.js';

const SECRET = generateWebhookSecret();
const FAST = { baseMs: 5, capMs: 20 };

function notifierFor(url: string): WebhookNotifier {
  return new WebhookNotifier(receiverSchema.parse({ name: 'ops', type: 'webhook', url, secret: SECRET, timeout: '2s' }));
}

/** A notifier that replays scripted outcomes, for what the wait between attempts should be. */
function scripted(outcomes: Partial<DeliveryOutcome>[]): Notifier & { calls: number } {
  const notifier = {
    name: 'scripted',
    type: 'webhook' as const,
    calls: 0,
    notify: (): Promise<DeliveryOutcome> => {
      const next = outcomes[notifier.calls++] ?? {};
      return Promise.resolve({ ok: false, reason: 'http_5xx', retryable: true, latencyMs: 1, ...next } as DeliveryOutcome);
    },
  };
  return notifier;
}

describe('deliverWithRetries', () => {
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries a receiver that fails twice, then delivers with the same webhook-id each time', async () => {
    server = await startRecordingServer((res, _request, index) => res.writeHead(index < 2 ? 503 : 200).end());
    const seen: number[] = [];

    const result = await deliverWithRetries(notifierFor(server.url), makeNotification(), {
      maxAttempts: 5,
      backoff: FAST,
      onAttempt: (_outcome, attempt) => seen.push(attempt),
    });

    expect(result.delivered).toBe(true);
    expect(result.aborted).toBe(false);
    expect(result.attempts.map((a) => a.reason)).toEqual(['http_5xx', 'http_5xx', 'ok']);
    expect(seen).toEqual([1, 2, 3]);
    expect(server.requests.map((r) => r.headers['webhook-id'])).toEqual(['a-0001', 'a-0001', 'a-0001']);
    // Every retry is freshly and validly signed.
    for (const request of server.requests) {
      expect(() => new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    }
  });

  it('stops at the first non-retryable outcome (the caller dead-letters it)', async () => {
    server = await startRecordingServer((res) => res.writeHead(422).end());
    const result = await deliverWithRetries(notifierFor(server.url), makeNotification(), { maxAttempts: 5, backoff: FAST });

    expect(result).toMatchObject({ delivered: false, aborted: false });
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ reason: 'http_4xx', retryable: false, status: 422 });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxAttempts', async () => {
    server = await startRecordingServer((res) => res.writeHead(500).end());
    const result = await deliverWithRetries(notifierFor(server.url), makeNotification(), { maxAttempts: 3, backoff: FAST });

    expect(result).toMatchObject({ delivered: false, aborted: false });
    expect(result.attempts.map((a) => a.reason)).toEqual(['http_5xx', 'http_5xx', 'http_5xx']);
    expect(server.requests).toHaveLength(3);
  });

  it('waits full-jitter backoff between attempts, or the Retry-After the receiver asked for', async () => {
    const notifier = scripted([{}, { reason: 'http_429', retryAfterMs: 4_000 }, {}, { ok: true, reason: 'ok', retryable: false }]);
    const waits: number[] = [];

    const result = await deliverWithRetries(notifier, makeNotification(), {
      maxAttempts: 10,
      backoff: { baseMs: 100, capMs: 250, maxRetryAfterMs: 60_000 },
      random: () => 0.5,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });

    expect(result.delivered).toBe(true);
    expect(waits).toEqual([50, 4_000, 125]);
    expect(notifier.calls).toBe(4);
  });

  it('stops waiting when shutdown aborts, and says so (the caller must not commit)', async () => {
    server = await startRecordingServer((res) => res.writeHead(500).end());
    const shutdown = new AbortController();
    const started = performance.now();

    const result = await deliverWithRetries(notifierFor(server.url), makeNotification(), {
      maxAttempts: 8,
      backoff: { baseMs: 60_000, capMs: 60_000 },
      random: () => 0.99,
      signal: shutdown.signal,
      onAttempt: () => setTimeout(() => shutdown.abort(), 20),
    });

    expect(result).toMatchObject({ delivered: false, aborted: true });
    expect(result.attempts).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('makes no attempt when already aborted', async () => {
    const notifier = scripted([]);
    const result = await deliverWithRetries(notifier, makeNotification(), {
      maxAttempts: 3,
      backoff: FAST,
      signal: AbortSignal.abort(),
    });

    expect(result).toEqual({ delivered: false, aborted: true, attempts: [] });
    expect(notifier.calls).toBe(0);
  });

  it('reports aborted when a custom sleep resolves early on abort instead of rejecting', async () => {
    const shutdown = new AbortController();
    const notifier = scripted([]);
    const result = await deliverWithRetries(notifier, makeNotification(), {
      maxAttempts: 3,
      backoff: FAST,
      signal: shutdown.signal,
      sleep: () => {
        shutdown.abort();
        return Promise.resolve();
      },
    });

    expect(result).toMatchObject({ delivered: false, aborted: true });
    expect(notifier.calls).toBe(1);
  });
});
