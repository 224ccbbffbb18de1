import { localHour } from '../../../simulate/daily-rhythm.js';
import { fahrenheitToCelsius, SPO2_SCALE_EXTENSION_URL } from '../fhir/loinc-vitals.js';
import { scoreNews2 } from '../news2/news2.js';
import { effectiveMs, type EventAt, LatestVitals, loincOf, observation, simulateWard } from './testing/ward-run.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 5, 1, 9, 30);
const RUN_HOURS = 36;
const END = START + RUN_HOURS * HOUR;

/**
 * One 36-hour run of three wards, shared by the specs below (simulating is the expensive part):
 * trajectories far more frequent than the defaults, shorter, so there are enough of them to count.
 * At 0.75 events/s the ward makes about as many readings as asked, so monitors keep their cadence.
 */
const PARAMS = {
  wards: 3,
  monitoredShare: 0.15,
  fahrenheitShare: 0.1,
  deteriorationPerPatientDay: 0.1,
  sepsisPerPatientDay: 0.1,
  deteriorationMin: '2h',
  deteriorationMax: '4h',
  sepsisMin: '3h',
  sepsisMax: '5h',
  acuteAtStart: 0,
};
let events: EventAt[] = [];
let trajectoryPatients = new Set<string>();
const stable = (event: EventAt) => !trajectoryPatients.has(event.key);
const valueOf = (event: EventAt) => observation(event).valueQuantity!.value;

beforeAll(async () => {
  events = await simulateWard(PARAMS, 0.75, START, RUN_HOURS * HOUR);
  trajectoryPatients = new Set(events.filter((e) => e.label.fraud).map((e) => e.key));
});

