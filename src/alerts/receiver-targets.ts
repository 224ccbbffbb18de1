import type { ReceiverTarget } from './receiver-delivery.js';
import { createNotifier } from './receivers/notifier-factory.js';
import type { ReceiverSpec } from '../model/template/receivers/receiver.schema.js';
import { DEFAULT_BACKOFF } from './retry-policy.js';
import type { RateLimit } from './storm-guard.js';

/** One target per receiver, sharing notifiers (and so circuit breakers) with the fallbacks that name them. */
export function receiverTargets(specs: readonly ReceiverSpec[]): Map<string, ReceiverTarget> {
  const notifiers = new Map(specs.map((spec) => [spec.name, createNotifier(spec)]));
  const bare = (spec: ReceiverSpec): ReceiverTarget => ({
    notifier: notifiers.get(spec.name)!,
    maxAttempts: spec.maxAttempts,
    backoff: { baseMs: spec.backoff.initial, capMs: spec.backoff.max, maxRetryAfterMs: DEFAULT_BACKOFF.maxRetryAfterMs },
    giveUpWhenOpen: spec.breaker.whenOpen === 'dead-letter',
    retryForMs: spec.retryFor,
  });
  return new Map(
    specs.map((spec) => {
      const fallbackSpec = specs.find((candidate) => candidate.name === spec.fallback);
      return [spec.name, { ...bare(spec), ...(fallbackSpec ? { fallback: bare(fallbackSpec) } : {}) }];
    }),
  );
}

export function rateLimits(specs: readonly ReceiverSpec[]): Map<string, RateLimit> {
  return new Map(specs.flatMap((spec) => (spec.rateLimit ? [[spec.name, { max: spec.rateLimit.max, perMs: spec.rateLimit.per }] as const] : [])));
}
