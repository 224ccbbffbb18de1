import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FindingInput, VigilEvent } from '../../../../model/records.js';
import { DetectorTestContext } from '../../../../runtime/testing/detector-test-context.js';
import { MEASUREMENTS, type HourlyRow, type Measurement } from '../../sepsis/hourly-row.js';
import { SEPSIS_FEATURE_NAMES } from '../../sepsis/sepsis-features.js';
import type { SepsisModel } from '../../sepsis/sepsis-model.js';
import { SepsisStreamScorer } from '../../sepsis/sepsis-scorer.js';
import { HOUR, MINUTE, observation, T0 } from '../testing/observation-events.js';
import { sepsisRiskDetector } from './sepsis-risk.detector.js';
import { DEFAULT_MEASUREMENTS, sepsisRiskParamsFromModel } from './sepsis-risk.params.js';

const FITTED = JSON.parse(readFileSync(path.resolve('templates/health/sepsis-model.json'), 'utf8')) as SepsisModel;
const PARAMETER_OF = Object.fromEntries(Object.entries(DEFAULT_MEASUREMENTS).map(([parameter, column]) => [column, parameter])) as Record<Measurement, string>;

/** A model reading only the named inputs (weight per input, fitting mean 0). */
function linearModel(weights: Record<string, number>, bias: number, threshold: number): SepsisModel {
  return { model: 'vigil-sepsis-logistic', version: 1, bias, threshold, inputs: SEPSIS_FEATURE_NAMES.map((name) => ({ name, weight: weights[name] ?? 0, mean: 0 })) };
}

/** A deterministic generator, so the fixture is the same on every run. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const START: Record<string, number> = { A: 0, B: 3 };

/** PhysioNet-shaped hourly rows of two patients: no readings in ICULOS 1 (as there), random walks, missing cells, an empty hour. */
function fixtureRows(): HourlyRow[] {
  const rnd = random(7);
  const base: Record<Measurement, number> = { HR: 85, O2Sat: 96, Temp: 37, SBP: 120, MAP: 80, DBP: 60, Resp: 18, EtCO2: 35, FiO2: 0.4 };
  const step: Record<Measurement, number> = { HR: 6, O2Sat: 1.5, Temp: 0.3, SBP: 8, MAP: 5, DBP: 4, Resp: 2, EtCO2: 2, FiO2: 0.05 };
  const rows: HourlyRow[] = [];
  for (const patientId of ['A', 'B']) {
    const level = { ...base };
    for (let iculos = 1; iculos <= 30; iculos++) {
      const values: Partial<Record<Measurement, number>> = {};
      for (const m of MEASUREMENTS) {
        level[m] += (rnd() - 0.45) * step[m];
        const rare = m === 'EtCO2' || m === 'FiO2';
        if (iculos > 1 && !(patientId === 'A' && iculos === 10) && rnd() < (rare ? 0.2 : 0.8)) values[m] = Math.round(level[m] * 100) / 100;
      }
      rows.push({ patientId, iculos, values });
    }
  }
  return rows;
}

/** One observation per measured cell, at a random minute of its hour, arriving up to an hour late. */
function observationsOf(rows: readonly HourlyRow[], rnd: () => number): VigilEvent[] {
  const timed: { arrival: number; event: VigilEvent }[] = [];
  for (const row of rows) {
    const hourStart = (START[row.patientId]! + row.iculos - 1) * 60;
    for (const [column, value] of Object.entries(row.values)) {
      const minute = hourStart + 1 + Math.floor(rnd() * 58);
      timed.push({ arrival: minute + rnd() * 60, event: observation(minute, PARAMETER_OF[column as Measurement], value, row.patientId) });
    }
  }
  return timed.sort((a, b) => a.arrival - b.arrival).map((t) => t.event);
}

/** Every hour scored, as a finding: threshold ~0 and reminders every millisecond. */
const EVERY_HOUR = { threshold: 1e-12, renotify: '1ms', deriveMap: false };
const LATE = { maxOutOfOrderness: 90 * MINUTE };

function hourScores(findings: readonly FindingInput[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of findings) (out[f.entity] ??= [])[f.values!.iculos! - 1] = f.score!;
  return out;
}

