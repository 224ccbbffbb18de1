import type { DetectorSlot } from '../runtime/partition-runtime.js';
import type { Template } from '../model/template/template.schema.js';

/**
 * Input of the state run: finance events in the shape the finance template maps (the simulator's
 * shape), each for a card of its own, so `keys` events make `keys` keys of velocity state.
 *
 * They are JSON text decoded by the template's EventDecoder, as the detect stage decodes Kafka
 * values, rather than VigilEvent objects built here: a key string built by concatenation in JS is
 * a V8 cons string (32 bytes more per key once a Map has hashed it) where JSON.parse yields the
 * flat string the stage really stores, and the per-key figure is about that difference in size.
 */

/** Event time of the first event (a fixed day: nothing here depends on the wall clock). */
export const STATE_RUN_START_MS = Date.UTC(2026, 0, 5, 8, 0, 0);

/** The runtime's floor on state TTLs (PartitionRuntime's MIN_STATE_TTL_MS, not exported). */
const RUNTIME_MIN_TTL_MS = 60_000;

/**
 * The shortest idle time after which the runtime may evict a key of any of these detectors, as
 * PartitionRuntime computes it: max(60 s, stateTtl(params) + maxOutOfOrderness). For the finance
 * template: 10 min window + 30 s = 630 s. A key is moved to the old generation after one TTL of
 * event time and evicted after two; a run spanning less than one TTL never rotates.
 */
export function shortestStateTtlMs(template: Template, slots: readonly DetectorSlot[]): number {
  const ttls = slots.map((slot) => Math.max(RUNTIME_MIN_TTL_MS, slot.definition.meta.stateTtl(slot.params) + template.event.maxOutOfOrderness));
  return ttls.length === 0 ? RUNTIME_MIN_TTL_MS : Math.min(...ttls);
}

/** Card i's id, as the finance simulator writes card ids (card_<customer, 7 digits>_<card>). */
export function cardId(i: number): string {
  return `card_${String(i).padStart(7, '0')}_1`;
}

/** The JSON value of event i at `timeMs`: card `card` (default i) pays 5.00–149.99 EUR at a shop terminal. */
export function financeEventJson(i: number, timeMs: number, card = i): string {
  const cents = 500 + ((i * 7919) % 14_500);
  return (
    `{"transactionId":"tx_${i.toString(16).padStart(16, '0')}","timestamp":"${new Date(timeMs).toISOString()}",` +
    `"customer":{"id":"cus_${String(card).padStart(7, '0')}"},"card":{"id":"${cardId(card)}","present":true},` +
    `"merchant":{"terminalId":"term_${String(i % 40_000).padStart(6, '0')}","mcc":"5411","country":"DE"},` +
    `"location":{"lat":52.52,"lon":13.405},"amount":{"value":${cents / 100},"currency":"EUR"},"channel":"pos"}`
  );
}
