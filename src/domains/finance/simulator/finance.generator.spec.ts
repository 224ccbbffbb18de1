import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { EventDecoder } from '../../../runtime/event-decoder.js';
import { substituteEnv } from '../../../templates/env-substitution.js';
import { templateSchema } from '../../../model/template/template.schema.js';
import { localHour } from '../../../simulate/daily-rhythm.js';
import { financeGenerator, financeParamsSchema } from './finance.generator.js';
import { haversineKm } from '../detectors/impossible-travel/haversine.js';
import { recordSimulation, type GeneratedEventAt } from '../../../simulate/testing/record-simulation.js';

const HOUR = 3_600_000;
/** Local midnight for the default utcOffsetHours of 1. */
const MIDNIGHT = Date.UTC(2025, 5, 1, 23);

const templateFile = fileURLToPath(new URL('../../../../templates/finance/template.yaml', import.meta.url));
const template = (() => {
  const doc = parseDocument(readFileSync(templateFile, 'utf8'));
  substituteEnv(doc, {});
  return templateSchema.parse(doc.toJS());
})();

const create = (params: Record<string, unknown> = {}, seed = 7) =>
  financeGenerator.create({ seed, params: financeParamsSchema.parse(params) });

/** Events from the simulator over a simulated period, paced by the generator's daily rhythm. */
function simulate(params: Record<string, unknown>, rate: number, startMs: number, durationMs: number): Promise<GeneratedEventAt[]> {
  return recordSimulation(create(params), rate, startMs, durationMs);
}

