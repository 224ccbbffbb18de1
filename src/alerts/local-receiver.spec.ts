import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { request } from 'undici';
import { webhookReceiverSchema as receiverSchema } from '../model/template/receivers/webhook.config.js';
import { startLocalReceiver, summaryLine, type LocalReceiver } from './local-receiver.js';
import { makeNotification } from './testing/alert.fixture.js';
import { serializeAlertPayload, toAlertPayload } from './webhook.payload.js';
import { WebhookNotifier } from './receivers/webhook.notifier.js';
import { generateWebhookSecret, signWebhook } from './webhook.signer.js';

const SECRET = generateWebhookSecret();

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

function logCapture(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

function notifier(url: string, secret = SECRET): WebhookNotifier {
  return new WebhookNotifier(receiverSchema.parse({ name: 'local', type: 'webhook', url, secret, timeout: '2s' }));
}

/** Posts a body with given headers; returns status and parsed JSON answer. */
async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  return { status: response.statusCode, json: await response.body.json() };
}

describe('startLocalReceiver', () => {
  let receiver: LocalReceiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('accepts a signed alert from the notifier, prints one line and hands it over', async () => {
    const out = capture();
    const handed: [unknown, boolean][] = [];
    receiver = await startLocalReceiver({
      secrets: [SECRET],
      log: logCapture().log,
      out: out.stream,
      onAlert: (payload, verified) => void handed.push([payload, verified]),
    });

    const outcome = await notifier(receiver.url).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: true, status: 200 });
    expect(handed).toEqual([[toAlertPayload(makeNotification()), true]]);
    expect(receiver.received).toEqual([{ id: 'a-0001', payload: toAlertPayload(makeNotification()), verified: true, receivedAt: expect.any(Number) }]);
    expect(out.text()).toBe(
      '2025-01-01T12:00:05.000Z HIGH     finance/card_velocity entity=card-42 score=0.93 "12 payments in 60s" id=a-0001\n',
    );
  });

  it('answers 401 to a bad signature, shows nothing and logs why without the secret', async () => {
    const out = capture();
    const { log, lines } = logCapture();
    receiver = await startLocalReceiver({ secrets: [SECRET], log, out: out.stream });

    const outcome = await notifier(receiver.url, generateWebhookSecret()).notify(makeNotification());

    expect(outcome).toMatchObject({ ok: false, status: 401, reason: 'http_4xx', retryable: false });
    expect(receiver.received).toEqual([]);
    expect(out.text()).toBe('');
    expect(lines.join('')).toContain('no_matching_signature');
    expect(lines.join('')).not.toContain(SECRET.slice('whsec_'.length));
  });

  it('rejects an unsigned or stale request', async () => {
    receiver = await startLocalReceiver({ secrets: [SECRET], log: logCapture().log, out: capture().stream });
    const body = serializeAlertPayload(makeNotification());
    const stale = signWebhook({ id: 'a-0001', timestamp: Math.floor(Date.now() / 1000) - 3_600, body }, [SECRET]);

    expect(await post(receiver.url, body, {})).toEqual({ status: 401, json: { error: 'missing_headers' } });
    expect(await post(receiver.url, body, { ...stale })).toEqual({ status: 401, json: { error: 'timestamp_too_old' } });
  });

  it('deduplicates a repeated webhook-id: 200 again, but shown and handed over once', async () => {
    const out = capture();
    let handed = 0;
    receiver = await startLocalReceiver({ secrets: [SECRET], log: logCapture().log, out: out.stream, onAlert: () => void handed++ });
    const body = serializeAlertPayload(makeNotification());
    const sign = (): Record<string, string> => ({ ...signWebhook({ id: 'a-0001', timestamp: Math.floor(Date.now() / 1000), body }, [SECRET]) });

    expect(await post(receiver.url, body, sign())).toEqual({ status: 200, json: { status: 'ok' } });
    expect(await post(receiver.url, body, sign())).toEqual({ status: 200, json: { status: 'duplicate' } });
    expect(handed).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(out.text().split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('answers 500 when the hand-off fails, and processes the retry', async () => {
    let calls = 0;
    receiver = await startLocalReceiver({
      secrets: [SECRET],
      log: logCapture().log,
      out: capture().stream,
      onAlert: () => {
        if (calls++ === 0) throw new Error('disk full');
      },
    });
    const send = notifier(receiver.url);

    expect(await send.notify(makeNotification())).toMatchObject({ status: 500, reason: 'http_5xx', retryable: true });
    expect(await send.notify(makeNotification())).toMatchObject({ ok: true });
    expect(calls).toBe(2);
    expect(receiver.received).toHaveLength(1);
  });

  it('without secrets accepts alerts but marks them unverified', async () => {
    const out = capture();
    receiver = await startLocalReceiver({ secrets: [], log: logCapture().log, out: out.stream });

    expect(await notifier(receiver.url).notify(makeNotification())).toMatchObject({ ok: true });
    expect(receiver.received[0]!.verified).toBe(false);
    expect(out.text()).toMatch(/ \(unverified\)\n$/);
  });

  it('answers 405 to other methods, 400 to a signed non-alert and 413 to an oversized body', async () => {
    receiver = await startLocalReceiver({ secrets: [SECRET], log: logCapture().log, out: capture().stream, maxBodyBytes: 2_048 });
    const signed = (body: string): Record<string, string> => ({
      ...signWebhook({ id: `x-${body.length}`, timestamp: Math.floor(Date.now() / 1000), body }, [SECRET]),
    });

    const get = await request(receiver.url);
    await get.body.dump();
    expect(get.statusCode).toBe(405);
    expect(await post(receiver.url, '{"hello":1}', signed('{"hello":1}'))).toEqual({ status: 400, json: { error: 'invalid_payload' } });
    const huge = 'x'.repeat(10_000);
    expect(await post(receiver.url, huge, signed(huge))).toEqual({ status: 413, json: { error: 'body_too_large' } });
  });
});

describe('summaryLine', () => {
  it('keeps one alert on one line whatever the event data contains', () => {
    const payload = toAlertPayload(makeNotification({ entity: 'card\n42', title: 'evil\r\ntitle\u001b[31m' }));
    const line = summaryLine(payload, true);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\r\n\u001b]/);
    expect(line).toContain('entity=card 42');
  });
});
