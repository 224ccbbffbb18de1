import { CircuitBreaker, withCircuitBreaker } from '../circuit-breaker.js';
import type { Notifier } from '../notifier.js';
import { PagerDutyNotifier } from './pagerduty.notifier.js';
import type { ReceiverSpec } from '../../model/template/receivers/receiver.schema.js';
import { SlackNotifier } from './slack.notifier.js';
import { WebhookNotifier } from './webhook.notifier.js';

/** The notifier for a receiver spec, behind its own circuit breaker. */
export function createNotifier(spec: ReceiverSpec, now: () => number = Date.now): Notifier {
  const breaker = new CircuitBreaker({ failures: spec.breaker.failures, cooldownMs: spec.breaker.cooldown, now });
  return withCircuitBreaker(bareNotifier(spec), breaker);
}

function bareNotifier(spec: ReceiverSpec): Notifier {
  switch (spec.type) {
    case 'webhook':
      return new WebhookNotifier(spec);
    case 'slack':
      return new SlackNotifier(spec);
    case 'pagerduty':
      return new PagerDutyNotifier(spec);
  }
}