describe('health generator: a realistic ward', () => {
  it('keeps stable patients mostly at low NEWS2 while every deteriorating patient climbs to high', () => {
    const latest = new LatestVitals();
    const stableTotals: number[] = [];
    const worst = new Map<string, { total: number; firstMs: number }>();
    for (const event of events) {
      const { total } = scoreNews2(latest.add(event));
      if (stable(event)) stableTotals.push(total);
      else if (event.label.fraud) {
        const seen = worst.get(event.key) ?? { total: 0, firstMs: event.time };
        worst.set(event.key, { total: Math.max(seen.total, total), firstMs: seen.firstMs });
      }
    }
    stableTotals.sort((a, b) => a - b);
    expect(stableTotals[Math.floor(stableTotals.length / 2)]).toBeLessThanOrEqual(1);
    expect(stableTotals[Math.floor(stableTotals.length * 0.95)]).toBeLessThanOrEqual(4);
    expect(stableTotals.filter((total) => total >= 5).length / stableTotals.length).toBeLessThan(0.02);
    // Trajectories seen at least 8 hours before the run ends have had the time to peak (5 h at most) and be seen.
    const complete = [...worst.values()].filter((w) => END - w.firstMs >= 8 * HOUR);
    expect(complete.length).toBeGreaterThanOrEqual(8);
    expect(complete.filter((w) => w.total < 7)).toEqual([]);
  });

  it('labels trajectories from their onset to the patient’s transfer out, and only them', () => {
    const byPatient = new Map<string, EventAt[]>();
    for (const event of events) byPatient.set(event.key, [...(byPatient.get(event.key) ?? []), event]);
    const scenarios = new Map<string, number>();
    const broken: string[] = [];
    for (const readings of byPatient.values()) {
      const first = readings.findIndex((e) => e.label.fraud);
      if (first === -1) continue;
      const scenario = readings[first]!.label.scenario!;
      scenarios.set(scenario, (scenarios.get(scenario) ?? 0) + 1);
      // From onset on, every reading is part of the trajectory (late-charted ones may precede it by minutes).
      const onset = effectiveMs(readings[first]!);
      if (!readings.slice(first).every((e) => effectiveMs(e) < onset || (e.label.fraud && e.label.scenario === scenario))) broken.push(readings[0]!.key);
    }
    expect(broken).toEqual([]);
    // 3 wards of ~25 patients, 0.2 onsets per patient-day, over 1.5 days: about 23.
    expect(scenarios.get('deterioration')).toBeGreaterThanOrEqual(5);
    expect(scenarios.get('sepsis')).toBeGreaterThanOrEqual(5);
  });

  it('follows a circadian rhythm: pulse and temperature lower at night than in the afternoon', () => {
    const mean = (code: string, from: number, to: number, unit?: string) => {
      const list = events.filter((e) => stable(e) && loincOf(e) === code && (unit === undefined || observation(e).valueQuantity!.code === unit));
      const window = list.filter((e) => localHour(effectiveMs(e), 1) >= from && localHour(effectiveMs(e), 1) < to).map(valueOf);
      expect(window.length).toBeGreaterThan(20);
      return window.reduce((sum, v) => sum + v, 0) / window.length;
    };
    expect(mean('8867-4', 14, 19) - mean('8867-4', 1, 6)).toBeGreaterThan(5);
    expect(mean('8310-5', 14, 20, 'Cel') - mean('8310-5', 0, 7, 'Cel')).toBeGreaterThan(0.2);
  });

  it('sends a fraction of temperatures in °F, by bed, all plausible once converted', () => {
    const temperatures = events.filter((e) => loincOf(e) === '8310-5');
    const fahrenheit = temperatures.filter((e) => observation(e).valueQuantity!.code === '[degF]');
    expect(fahrenheit.length / temperatures.length).toBeGreaterThan(0.03);
    expect(fahrenheit.length / temperatures.length).toBeLessThan(0.22);
    expect(fahrenheit.every((e) => observation(e).valueQuantity!.unit === '°F')).toBe(true);
    const celsius = fahrenheit.map((e) => fahrenheitToCelsius(valueOf(e)));
    expect(Math.min(...celsius)).toBeGreaterThan(34);
    expect(Math.max(...celsius)).toBeLessThan(41.5);
    // A patient's thermometer does not change unit (no one moves bed).
    const units = new Map<string, Set<string>>();
    for (const e of temperatures) units.set(e.key, (units.get(e.key) ?? new Set()).add(observation(e).valueQuantity!.code));
    expect([...units.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('monitors monitored patients every minute or so and charts stable patients every 4 to 12 hours', () => {
    const gaps = (select: (e: EventAt) => boolean, time: (e: EventAt) => number) => {
      const last = new Map<string, number>();
      const list: number[] = [];
      for (const e of events.filter(select)) {
        const previous = last.get(e.key);
        if (previous !== undefined) list.push(time(e) - previous);
        last.set(e.key, time(e));
      }
      return list.sort((a, b) => a - b);
    };
    const monitorHr = gaps((e) => loincOf(e) === '8867-4' && observation(e).device !== undefined, (e) => e.time);
    expect(monitorHr[Math.floor(monitorHr.length / 2)]! / MINUTE).toBeGreaterThan(0.6);
    expect(monitorHr[Math.floor(monitorHr.length / 2)]! / MINUTE).toBeLessThan(1.3);
    const rounds = gaps((e) => stable(e) && loincOf(e) === '8310-5', effectiveMs);
    expect(rounds[Math.floor(rounds.length * 0.1)]! / HOUR).toBeGreaterThan(3.5);
    expect(rounds[Math.floor(rounds.length / 2)]! / HOUR).toBeLessThan(12.5);
    expect(rounds[Math.floor(rounds.length * 0.9)]! / HOUR).toBeLessThan(14);
  });

  it('admits and discharges patients: one encounter and one ward per patient, more patients than beds', () => {
    const stays = new Map<string, Set<string>>();
    for (const e of events) {
      const o = observation(e);
      stays.set(e.key, (stays.get(e.key) ?? new Set()).add(`${o.encounter.reference} ${o.extension[0]!.valueString}`));
    }
    expect(stays.size).toBeGreaterThan(3 * 28);
    expect([...stays.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('keeps COPD patients on SpO2 scale 2 around their 88-92 % target, marked on their SpO2 readings', () => {
    const scale2 = events.filter((e) => loincOf(e) === '59408-5' && observation(e).extension.some((x) => x.url === SPO2_SCALE_EXTENSION_URL && x.valueInteger === 2));
    const patients = new Set(scale2.filter(stable).map((e) => e.key));
    expect(patients.size).toBeGreaterThanOrEqual(2);
    const values = scale2.filter(stable).map(valueOf).sort((a, b) => a - b);
    expect(values[Math.floor(values.length / 2)]).toBeGreaterThanOrEqual(88);
    expect(values[Math.floor(values.length / 2)]).toBeLessThanOrEqual(92);
  });
});
