import { CircuitBreaker, withCircuitBreaker } from './circuit-breaker.js';
import type { Notifier } from './notifier.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';
import { deliverToReceiver } from './receiver-delivery.js';
import { makeNotification } from './testing/alert.fixture.js';

const FAST = { baseMs: 1, capMs: 2 };
const noSleep = (): Promise<void> => Promise.resolve();

function scripted(name: string, outcomes: Partial<DeliveryOutcome>[]): Notifier & { calls: number } {
  const notifier = {
    name,
    type: 'webhook' as const,
    calls: 0,
    notify: (): Promise<DeliveryOutcome> => {
      const next = outcomes[Math.min(notifier.calls++, outcomes.length - 1)] ?? {};
      return Promise.resolve({ ok: false, reason: 'http_5xx', retryable: true, status: 503, latencyMs: 3, error: 'HTTP 503', ...next } as DeliveryOutcome);
    },
  };
  return notifier;
}

const OK: Partial<DeliveryOutcome> = { ok: true, reason: 'ok', retryable: false, status: 200, error: undefined };

describe('deliverToReceiver', () => {
  it('records every attempt: retrying, then delivered', async () => {
    const primary = scripted('ops', [{}, {}, OK]);
    const result = await deliverToReceiver({ notifier: primary, maxAttempts: 5 }, makeNotification(), { backoff: FAST, sleep: noSleep, now: () => 42 });

    expect(result).toMatchObject({ receiver: 'ops', delivered: true, aborted: false, attempts: 3 });
    expect(result.records.map((r) => [r.receiver, r.attempt, r.outcome, r.http_status])).toEqual([
      ['ops', 1, 'retrying', 503],
      ['ops', 2, 'retrying', 503],
      ['ops', 3, 'delivered', 200],
    ]);
    expect(result.records[0]).toMatchObject({ time: 42, alert_id: 'a-0001', fingerprint: '3f9c0a1b2c3d4e5f', receiver_type: 'webhook', error: 'HTTP 503' });
  });

  it('marks the last attempt dead_lettered when the budget is spent and there is no fallback', async () => {
    const result = await deliverToReceiver({ notifier: scripted('ops', [{}]), maxAttempts: 2 }, makeNotification(), { backoff: FAST, sleep: noSleep });
    expect(result).toMatchObject({ delivered: false, aborted: false, attempts: 2, last: { reason: 'http_5xx' } });
    expect(result.records.map((r) => r.outcome)).toEqual(['retrying', 'dead_lettered']);
  });

  it('hands a failed notification to the fallback receiver', async () => {
    const fallback = scripted('backup', [OK]);
    const result = await deliverToReceiver(
      { notifier: scripted('ops', [{}]), maxAttempts: 2, fallback: { notifier: fallback, maxAttempts: 3 } },
      makeNotification(),
      { backoff: FAST, sleep: noSleep },
    );
    expect(result.delivered).toBe(true);
    expect(result.records.map((r) => `${r.receiver}:${r.outcome}`)).toEqual(['ops:retrying', 'ops:retrying', 'backup:delivered']);
  });

  it('goes to the fallback at once when the primary circuit is open, without waiting for the cooldown', async () => {
    const dead = scripted('ops', [{ reason: 'timeout', status: undefined }]);
    const guarded = withCircuitBreaker(dead, new CircuitBreaker({ failures: 1, cooldownMs: 60_000 }));
    await guarded.notify(makeNotification());
    const waits: number[] = [];
    const result = await deliverToReceiver(
      { notifier: guarded, maxAttempts: 8, fallback: { notifier: scripted('backup', [OK]), maxAttempts: 1 } },
      makeNotification(),
      { backoff: FAST, sleep: (ms) => (waits.push(ms), Promise.resolve()) },
    );
    expect(result.delivered).toBe(true);
    expect(dead.calls).toBe(1);
    expect(waits).toEqual([]);
    expect(result.records.map((r) => `${r.receiver}:${r.outcome}:${r.error.split(';')[0]}`)).toEqual([
      'ops:retrying:circuit open after repeated failures',
      'backup:delivered:',
    ]);
  });

  it('dead-letters with the fallback last failure when both fail', async () => {
    const result = await deliverToReceiver(
      { notifier: scripted('ops', [{}]), maxAttempts: 1, fallback: { notifier: scripted('backup', [{ reason: 'http_4xx', retryable: false, status: 410 }]), maxAttempts: 3 } },
      makeNotification(),
      { backoff: FAST, sleep: noSleep },
    );
    expect(result).toMatchObject({ receiver: 'ops', delivered: false, last: { status: 410 } });
    expect(result.records.map((r) => `${r.receiver}:${r.outcome}`)).toEqual(['ops:retrying', 'backup:dead_lettered']);
  });
});

describe('deliverToReceiver without a fallback', () => {
  it('dead-letters at once while the circuit is open when giveUpWhenOpen, and waits for it otherwise', async () => {
    const dead = scripted('ops', [{ reason: 'timeout', status: undefined }]);
    const guarded = withCircuitBreaker(dead, new CircuitBreaker({ failures: 1, cooldownMs: 60_000 }));
    await guarded.notify(makeNotification());
    const waits: number[] = [];
    const sleep = (ms: number) => (waits.push(ms), Promise.resolve());
    const parked = await deliverToReceiver({ notifier: guarded, maxAttempts: 8, giveUpWhenOpen: true }, makeNotification(), { backoff: FAST, sleep });
    expect(parked).toMatchObject({ delivered: false, attempts: 1, last: { reason: 'circuit_open' } });
    expect(parked.records.map((r) => r.outcome)).toEqual(['dead_lettered']);
    expect(waits).toEqual([]);

    const waiting = await deliverToReceiver({ notifier: guarded, maxAttempts: 3 }, makeNotification(), { backoff: FAST, sleep });
    expect(waiting.attempts).toBe(3);
    expect(waits).toHaveLength(2);
    expect(waits.every((ms) => ms > 50_000)).toBe(true);
  });
});