describe('sepsis risk detector', () => {
  const rows = fixtureRows();
  const lastClose = T0 + (START.B! + 30) * HOUR + LATE.maxOutOfOrderness;

  it('scores every patient-hour exactly as the backtest does (SepsisStreamScorer), from readings arriving out of order', () => {
    const scorer = new SepsisStreamScorer(FITTED);
    const expected: Record<string, number[]> = {};
    for (const row of rows) (expected[row.patientId] ??= []).push(scorer.score(row).probability);

    const ctx = DetectorTestContext.start(sepsisRiskDetector, { model: FITTED, ...EVERY_HOUR }, LATE);
    for (const event of observationsOf(rows, random(11))) ctx.process(event);
    ctx.advanceTo(lastClose);
    expect(ctx.late).toEqual([]);
    const scored = hourScores(ctx.emitted);
    // A's hours after its last row are scored too (B's readings move event time on): not in the file.
    expect(scored.A!.length).toBeGreaterThan(30);
    expect({ A: scored.A!.slice(0, 30), B: scored.B }).toEqual(expected);
    expect(expected.A![9]).toBeGreaterThan(0); // the empty hour is scored too
  });

  it('keeps every patient across a restart from the changelog: the same scores as without one', () => {
    const events = observationsOf(rows, random(5));
    const straight = DetectorTestContext.start(sepsisRiskDetector, { model: FITTED, ...EVERY_HOUR }, LATE);
    for (const event of events) straight.process(event);
    straight.advanceTo(lastClose);

    let ctx = DetectorTestContext.start(sepsisRiskDetector, { model: FITTED, ...EVERY_HOUR }, LATE);
    const emitted: FindingInput[] = [];
    events.forEach((event, i) => {
      if (i % 97 === 50) {
        emitted.push(...ctx.emitted);
        ctx = ctx.restarted();
      }
      ctx.process(event);
    });
    ctx.advanceTo(lastClose);
    emitted.push(...ctx.emitted);
    expect(hourScores(emitted)).toEqual(hourScores(straight.emitted));
  });

  describe('alarm-fatigue control', () => {
    // p = σ(HR / 10 − 10): HR 100 → 0.5, 97 → 0.43, 95 → 0.38, 90 → 0.27.
    const model = linearModel({ HR: 0.1 }, -10, 0.4);
    const run = (hr: readonly number[], extra: Record<string, unknown> = {}) => {
      const ctx = DetectorTestContext.start(sepsisRiskDetector, { model, hoursBeforeFirstReading: 0, ...extra });
      hr.forEach((value, h) => ctx.process(observation(h * 60 + 30, 'pulse', value)));
      ctx.advanceTo(T0 + hr.length * HOUR);
      return ctx.emitted.map((f) => `${f.values!.iculos} ${f.kind} ${f.severity}`);
    };

    it('alerts when an hour reaches the threshold and explains each input contribution', () => {
      const ctx = DetectorTestContext.start(sepsisRiskDetector, { model, hoursBeforeFirstReading: 0 });
      ctx.process(observation(30, 'pulse', 80));
      ctx.process(observation(90, 'pulse', 100));
      ctx.advanceTo(T0 + 2 * HOUR);
      expect(ctx.emitted).toHaveLength(1);
      const [finding] = ctx.emitted;
      expect(finding).toMatchObject({ entity: 'p1', kind: 'sepsis.escalation', severity: 'high', windowStart: T0 + HOUR, windowEnd: T0 + 2 * HOUR });
      expect(finding!.score).toBeCloseTo(0.5, 10);
      expect(finding!.values).toMatchObject({ iculos: 2, HR: 100, 'contrib.HR': 10 });
      expect(finding!.title).toMatch(/^sepsis risk 0\.500 \(threshold 0\.400\) for patient p1 in hour 2: HR \+10\.00/);
    });

    it('a probability hovering at the threshold does not flap', () => {
      expect(run([97, 95, 97, 95])).toEqual(['1 sepsis.escalation high']);
      expect(run([97, 95, 97, 95, 97, 95])).toEqual(['1 sepsis.escalation high', '5 sepsis.reminder high']);
    });

    it('leaves the alert after two lower hours or at once below exitBelow × threshold, and re-enters quietly within renotify', () => {
      expect(run([100, 95, 95, 100])).toEqual(['1 sepsis.escalation high']);
      expect(run([100, 90, 100, 90, 90, 90, 100])).toEqual(['1 sepsis.escalation high', '7 sepsis.escalation high']);
    });

    it('re-notifies every renotify while the risk persists, and escalates to critical', () => {
      expect(run(Array<number>(9).fill(100))).toEqual(['1 sepsis.escalation high', '5 sepsis.reminder high', '9 sepsis.reminder high']);
      expect(run([100, 100, 110, 110], { criticalAbove: 0.7 })).toEqual(['1 sepsis.escalation high', '3 sepsis.escalation critical']);
    });
  });

  it('scores hours without readings until activeFor after the latest, then stops', () => {
    const model = linearModel({ iculos: 0.001 }, -1, 0.01);
    const ctx = DetectorTestContext.start(sepsisRiskDetector, { model, renotify: '1ms', activeFor: '3h', hoursBeforeFirstReading: 0 });
    ctx.process(observation(30, 'pulse', 80));
    ctx.advanceTo(T0 + 24 * HOUR);
    expect(ctx.emitted.map((f) => f.values!.iculos)).toEqual([1, 2, 3, 4]);
    expect(ctx.timerCount()).toBe(0);
    // Back later: scored again from that hour, without the empty hours between.
    ctx.process(observation(30 * 60 + 10, 'pulse', 80));
    ctx.advanceTo(T0 + 31 * HOUR);
    expect(ctx.emitted.map((f) => f.values!.iculos)).toEqual([1, 2, 3, 4, 31]);
  });

  it('scores hoursBeforeFirstReading empty hours first, so the first reading is in ICULOS 2 as in PhysioNet stays', () => {
    const model = linearModel({ HR_unseen: 1 }, -1, 0.01);
    const ctx = DetectorTestContext.start(sepsisRiskDetector, { model, renotify: '1ms' }, { maxOutOfOrderness: 2 * HOUR });
    ctx.process(observation(150, 'pulse', 80));
    ctx.process(observation(100, 'resp_rate', 16)); // earlier, before any hour was scored: the stay starts before it
    ctx.advanceTo(T0 + 5 * HOUR);
    expect(ctx.emitted.map((f) => [f.values!.iculos, f.windowStart - T0, f.values!.HR_unseen])).toEqual([
      [1, 0, 1],
      [2, HOUR, 1],
      [3, 2 * HOUR, 0],
    ]);
  });

  it('derives the mean arterial pressure from systolic and diastolic when the hour has none', () => {
    const model = linearModel({ MAP: -0.05 }, 2, 0.01);
    const scores = (deriveMap: boolean) => {
      const ctx = DetectorTestContext.start(sepsisRiskDetector, { model, deriveMap, hoursBeforeFirstReading: 0 });
      ctx.process(observation(10, 'systolic_bp', 90));
      ctx.process(observation(20, 'diastolic_bp', 45));
      ctx.advanceTo(T0 + HOUR);
      return ctx.emitted[0]!.score!;
    };
    const sigma = (z: number) => 1 / (1 + Math.exp(-z));
    expect(scores(true)).toBeCloseTo(sigma(2 - 0.05 * 60), 12);
    expect(scores(false)).toBeCloseTo(sigma(2 - 0.05 * 80), 12); // MAP unseen: the model's stand-in
  });

  it('ignores a reading for an hour already scored, and an implausible one with a warning', () => {
    const ctx = DetectorTestContext.start(sepsisRiskDetector, { model: linearModel({ HR: 0.1 }, -10, 0.4) }, { allowedLateness: 2 * HOUR });
    ctx.process(observation(30, 'pulse', 80));
    ctx.process(observation(70, 'pulse', 80));
    ctx.advanceTo(T0 + 61 * MINUTE);
    ctx.process(observation(40, 'pulse', 150)); // hour 1 was scored at its end
    ctx.process(observation(80, 'pulse', -3));
    ctx.advanceTo(T0 + 2 * HOUR);
    expect(ctx.emitted).toEqual([]);
    expect(ctx.logs.map((l) => l.level)).toEqual(['debug', 'warn']);
  });

  it('builds its params from sepsis-model.json and rejects a model whose inputs are not this code’s', () => {
    const params = sepsisRiskParamsFromModel(FITTED, { severity: 'critical' });
    expect(params).toMatchObject({ severity: 'critical', model: { threshold: FITTED.threshold } });
    expect(sepsisRiskDetector.meta.requiredFields(params)).toEqual(['patient_id', 'parameter', 'value']);
    const bad = sepsisRiskDetector.meta.params.safeParse({ model: { ...FITTED, inputs: FITTED.inputs.slice(1) } });
    expect(bad.error!.issues[0]!.message).toMatch(/must be this code's inputs in order; absent: HR/);
  });
});
