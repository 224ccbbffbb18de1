import { alertBurden } from '../eval/alert-burden.js';
import { patientHalf } from './patient-split.js';
import { SEPSIS_FEATURE_NAMES } from './sepsis-features.js';
import { BOOSTED_FEATURE_NAMES } from './boosted-features.js';
import { newPatientState } from './patient-state.js';
import { explainSepsis, scoreSepsis, sepsisInputs, sepsisLogit, validateSepsisModel, type BoostedSepsisModel, type SepsisModel } from './sepsis-model.js';
import { scoreHour } from './sepsis-scorer.js';

const model = (weights: (j: number) => number, bias = -3): SepsisModel => ({
  model: 'vigil-sepsis-logistic',
  version: 1,
  bias,
  threshold: 0.1,
  inputs: SEPSIS_FEATURE_NAMES.map((name, j) => ({ name, weight: weights(j), mean: 1 })),
});

describe('sepsis model', () => {
  it('scores σ(bias + w·x) and alerts at the threshold', () => {
    const m = model((j) => (j === 0 ? 0.01 : 0));
    const x = new Float64Array(SEPSIS_FEATURE_NAMES.length).fill(0);
    x[0] = 100;
    expect(scoreSepsis(m, x).probability).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    expect(scoreSepsis(m, x).alert).toBe(true);
    x[0] = 0;
    expect(scoreSepsis(m, x).alert).toBe(false);
  });

  it('explains a score by each input’s contribution from its fitting mean, largest first', () => {
    const m = model((j) => (j < 3 ? j + 1 : 0));
    const x = new Float64Array(SEPSIS_FEATURE_NAMES.length).fill(1);
    x[0] = 5;
    x[2] = 0;
    expect(explainSepsis(m, x, 2)).toEqual([
      { name: SEPSIS_FEATURE_NAMES[0], value: 5, contribution: 4 },
      { name: SEPSIS_FEATURE_NAMES[2], value: 0, contribution: -3 },
    ]);
  });

  it('rejects a model whose inputs are not this code’s', () => {
    const m = model(() => 0);
    expect(() => validateSepsisModel({ ...m, inputs: m.inputs.slice(1) }, 'm.json')).toThrow(`m.json: inputs: must be this code's inputs in order; absent: ${SEPSIS_FEATURE_NAMES[0]}`);
    expect(() => validateSepsisModel({ ...m, threshold: 2 }, 'm.json')).toThrow('m.json: threshold: expected a probability in (0, 1)');
    expect(validateSepsisModel(JSON.parse(JSON.stringify(m)), 'm.json')).toEqual(m);
  });
});

