import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import { BurstFollowedBy } from '../../../../runtime/patterns/burst-followed-by.js';
import type { VigilEvent } from '../../../../model/records.js';
import { cardTestingParams, type CardTestingParams } from './card-testing.params.js';

/** Pattern name: its stores are `card-testing.burst` and `card-testing.then`. */
const PATTERN = 'card-testing';

/**
 * Card testing: a stolen card is first probed with a run of tiny payments (does it work?), then
 * cashed out with a large one. Per card, in event time: `probes.count` payments of at most
 * `probes.maxAmount` within `probes.within`, then one of at least `cashOut.minAmount` within
 * `cashOut.within` of the last probe (the runtime's BurstFollowedBy pattern). A match is a finding
 * `card_testing` on the cash-out payment, which also gets the signal `matched` = 1; probing that
 * nothing large follows in time becomes a `card_testing.probed` finding at `probedSeverity`.
 * Probes are counted whatever the terminal: fraudsters often probe on one merchant.
 */
export const cardTestingDetector = defineDetector<CardTestingParams>({
  meta: {
    name: 'card_testing',
    version: '1.0.0',
    description: 'Many small payments on a card, then a large one (card testing followed by cash-out)',
    params: cardTestingParams,
    requiredFields: (p) => [p.key, p.amountField],
    stateTtl: (p) => p.probes.within + p.cashOut.within + p.lateness,
  },
  create(context: DetectorContext, params: CardTestingParams): DetectorInstance {
    const amountOf = (event: VigilEvent): number => {
      const amount = event.fields[params.amountField];
      return typeof amount === 'number' ? amount : Number.NaN;
    };
    const thresholds = {
      probes: params.probes.count,
      probe_max_amount: params.probes.maxAmount,
      cash_out_min_amount: params.cashOut.minAmount,
    };
    const pattern = new BurstFollowedBy(context, {
      name: PATTERN,
      burst: { count: params.probes.count, within: params.probes.within, matches: (e) => amountOf(e) <= params.probes.maxAmount },
      then: { within: params.cashOut.within, matches: (e) => amountOf(e) >= params.cashOut.minAmount },
      lateness: params.lateness,
      onMatch: (match) => {
        context.signal('matched', 1);
        context.emit({
          entity: match.key,
          severity: params.severity,
          kind: 'card_testing',
          title: `${params.probes.count} payments of at most ${params.probes.maxAmount} on ${params.key} ${match.key}, then one of at least ${params.cashOut.minAmount}`,
          score: 1,
          windowStart: match.since,
          windowEnd: match.then.time,
          values: { probes: params.probes.count, probing_ms: match.burst.time - match.since, cash_out_after_ms: match.then.time - match.burst.time },
          thresholds,
          eventIds: [match.burst.id, match.then.id],
        });
      },
      onTimeout: (timeout) =>
        context.emit({
          entity: timeout.key,
          severity: params.probedSeverity,
          kind: 'card_testing.probed',
          title: `${params.probes.count} payments of at most ${params.probes.maxAmount} on ${params.key} ${timeout.key}, no cash-out yet`,
          score: 0.5,
          windowStart: timeout.since,
          windowEnd: timeout.deadline,
          values: { probes: params.probes.count },
          thresholds,
          eventIds: [timeout.burst.id],
        }),
    });
    return {
      process(event: VigilEvent): void {
        const key = event.fields[params.key];
        if (key === null || key === undefined || Number.isNaN(amountOf(event))) return;
        pattern.process(String(key), event);
      },
      onTimer(timer): void {
        pattern.onTimer(timer);
      },
    };
  },
});
