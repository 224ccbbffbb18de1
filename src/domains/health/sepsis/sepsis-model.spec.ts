import { alertBurden } from '../eval/alert-burden.js';
import { patientHalf } from './patient-split.js';
import { SEPSIS_FEATURE_NAMES } from './sepsis-features.js';
import { explainSepsis, scoreSepsis, validateSepsisModel, type SepsisModel } from './sepsis-model.js';

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
    expect(shipped.inputs.map((i) => i.name)).toEqual(SEPSIS_FEATURE_NAMES);
    expect(shipped.threshold).toBeGreaterThan(0);
  });
});