describe('boosted-tree sepsis model', () => {
  const hr = BOOSTED_FEATURE_NAMES.indexOf('HR');
  const resp = BOOSTED_FEATURE_NAMES.indexOf('Resp');
  // Tree 0: HR ≤ 100 → −0.2, else (Resp ≤ 22 → 0.1, else 0.6); tree 1: Resp ≤ 20 → −0.1, else 0.3.
  const boosted: BoostedSepsisModel = {
    model: 'vigil-sepsis-boosted-trees',
    version: 1,
    base: -3,
    threshold: 0.05,
    inputs: BOOSTED_FEATURE_NAMES,
    trees: [
      { feature: [hr, -1, resp, -1, -1], threshold: [100, 0, 22, 0, 0], left: [1, -1, 3, -1, -1], right: [2, -1, 4, -1, -1], value: [0, -0.2, 0.3, 0.1, 0.6] },
      { feature: [resp, -1, -1], threshold: [20, 0, 0], left: [1, -1, -1], right: [2, -1, -1], value: [0.05, -0.1, 0.3] },
    ],
  };
  const x = (hrValue: number, respValue: number) => {
    const v = new Float64Array(BOOSTED_FEATURE_NAMES.length);
    v[hr] = hrValue;
    v[resp] = respValue;
    return v;
  };

  it('scores σ(base + the leaves x reaches) and alerts at the threshold', () => {
    expect(sepsisLogit(boosted, x(120, 30))).toBeCloseTo(-3 + 0.6 + 0.3, 12);
    expect(scoreSepsis(boosted, x(120, 30)).probability).toBeCloseTo(1 / (1 + Math.exp(2.1)), 12);
    expect(scoreSepsis(boosted, x(120, 30)).alert).toBe(true);
    expect(sepsisLogit(boosted, x(100, 20))).toBeCloseTo(-3.3, 12);
    expect(scoreSepsis(boosted, x(100, 20)).alert).toBe(false);
  });

  it('explains a score by the change of node value at each split, per input', () => {
    // HR 120: root 0 → 0.3 (+0.3 to HR); Resp 30: 0.3 → 0.6 and 0.05 → 0.3 (+0.55 to Resp).
    const why = explainSepsis(boosted, x(120, 30), 2);
    expect(why.map((w) => w.name)).toEqual(['Resp', 'HR']);
    expect(why[0]!.contribution).toBeCloseTo(0.55, 12);
    expect(why[1]!.contribution).toBeCloseTo(0.3, 12);
    expect(why[0]!.value).toBe(30);
  });

  it('has its inputs computed by scoreHour (the boosted-tree inputs, not the logistic ones)', () => {
    const state = newPatientState();
    const hour = scoreHour(state, { patientId: 'p', iculos: 1, values: { HR: 120, Resp: 30 } }, boosted);
    expect(hour.features).toHaveLength(BOOSTED_FEATURE_NAMES.length);
    expect(hour.probability).toBeCloseTo(1 / (1 + Math.exp(2.1)), 12);
  });

  it('rejects malformed trees and inputs that are not this code’s', () => {
    expect(validateSepsisModel(JSON.parse(JSON.stringify(boosted)), 'm.json')).toEqual(boosted);
    const tree = boosted.trees[0]!;
    expect(() => validateSepsisModel({ ...boosted, trees: [{ ...tree, left: [0, -1, 3, -1, -1] }] }, 'm.json')).toThrow('m.json: trees[0] node 0: expected an input index below');
    expect(() => validateSepsisModel({ ...boosted, trees: [{ ...tree, feature: [9999, -1, resp, -1, -1] }] }, 'm.json')).toThrow('trees[0] node 0');
    expect(() => validateSepsisModel({ ...boosted, trees: [{ ...tree, value: [0, 1] }] }, 'm.json')).toThrow('trees[0]: expected feature, threshold, left, right and value lists of one length');
    expect(() => validateSepsisModel({ ...boosted, inputs: SEPSIS_FEATURE_NAMES }, 'm.json')).toThrow("m.json: inputs: must be this code's inputs in order");
  });
});

describe('patient split', () => {
  it('is fixed per id and splits even-numbered ids about in half', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `p${100002 + 2 * i}`);
    const fit = ids.filter((id) => patientHalf(id) === 'fit').length;
    expect(fit).toBeGreaterThan(900);
    expect(fit).toBeLessThan(1100);
    expect(patientHalf('p100002')).toBe(patientHalf('p100002'));
  });
});

describe('alert burden', () => {
  it('counts alert hours and alert episodes per patient-day', () => {
    const alerts = [0, 1, 1, 0, 1, ...Array(19).fill(0), 1, ...Array(23).fill(0)] as number[];
    const burden = alertBurden(alerts, [{ from: 0, to: 24 }, { from: 24, to: 48 }]);
    expect(burden).toEqual({ alertHoursPerPatientDay: 2, alertEpisodesPerPatientDay: 1.5 });
  });
});

describe('the shipped model', () => {
  it('templates/health/sepsis-model.json matches the inputs this code computes (refit with vigil fit-sepsis when they change)', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = 'templates/health/sepsis-model.json';
    const shipped = validateSepsisModel(JSON.parse(await readFile(file, 'utf8')), file);
    expect(shipped.inputs.map((i) => (typeof i === 'string' ? i : i.name))).toEqual(sepsisInputs(shipped).map((f) => f.name));
    expect(shipped.threshold).toBeGreaterThan(0);
  });
});
