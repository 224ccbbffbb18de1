import { inspect } from 'node:util';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { isVigilError } from '../errors/vigil-error.js';
import { generateWebhookSecret, signWebhook, verifyWebhook, WebhookSecret } from './webhook.signer.js';

// The reference implementation (standardwebhooks) is the independent judge of our signatures.
const SECRET_A = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SECRET_B = generateWebhookSecret();
const BODY = JSON.stringify({ type: 'vigil.alert', id: 'a-1', title: 'Überweisung 💸 à Zürich' });

function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

describe('signWebhook', () => {
  it('produces headers the reference library verifies', () => {
    const headers = signWebhook({ id: 'a-1', timestamp: nowSec(), body: BODY }, [SECRET_A]);

    expect(headers['webhook-id']).toBe('a-1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(SECRET_A).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('reproduces the Standard Webhooks specification test vector', () => {
    const headers = signWebhook({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' }, [SECRET_A]);
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('matches the reference signature byte for byte (including multi-byte UTF-8 bodies)', () => {
    const timestamp = 1614265330;
    const headers = signWebhook({ id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp, body: BODY }, [SECRET_A]);
    const reference = new Webhook(SECRET_A).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(timestamp * 1000), BODY);
    expect(headers['webhook-signature']).toBe(reference);
  });

  it('signs with every active secret during a rotation; either secret verifies', () => {
    const headers = signWebhook({ id: 'a-2', timestamp: nowSec(), body: BODY }, [SECRET_A, SECRET_B]);

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(SECRET_A).verify(BODY, { ...headers })).not.toThrow();
    expect(() => new Webhook(SECRET_B).verify(BODY, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(BODY, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('accepts a bare base64 secret without the whsec_ prefix', () => {
    const bare = SECRET_A.slice('whsec_'.length);
    const headers = signWebhook({ id: 'a-3', timestamp: nowSec(), body: BODY }, [bare]);
    expect(() => new Webhook(SECRET_A).verify(BODY, { ...headers })).not.toThrow();
  });

  it('signs a Buffer body exactly like the same string', () => {
    const message = { id: 'a-4', timestamp: 1700000000 };
    expect(signWebhook({ ...message, body: Buffer.from(BODY) }, [SECRET_A])).toEqual(
      signWebhook({ ...message, body: BODY }, [SECRET_A]),
    );
  });

  it('fails reference verification when the body is tampered with', () => {
    const headers = signWebhook({ id: 'a-5', timestamp: nowSec(), body: BODY }, [SECRET_A]);
    const tampered = BODY.replace('a-1', 'a-9');
    expect(() => new Webhook(SECRET_A).verify(tampered, { ...headers })).toThrow('No matching signature found');
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook({ id: 'a', timestamp: 1, body: '' }, [])).toThrow('at least one secret');
  });
});

describe('verifyWebhook', () => {
  const reference = new Webhook(SECRET_A);

  function referenceHeaders(id: string, timestampSec: number, body: string): Record<string, string> {
    return {
      'webhook-id': id,
      'webhook-timestamp': String(timestampSec),
      'webhook-signature': reference.sign(id, new Date(timestampSec * 1000), body),
    };
  }

  it('accepts a signature made by the reference library, with any of the active secrets', () => {
    const headers = referenceHeaders('a-1', nowSec(), BODY);
    expect(verifyWebhook(headers, BODY, [SECRET_A])).toEqual({ ok: true, id: 'a-1' });
    expect(verifyWebhook(headers, Buffer.from(BODY), [SECRET_B, SECRET_A])).toEqual({ ok: true, id: 'a-1' });
  });

  it('matches header names case-insensitively and takes the first of repeated values', () => {
    const headers = referenceHeaders('a-1', nowSec(), BODY);
    const mixed = {
      'Webhook-Id': [headers['webhook-id']!],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'webhook-Signature': headers['webhook-signature'],
    };
    expect(verifyWebhook(mixed, BODY, [SECRET_A]).ok).toBe(true);
  });

  it('accepts when any of several offered signatures matches (sender rotating)', () => {
    const signed = signWebhook({ id: 'a-1', timestamp: nowSec(), body: BODY }, [SECRET_B, SECRET_A]);
    expect(verifyWebhook(signed, BODY, [SECRET_A]).ok).toBe(true);
  });

  it.each([
    ['tampered body', () => verifyWebhook(referenceHeaders('a-1', nowSec(), BODY), `${BODY} `, [SECRET_A])],
    ['wrong secret', () => verifyWebhook(referenceHeaders('a-1', nowSec(), BODY), BODY, [SECRET_B])],
    ['tampered id', () => verifyWebhook({ ...referenceHeaders('a-1', nowSec(), BODY), 'webhook-id': 'a-2' }, BODY, [SECRET_A])],
  ])('rejects a %s', (_case, verify) => {
    expect(verify()).toEqual({ ok: false, reason: 'no_matching_signature' });
  });

  it('rejects missing headers, malformed and out-of-tolerance timestamps', () => {
    const now = Date.UTC(2025, 0, 1);
    const at = (offsetSec: number): Record<string, string> => referenceHeaders('a-1', now / 1000 + offsetSec, BODY);
    const verify = (headers: Record<string, string>): unknown =>
      verifyWebhook(headers, BODY, [SECRET_A], { now, toleranceSec: 60 });

    expect(verify({ 'webhook-id': 'a-1' })).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verify({ ...at(0), 'webhook-timestamp': '17e8' })).toEqual({ ok: false, reason: 'invalid_timestamp' });
    expect(verify(at(-61))).toEqual({ ok: false, reason: 'timestamp_too_old' });
    expect(verify(at(61))).toEqual({ ok: false, reason: 'timestamp_too_new' });
    expect(verify(at(-60))).toEqual({ ok: true, id: 'a-1' });
  });

  it('ignores signatures of other schemes', () => {
    const headers = referenceHeaders('a-1', nowSec(), BODY);
    const v1a = { ...headers, 'webhook-signature': headers['webhook-signature']!.replace('v1,', 'v1a,') };
    expect(verifyWebhook(v1a, BODY, [SECRET_A])).toEqual({ ok: false, reason: 'no_matching_signature' });
  });
});

describe('secrets', () => {
  it('generates whsec_ secrets of 32 random bytes that the reference library accepts', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
    expect(() => new Webhook(secret)).not.toThrow();
  });

  it.each(['whsec_', 'whsec_not base64!', 'whsec_abc', 'c2VjcmV0'.slice(0, 7)])('rejects malformed secret %j without quoting it', (bad) => {
    let caught: unknown;
    try {
      WebhookSecret.parse(bad);
    } catch (error) {
      caught = error;
    }
    expect(isVigilError(caught, 'VIGIL_CONFIG_INVALID')).toBe(true);
    const message = (caught as Error).message;
    const body = bad.replace('whsec_', '');
    if (body.length > 0) expect(message).not.toContain(body);
  });

  it('never prints the key', () => {
    const secret = WebhookSecret.parse(SECRET_A);
    const key = SECRET_A.slice(6);
    for (const printed of [String(secret), `${secret}`, JSON.stringify({ secret }), inspect(secret), inspect({ secret })]) {
      expect(printed).not.toContain(key);
      expect(printed).toContain('[redacted]');
    }
  });
});
