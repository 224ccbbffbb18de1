import { z } from 'zod';
import { duration } from '../../../model/template/duration.js';
import { dailyRhythm, weekdayRhythm } from '../../../simulate/daily-rhythm.js';
import { type Customer, FinanceWorld, MAX_ACTIVITY, round } from './finance.world.js';
import type { FeedbackLabel } from '../../../model/records.js';
import { defineGenerator, type EventGenerator, type EventLabel, type GeneratedEvent, LABEL_PROPERTY } from '../../../simulate/generator.js';
import { hash32, Random } from '../../../simulate/random.js';

// Bound once: hot paths avoid global lookups (see random.ts).
const { floor, max } = Math;

/**
 * Card payments of a euro-area bank, in the bank's own JSON (see templates/finance/README.md for
 * the exact shape and how the template maps it). Normal traffic: customers weighted by activity,
 * mostly paying in their home city, amounts log-normal around each customer's typical payment,
 * fewer payments at night. Injected fraud: velocity bursts on a compromised card, labelled in
 * `_label`, starting at a steady pace in time so fraud makes up a larger share at night.
 */
export const financeParamsSchema = z
  .strictObject({
    customers: z.number().int().min(1).max(100_000_000).default(1_000_000),
    terminals: z.number().int().min(100).max(10_000_000).default(50_000),
    onlineMerchants: z.number().int().min(10).max(1_000_000).default(2_000),
    /** Share of customer-days spent away from the home city (card-present payments that day are there). */
    travelProbability: z.number().min(0).max(1).default(0.03),
    /** Chance that a burst starts, per normal event at average daytime activity. */
    burstProbability: z.number().min(0).max(0.1).default(0.0005),
    burstMinTransactions: z.number().int().min(2).max(200).default(8),
    burstMaxTransactions: z.number().int().min(2).max(200).default(16),
    /** How long a burst lasts (card testing takes half of it). */
    burstSpan: duration.prefault('5m'),
    /** Local time of the simulated population, for the daily rhythm. */
    utcOffsetHours: z.number().min(-12).max(14).default(1),
    /** Relative activity Monday to Sunday (normalised to average 1); flat by default. */
    weekdayWeights: z.array(z.number().positive()).length(7).default([1, 1, 1, 1, 1, 1, 1]),
    /**
     * Like burstProbability, per event at average activity (so scenarios scale with the traffic and
     * start at a steady pace in time): a shop terminal is compromised, and every payment there is
     * fraud for `terminalCompromise`...
     */
    terminalCompromiseProbability: z.number().min(0).max(0.1).default(0),
    terminalCompromise: duration.prefault('14d'),
    /** ...an account is taken over: 3 to 6 online payments at 5-10x the customer's usual amount within `takeoverSpan`... */
    takeoverProbability: z.number().min(0).max(0.1).default(0),
    takeoverSpan: duration.prefault('1d'),
    /** ...a card is cloned: a shop payment at home, then 2 or 3 in another city minutes later (impossible travel). */
    cloneProbability: z.number().min(0).max(0.1).default(0),
    /** Fraud is confirmed (chargeback) about this long after the payment (x0.5 to x1.5)... */
    fraudLabelDelay: duration.prefault('3d'),
    /** ...and a payment nobody disputed is labelled genuine after this long. */
    genuineLabelDelay: duration.prefault('7d'),
  })
  .refine((params) => params.burstMinTransactions <= params.burstMaxTransactions, {
    path: ['burstMaxTransactions'],
    message: 'expected a number >= burstMinTransactions',
  });

export type FinanceParams = z.infer<typeof financeParamsSchema>;

export const FRAUD_SCENARIOS = ['card_testing', 'spending_spree', 'compromised_terminal', 'account_takeover', 'impossible_travel'] as const;
export type FraudScenario = (typeof FRAUD_SCENARIOS)[number];

/** Relative payments per local hour, 00:00 to 23:00: quiet nights, lunch and evening peaks. */
const HOURLY_ACTIVITY = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.15, 0.35, 0.6, 0.85, 1.0, 1.1, 1.25, 1.45, 1.35, 1.2, 1.2, 1.3, 1.5, 1.6, 1.45, 1.2, 0.9, 0.6, 0.4,
];

const ATM_AMOUNTS = [20, 50, 100, 150, 200, 250, 300, 400];
const ATM_WEIGHTS = [10, 25, 25, 10, 15, 5, 6, 4];

