import { z } from 'zod';
import type { Alert } from './records.js';

/** Why an attempt ended as it did; a closed list because the reasons are metric labels. */
/** `circuit_open`: the receiver's circuit breaker is open, so no request was made. */
export const DELIVERY_REASONS = ['ok', 'http_4xx', 'http_429', 'http_5xx', 'timeout', 'network', 'circuit_open'] as const;
export type DeliveryReason = (typeof DELIVERY_REASONS)[number];

/** The result of ONE delivery attempt. `reason` is a metric label from a closed list. */
export interface DeliveryOutcome {
  readonly ok: boolean;
  readonly reason: DeliveryReason;
  /** Whether another attempt of the same message can succeed. False when `ok`. */
  readonly retryable: boolean;
  /** HTTP status, when the receiver answered. */
  readonly status?: number;
  /** Wall time of the attempt, from sending to the outcome. */
  readonly latencyMs: number;
  /** The receiver's `Retry-After` (429/503), in milliseconds. */
  readonly retryAfterMs?: number;
  /** One readable line for logs and dead-letter headers; never contains secrets. */
  readonly error?: string;
}

/**
 * `waiting`: the alert's immediate retries are spent (or the circuit is open) and it waits on
 * `<alerts>.retry` for the receiver to come back; a later row of the same alert says how it ended.
 */
export const DELIVERY_OUTCOMES = ['delivered', 'retrying', 'waiting', 'dead_lettered', 'suppressed'] as const;
export type DeliveryLogOutcome = (typeof DELIVERY_OUTCOMES)[number];

export const RECEIVER_TYPES = ['webhook', 'slack', 'pagerduty'] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/**
 * One delivery attempt as it travels on `<alerts>.deliveries` and lands in `alert_deliveries`
 * (CONTRACTS.md). `time` is when the attempt started (epoch ms); `http_status` 0 means the
 * receiver never answered. `suppressed` rows record a notification Vigil chose not to send
 * (silenced, inhibited, or held back by the storm guard) with attempt 0.
 */
export const deliveryRecordSchema = z.object({
  time: z.number(),
  alert_id: z.string().min(1),
  fingerprint: z.string(),
  template: z.string(),
  detector: z.string(),
  entity: z.string(),
  severity: z.string(),
  receiver: z.string(),
  receiver_type: z.enum(RECEIVER_TYPES),
  attempt: z.number().int().min(0),
  outcome: z.enum(DELIVERY_OUTCOMES),
  http_status: z.number().int().min(0).max(65535),
  latency_ms: z.number().min(0),
  error: z.string(),
});
export type DeliveryRecord = z.infer<typeof deliveryRecordSchema>;

export interface AttemptFacts {
  readonly receiver: string;
  readonly receiverType: ReceiverType;
  readonly attempt: number;
  /** Epoch ms at which the attempt started. */
  readonly startedAt: number;
  readonly outcome: DeliveryLogOutcome;
  readonly result?: DeliveryOutcome;
  /** Why nothing was sent (suppressed) when there is no result. */
  readonly note?: string;
}

export function deliveryRecord(alert: Alert, facts: AttemptFacts): DeliveryRecord {
  const { result } = facts;
  return {
    time: facts.startedAt,
    alert_id: alert.id,
    fingerprint: alert.fingerprint,
    template: alert.template,
    detector: alert.finding.detector,
    entity: alert.finding.entity,
    severity: alert.finding.severity,
    receiver: facts.receiver,
    receiver_type: facts.receiverType,
    attempt: facts.attempt,
    outcome: facts.outcome,
    http_status: result?.status ?? 0,
    latency_ms: result?.latencyMs ?? 0,
    // Notifiers already redact their errors; the cap keeps one chatty receiver from bloating the log.
    error: (result?.error ?? facts.note ?? '').slice(0, 500),
  };
}