describe('finance generator', () => {
  it('is deterministic for a seed and the same times', () => {
    const run = (seed: number) => {
      const generator = create({ burstProbability: 0.01 }, seed);
      return Array.from({ length: 2_000 }, (_, i) => generator.next(MIDNIGHT + i * 250));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
  });

  it('gives every transaction its own id: 64 bits, not one 32-bit hash shown twice', () => {
    // A start time at which the old ids (two hashes sharing all but their last word) collided
    // at the 16,063rd payment; the restart test then counted a stored event twice.
    const start = 1_767_614_411_000;
    const generator = create({ customers: 2000, terminals: 500 });
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => (generator.next(start + i * 50).value as { transactionId: string }).transactionId));
    expect(ids.size).toBe(20_000);
  });

  it('produces JSON in the bank’s field names that the template maps, with the label outside the mapping', () => {
    const decoder = new EventDecoder(template);
    const generator = create({ burstProbability: 0.02 });
    const channels = new Set<unknown>();
    for (let i = 0; i < 3_000; i++) {
      const { key, value, label } = generator.next(MIDNIGHT + 12 * HOUR + i * 100);
      const event = decoder.decode(JSON.stringify(value), { topic: 't', partition: 0, offset: String(i) });
      expect(event.key).toBe(key);
      expect(event.time).toBe(MIDNIGHT + 12 * HOUR + i * 100);
      expect(event.id).toBe(value.transactionId);
      expect(value._label).toEqual(label);
      channels.add(event.fields.channel);
      if (event.fields.channel === 'ecom') expect(event.fields.lat).toBeNull();
      else expect(typeof event.fields.lat).toBe('number');
    }
    expect(channels).toEqual(new Set(['pos', 'ecom', 'atm']));
    const mapped = Object.values(template.event.fields).map((field) => field.from ?? '');
    expect(mapped.some((from) => from.startsWith('_label'))).toBe(false);
  });

  it('has a daily rhythm: few payments at night, most in the day; fraud is a larger share at night', async () => {
    const events = await simulate({ burstProbability: 0.002 }, 0.5, MIDNIGHT, 24 * HOUR);
    const byHour = (from: number, to: number) => events.filter((e) => localHour(e.time, 1) >= from && localHour(e.time, 1) < to);
    const fraudShare = (list: GeneratedEventAt[]) => list.filter((e) => e.label.fraud).length / list.length;
    const night = byHour(1, 5);
    const evening = byHour(17, 21);

    expect(events.length).toBeGreaterThan(43_200 * 0.98);
    expect(events.length).toBeLessThan(43_200 * 1.02);
    expect(night.length / events.length).toBeLessThan(0.05);
    expect(evening.length / events.length).toBeGreaterThan(4 / 24);
    // About 12 fraud events per burst and one burst per 500 normal events: 2.3%.
    expect(fraudShare(events)).toBeGreaterThan(0.016);
    expect(fraudShare(events)).toBeLessThan(0.032);
    expect(fraudShare(night)).toBeGreaterThan(3 * fraudShare(byHour(9, 21)));
  });

  it('injects labelled velocity bursts: one card, 8 to 16 payments within minutes', async () => {
    const events = await simulate({ burstProbability: 0.004 }, 5, MIDNIGHT + 12 * HOUR, 2 * HOUR);
    const bursts = new Map<string, GeneratedEventAt[]>();
    for (const event of events.filter((e) => e.label.fraud)) {
      const id = `${event.key}/${event.label.scenario}`;
      bursts.set(id, [...(bursts.get(id) ?? []), event]);
    }
    expect(bursts.size).toBeGreaterThan(100);
    const complete = [...bursts.values()].filter((burst) => burst[0]!.time < MIDNIGHT + 13.5 * HOUR);
    for (const burst of complete) {
      expect(burst.length).toBeGreaterThanOrEqual(8);
      expect(burst.length).toBeLessThanOrEqual(16);
      expect(burst.at(-1)!.time - burst[0]!.time).toBeLessThanOrEqual(5 * 60_000 + 1_000);
    }
    const scenarios = new Set(complete.map((burst) => burst[0]!.label.scenario));
    expect(scenarios).toEqual(new Set(['card_testing', 'spending_spree']));
  });

  it('keeps normal traffic below the template’s velocity limits at its rate, at peak time', async () => {
    // A tenth of the template's customers at a tenth of its rate: the same payments per card, 10x cheaper.
    const { params, rate } = template.simulator!;
    const customers = (params.customers as number) / 10;
    const fraudOff = { burstProbability: 0, takeoverProbability: 0, cloneProbability: 0, terminalCompromiseProbability: 0 };
    const events = await simulate({ ...params, customers, ...fraudOff }, rate / 10, MIDNIGHT + 18 * HOUR, 30 * 60_000);
    const byCard = new Map<string, number[]>();
    for (const event of events) byCard.set(event.key, [...(byCard.get(event.key) ?? []), event.time]);
    let busiest = 0;
    for (const times of byCard.values()) {
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! > 10 * 60_000) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
    }
    expect(events.length).toBeGreaterThan(30 * 60 * 20);
    expect(busiest).toBeLessThanOrEqual(6);
  });

  it('draws realistic amounts and channels', () => {
    const generator = create({ burstProbability: 0 });
    const events = Array.from({ length: 20_000 }, (_, i) => generator.next(MIDNIGHT + 12 * HOUR + i * 10).value);
    const amount = (e: Record<string, unknown>) => (e.amount as { value: number }).value;
    const channel = (name: string) => events.filter((e) => e.channel === name);
    const pos = channel('pos').map(amount).sort((a, b) => a - b);
    const median = pos[Math.floor(pos.length / 2)]!;
    const p99 = pos[Math.floor(pos.length * 0.99)]!;

    expect(median).toBeGreaterThan(10);
    expect(median).toBeLessThan(60);
    expect(p99).toBeLessThan(1_500);
    expect(channel('ecom').length / events.length).toBeGreaterThan(0.15);
    expect(channel('ecom').length / events.length).toBeLessThan(0.4);
    expect(channel('atm').length / events.length).toBeGreaterThan(0.02);
    expect(channel('atm').length / events.length).toBeLessThan(0.1);
    expect(channel('atm').every((e) => amount(e) % 10 === 0)).toBe(true);
    expect(new Set(events.map((e) => e.transactionId)).size).toBe(events.length);
  });
});

