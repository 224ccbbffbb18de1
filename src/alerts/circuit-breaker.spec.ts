import { CircuitBreaker, withCircuitBreaker } from './circuit-breaker.js';
import type { Notifier } from './notifier.js';
import type { DeliveryOutcome } from '../model/delivery-record.js';
import { makeNotification } from './testing/alert.fixture.js';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function failing(outcome: Partial<DeliveryOutcome> = {}): Notifier & { calls: number } {
  const notifier = {
    name: 'dead',
    type: 'webhook' as const,
    calls: 0,
    notify: (): Promise<DeliveryOutcome> => {
      notifier.calls++;
      return Promise.resolve({ ok: false, reason: 'timeout', retryable: true, latencyMs: 5000, ...outcome } as DeliveryOutcome);
    },
  };
  return notifier;
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast with the remaining cooldown, then lets one trial through', async () => {
    const time = clock();
    const inner = failing();
    const guarded = withCircuitBreaker(inner, new CircuitBreaker({ failures: 3, cooldownMs: 10_000, now: time.now }));

    for (let i = 0; i < 3; i++) await guarded.notify(makeNotification());
    expect(inner.calls).toBe(3);

    time.advance(4_000);
    const fast = await guarded.notify(makeNotification());
    expect(fast).toMatchObject({ ok: false, reason: 'circuit_open', retryable: true, latencyMs: 0, retryAfterMs: 6_000 });
    expect(inner.calls).toBe(3);

    time.advance(6_000);
    await guarded.notify(makeNotification());
    expect(inner.calls).toBe(4);
    // The trial failed: open again for a whole cooldown.
    expect(await guarded.notify(makeNotification())).toMatchObject({ reason: 'circuit_open', retryAfterMs: 10_000 });
  });

  it('closes again when the trial succeeds', () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failures: 1, cooldownMs: 1_000, now: time.now });
    breaker.record(false);
    expect(breaker.state()).toBe('open');
    time.advance(1_000);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    // Only one trial at a time.
    expect(breaker.tryAcquire()).toBe(false);
    breaker.record(true);
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('does not count a rejected message (non-retryable 4xx) against the receiver', async () => {
    const inner = failing({ reason: 'http_4xx', retryable: false, status: 400 });
    const breaker = new CircuitBreaker({ failures: 2, cooldownMs: 1_000 });
    const guarded = withCircuitBreaker(inner, breaker);
    for (let i = 0; i < 5; i++) await guarded.notify(makeNotification());
    expect(inner.calls).toBe(5);
    expect(breaker.state()).toBe('closed');
  });
});