/** A payment before it has a time and an id. */
interface Draft {
  readonly customerId: string;
  readonly cardId: string;
  readonly cardPresent: boolean;
  readonly terminalId: string;
  readonly mcc: string;
  readonly country: string;
  readonly location?: { readonly lat: number; readonly lon: number };
  readonly amount: number;
  readonly currency: string;
  readonly channel: 'pos' | 'ecom' | 'atm';
}

interface PendingFraud {
  readonly dueMs: number;
  readonly draft: Draft;
  /** Undefined for a genuine payment that is part of a scenario (the cloned card's owner at home). */
  readonly scenario: FraudScenario | undefined;
}

export class FinanceGenerator implements EventGenerator {
  private readonly random: Random;
  private readonly world: FinanceWorld;
  private readonly rhythm: (timeMs: number) => number;
  /** Fraud payments scheduled by bursts, ordered by due time. */
  private pending: PendingFraud[] = [];
  private sequence = 0;
  private readonly weekday: (timeMs: number) => number;
  /** Compromised terminal id -> end of its compromise (event time). */
  private readonly compromised = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly params: FinanceParams,
  ) {
    this.random = new Random(seed);
    this.world = new FinanceWorld(seed, params);
    const daily = dailyRhythm(HOURLY_ACTIVITY, params.utcOffsetHours);
    this.weekday = weekdayRhythm(params.weekdayWeights, params.utcOffsetHours);
    this.rhythm = (timeMs) => daily(timeMs) * this.weekday(timeMs);
  }

  intensity(timeMs: number): number {
    return this.rhythm(timeMs);
  }

  next(timeMs: number): GeneratedEvent {
    const due = this.pending[0];
    if (due !== undefined && due.dueMs <= timeMs) {
      this.pending.shift();
      return this.emit(timeMs, due.draft, due.scenario === undefined ? { fraud: false } : { fraud: true, scenario: due.scenario });
    }
    if (this.random.chance(this.params.burstProbability / this.rhythm(timeMs))) this.scheduleBurst(timeMs);
    this.startScenarios(timeMs);
    const draft = this.normalPayment(timeMs);
    const until = this.compromised.get(draft.terminalId);
    if (until !== undefined) {
      if (timeMs < until) return this.emit(timeMs, draft, { fraud: true, scenario: 'compromised_terminal' });
      this.compromised.delete(draft.terminalId);
    }
    return this.emit(timeMs, draft, { fraud: false });
  }

  /**
   * Starts scenarios as bursts start: a chance per event divided by the activity, so starts are
   * steady in time and scale with the traffic. A zero probability draws nothing, so the events of
   * a seed stay the same when a scenario is off.
   */
  private startScenarios(timeMs: number): void {
    const { terminalCompromiseProbability, takeoverProbability, cloneProbability } = this.params;
    const activity = this.rhythm(timeMs);
    if (terminalCompromiseProbability > 0 && this.random.chance(terminalCompromiseProbability / activity)) this.compromiseTerminal(timeMs);
    if (takeoverProbability > 0 && this.random.chance(takeoverProbability / activity)) this.scheduleTakeover(timeMs);
    if (cloneProbability > 0 && this.random.chance(cloneProbability / activity)) this.scheduleClone(timeMs);
  }

  private compromiseTerminal(startMs: number): void {
    const terminal = this.world.shopTerminal(this.world.cityByUnit(this.random.next()), this.random.next());
    this.compromised.set(terminal.id, startMs + this.params.terminalCompromise);
  }

  /** Account takeover: 3 to 6 online payments at 5-10x the customer's usual amount. */
  private scheduleTakeover(startMs: number): void {
    const customer = this.world.customer(this.random.int(0, this.params.customers - 1));
    const card = this.random.int(1, customer.cards);
    const count = this.random.int(3, 6);
    for (let i = 0; i < count; i++) {
      const euros = customer.medianAmount * this.random.uniform(5, 10);
      const draft = this.onlinePayment(customer, card, this.random.next(), euros);
      this.pending.push({ dueMs: startMs + this.random.next() * this.params.takeoverSpan, draft, scenario: 'account_takeover' });
    }
    this.pending.sort((a, b) => a.dueMs - b.dueMs);
  }

  /** A cloned card: the owner pays at home; 5 to 30 minutes later the clone pays 2 or 3 times in a far city. */
  private scheduleClone(startMs: number): void {
    const customer = this.world.customer(this.random.int(0, this.params.customers - 1));
    const card = this.random.int(1, customer.cards);
    this.pending.push({ dueMs: startMs, draft: this.shopPayment(customer, card, customer.city), scenario: undefined });
    const away = this.otherCity(customer.city);
    let at = startMs + this.random.uniform(5, 30) * 60_000;
    for (let i = 0, count = this.random.int(2, 3); i < count; i++, at += this.random.uniform(2, 10) * 60_000) {
      this.pending.push({ dueMs: at, draft: this.shopPayment(customer, card, away, this.random.logNormal(180, 0.5)), scenario: 'impossible_travel' });
    }
    this.pending.sort((a, b) => a.dueMs - b.dueMs);
  }

  private normalPayment(timeMs: number): Draft {
    const customer = this.pickCustomer();
    const card = customer.cards === 1 || this.random.chance(0.8) ? 1 : this.random.int(2, customer.cards);
    const channel = this.random.next();
    const city = this.world.whereabouts(customer, timeMs, this.params.travelProbability, this.params.utcOffsetHours);
    if (channel < customer.atmShare) return this.withdrawal(customer, card, city);
    if (channel < customer.atmShare + customer.ecomShare) return this.onlinePayment(customer, card, this.random.next());
    return this.shopPayment(customer, card, city);
  }

  /** Rejection sampling: a customer is picked in proportion to their activity. */
  private pickCustomer(): Customer {
    for (;;) {
      const customer = this.world.customer(this.random.int(0, this.params.customers - 1));
      if (this.random.next() * MAX_ACTIVITY < customer.activity) return customer;
    }
  }

  private withdrawal(customer: Customer, card: number, city: number): Draft {
    const terminal = this.world.atm(city, this.random.next());
    const pick = this.random.next() * ATM_WEIGHTS.reduce((sum, weight) => sum + weight, 0);
    let amount = ATM_AMOUNTS[ATM_AMOUNTS.length - 1]!;
    for (let i = 0, total = 0; i < ATM_AMOUNTS.length; i++) {
      total += ATM_WEIGHTS[i]!;
      if (pick < total) {
        amount = ATM_AMOUNTS[i]!;
        break;
      }
    }
    return {
      ...this.cardOf(customer, card, true),
      terminalId: terminal.id,
      mcc: terminal.mcc,
      country: terminal.country,
      location: { lat: terminal.lat, lon: terminal.lon },
      amount,
      currency: 'EUR',
      channel: 'atm',
    };
  }

  /** `euros` overrides the customer's usual amounts (fraud has its own). */
  private shopPayment(customer: Customer, card: number, city: number, euros?: number): Draft {
    const terminal = this.world.shopTerminal(city, this.random.next());
    const amount = euros ?? this.random.logNormal(customer.medianAmount * terminal.amountFactor, customer.amountSigma);
    return {
      ...this.cardOf(customer, card, true),
      terminalId: terminal.id,
      mcc: terminal.mcc,
      country: terminal.country,
      location: { lat: terminal.lat, lon: terminal.lon },
      amount: money(amount),
      currency: 'EUR',
      channel: 'pos',
    };
  }

  private onlinePayment(customer: Customer, card: number, merchantUnit: number, euros?: number): Draft {
    const merchant = this.world.onlineMerchant(merchantUnit);
    const amount = euros ?? this.random.logNormal(customer.medianAmount * merchant.amountFactor, customer.amountSigma);
    return {
      ...this.cardOf(customer, card, false),
      terminalId: merchant.id,
      mcc: merchant.mcc,
      country: merchant.country,
      amount: money(amount * merchant.perEuro),
      currency: merchant.currency,
      channel: 'ecom',
    };
  }

  private cardOf(customer: Customer, card: number, present: boolean): Pick<Draft, 'customerId' | 'cardId' | 'cardPresent'> {
    return { customerId: customer.id, cardId: this.world.cardId(customer, card), cardPresent: present };
  }

  /**
   * A compromised card: either card testing (tiny online payments abroad, then two large ones once
   * the card is known to work) or a spending spree (large online and shop payments, in a city that
   * is not the customer's). Everything is drawn now so the burst does not depend on later traffic.
   */
  private scheduleBurst(startMs: number): void {
    const customer = this.world.customer(this.random.int(0, this.params.customers - 1));
    const card = this.random.int(1, customer.cards);
    const scenario: FraudScenario = this.random.chance(0.5) ? 'card_testing' : 'spending_spree';
    const count = this.random.int(this.params.burstMinTransactions, this.params.burstMaxTransactions);
    const span = scenario === 'card_testing' ? this.params.burstSpan / 2 : this.params.burstSpan;
    const offsets = Array.from({ length: count }, () => this.random.next() * span).sort((a, b) => a - b);
    const awayCity = this.otherCity(customer.city);
    for (const [index, offset] of offsets.entries()) {
      let draft: Draft;
      if (scenario === 'card_testing') {
        const euros = index >= count - 2 ? this.random.uniform(250, 900) : this.random.uniform(0.5, 5);
        draft = this.onlinePayment(customer, card, this.foreignMerchantUnit(), euros);
      } else {
        const euros = this.random.logNormal(450, 0.35);
        draft = this.random.chance(0.6)
          ? this.onlinePayment(customer, card, this.random.next(), euros)
          : this.shopPayment(customer, card, awayCity, euros);
      }
      this.pending.push({ dueMs: startMs + offset, draft, scenario });
    }
    this.pending.sort((a, b) => a.dueMs - b.dueMs);
  }

  private otherCity(home: number): number {
    for (let attempt = 0; attempt < 32; attempt++) {
      const city = this.world.cityByUnit(this.random.next());
      if (city !== home) return city;
    }
    return home === 0 ? 1 : 0;
  }

  /** An online merchant charging in a foreign currency (about 30% of them). */
  private foreignMerchantUnit(): number {
    let unit = this.random.next();
    for (let attempt = 0; attempt < 64 && this.world.onlineMerchant(unit).currency === 'EUR'; attempt++) unit = this.random.next();
    return unit;
  }

  private emit(timeMs: number, draft: Draft, label: EventLabel): GeneratedEvent {
    const sequence = this.sequence++;
    // Unique per (seed, sequence, time): a rerun at another time does not reuse transaction ids.
    // The halves start from different words: hashes that shared a prefix and differed only in the
    // last word were one 32-bit state seen twice, and 20,000 ids then collided in ~3% of runs.
    const low = timeMs % 4_294_967_296;
    const high = floor(timeMs / 4_294_967_296);
    const id = hex(hash32(1, this.seed, sequence, low, high)) + hex(hash32(2, this.seed, sequence, low, high));
    const value: Record<string, unknown> = {
      transactionId: `tx_${id}`,
      timestamp: new Date(timeMs).toISOString(),
      customer: { id: draft.customerId },
      card: { id: draft.cardId, present: draft.cardPresent },
      merchant: { terminalId: draft.terminalId, mcc: draft.mcc, country: draft.country },
      ...(draft.location === undefined ? {} : { location: { lat: draft.location.lat, lon: draft.location.lon } }),
      amount: { value: draft.amount, currency: draft.currency },
      channel: draft.channel,
      [LABEL_PROPERTY]: label.scenario === undefined ? { fraud: label.fraud } : { fraud: label.fraud, scenario: label.scenario },
    };
    return { key: draft.cardId, value, label, feedback: this.feedbackOf(`tx_${id}`, timeMs, draft, label) };
  }

  /** Chargebacks take days and vary; a payment nobody disputed is cleared after a fixed period. */
  private feedbackOf(eventId: string, timeMs: number, draft: Draft, label: EventLabel): FeedbackLabel {
    const delay = label.fraud ? this.params.fraudLabelDelay * (0.5 + this.labelJitter(eventId)) : this.params.genuineLabelDelay;
    return {
      event_id: eventId,
      time: timeMs,
      labelled_at: timeMs + Math.round(delay),
      entity: draft.cardId,
      customer_id: draft.customerId,
      terminal_id: draft.terminalId,
      fraud: label.fraud,
      scenario: label.scenario ?? '',
    };
  }

  /** In [0, 1), from the id: labels must not consume the generator's random stream (it would shift every later event). */
  private labelJitter(eventId: string): number {
    let h = this.seed;
    for (let i = 0; i < eventId.length; i++) h = hash32(h, eventId.charCodeAt(i), i, 0, 3);
    return h / 4_294_967_296;
  }
}

export const financeGenerator = defineGenerator<FinanceParams>({
  name: 'finance',
  description: 'Card payments of a euro-area bank with injected velocity bursts (card testing, spending sprees)',
  params: financeParamsSchema,
  create: ({ seed, params }) => new FinanceGenerator(seed, params),
});

function money(amount: number): number {
  return round(max(0.5, amount), 2);
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