describe('finance generator: injected scenarios and labels', () => {
  const DAY = 24 * HOUR;

  it('compromises terminals: every payment at one is fraud until the compromise ends', async () => {
    const params = { customers: 2_000, terminals: 200, burstProbability: 0, terminalCompromiseProbability: 0.00025, terminalCompromise: '1d' };
    const events = await simulate(params, 0.2, MIDNIGHT, 3 * DAY);
    const terminalOf = (e: GeneratedEventAt) => (e.value.merchant as { terminalId: string }).terminalId;
    const compromised = events.filter((e) => e.label.scenario === 'compromised_terminal');
    const terminals = new Set(compromised.map(terminalOf));
    // About 13 compromises in 3 days (51,840 events): between 4 and 24.
    expect(terminals.size).toBeGreaterThanOrEqual(4);
    expect(terminals.size).toBeLessThanOrEqual(24);
    for (const terminal of terminals) {
      const at = events.filter((e) => terminalOf(e) === terminal);
      const first = at.findIndex((e) => e.label.fraud);
      const last = at.findLastIndex((e) => e.label.fraud);
      // Between its first and last fraud every payment there is fraud, and that lasts under a day
      // (unless the same terminal was hit twice, which the bound below allows for).
      expect(at.slice(first, last + 1).every((e) => e.label.fraud)).toBe(true);
      expect(at[last]!.time - at[first]!.time).toBeLessThan(2 * DAY);
      if (last + 1 < at.length) expect(at[last + 1]!.label.fraud).toBe(false);
    }
  });

  it('injects account takeovers (large online payments) and cloned cards paying in two cities minutes apart', async () => {
    const params = { customers: 50_000, burstProbability: 0, takeoverProbability: 0.002, cloneProbability: 0.003, takeoverSpan: '2h' };
    const events = await simulate(params, 1, MIDNIGHT + 8 * HOUR, 12 * HOUR);
    const takeover = events.filter((e) => e.label.scenario === 'account_takeover');
    expect(takeover.length).toBeGreaterThan(200);
    expect(takeover.every((e) => e.value.channel === 'ecom')).toBe(true);
    const cloned = events.filter((e) => e.label.scenario === 'impossible_travel');
    expect(cloned.length).toBeGreaterThan(200);
    const decoder = new EventDecoder(template);
    let checked = 0;
    for (const clone of cloned.slice(0, 30)) {
      const card = clone.key;
      const home = events.find((e) => e.key === card && !e.label.fraud && e.time < clone.time && clone.time - e.time < 45 * 60_000);
      if (!home) continue;
      const a = decoder.fromObject(home.value, { topic: 't', partition: 0, offset: '0' }).fields;
      const b = decoder.fromObject(clone.value, { topic: 't', partition: 0, offset: '1' }).fields;
      expect([a.lat, a.lon]).not.toEqual([b.lat, b.lon]);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('labels every payment for the feedback topic: frauds confirmed after 0.5-1.5x fraudLabelDelay, others cleared after genuineLabelDelay', () => {
    const generator = create({ burstProbability: 0.02, fraudLabelDelay: '2d', genuineLabelDelay: '7d' });
    for (let i = 0; i < 3_000; i++) {
      const time = MIDNIGHT + i * 1000;
      const { value, label, feedback } = generator.next(time);
      expect(feedback).toMatchObject({ event_id: value.transactionId, time, fraud: label.fraud, scenario: label.scenario ?? '', entity: (value.card as { id: string }).id });
      const delay = feedback!.labelled_at - time;
      if (label.fraud) {
        expect(delay).toBeGreaterThanOrEqual(DAY);
        expect(delay).toBeLessThanOrEqual(3 * DAY);
      } else {
        expect(delay).toBe(7 * DAY);
      }
    }
  });

  it('travels in whole days: a customer’s genuine card-present payments of one day are in one city', async () => {
    // Local 05:00 to 01:00: one trip day (trips change at 04:00).
    const events = await simulate({ customers: 300, burstProbability: 0, travelProbability: 0.3 }, 0.05, MIDNIGHT + 5 * HOUR, 20 * HOUR);
    const decoder = new EventDecoder(template);
    const byCustomer = new Map<string, { lat: number; lon: number }[]>();
    for (const e of events) {
      const fields = decoder.fromObject(e.value, { topic: 't', partition: 0, offset: '0' }).fields;
      if (typeof fields.lat !== 'number' || typeof fields.lon !== 'number') continue;
      const list = byCustomer.get(String(fields.customer_id)) ?? [];
      list.push({ lat: fields.lat, lon: fields.lon });
      byCustomer.set(String(fields.customer_id), list);
    }
    let checked = 0;
    for (const places of byCustomer.values()) {
      const far = places.some((p) => haversineKm(p.lat, p.lon, places[0]!.lat, places[0]!.lon) > 150);
      expect(far).toBe(false);
      if (places.length > 3) checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('follows a weekly rhythm when given weekday weights, averaging 1 over the week', () => {
    const generator = create({ weekdayWeights: [1, 1, 1, 1, 1, 2, 2] });
    // 2025-06-02 (local) is a Monday, 2025-06-07 a Saturday; noon local time both.
    const monday = generator.intensity!(Date.UTC(2025, 5, 2, 11));
    const saturday = generator.intensity!(Date.UTC(2025, 5, 7, 11));
    expect(saturday / monday).toBeCloseTo(2, 10);
    let sum = 0;
    for (let h = 0; h < 7 * 24; h++) sum += generator.intensity!(MIDNIGHT + h * HOUR + HOUR / 2);
    expect(sum / (7 * 24)).toBeCloseTo(1, 1);
  });
});
