import type { Template } from '../../../model/template/template.schema.js';
import { PartitionRuntime } from '../../../runtime/partition-runtime.js';
import { ZOD_PARSE_OPTIONS } from '../../../model/template/zod-problems.js';
import { HEALTH_DETECTORS } from './health-detectors.js';
import { sepsisRiskParamsFromModel } from './sepsis-risk/sepsis-risk.params.js';
import { SEPSIS_FEATURE_NAMES } from '../sepsis/sepsis-features.js';
import { MINUTE, observationSet, T0 } from './testing/observation-events.js';

const MODEL = sepsisRiskParamsFromModel({
  model: 'vigil-sepsis-logistic',
  version: 1,
  bias: -5,
  threshold: 0.5,
  inputs: SEPSIS_FEATURE_NAMES.map((name) => ({ name, weight: 0, mean: 0 })),
}).model;

const silentLog = { debug: () => undefined, info: () => undefined, warn: () => undefined };

describe('health detectors', () => {
  it('are four, with distinct type names, and parse their defaults (sepsis_risk needs its model)', () => {
    expect(HEALTH_DETECTORS.map((d) => d.meta.name)).toEqual(['news2', 'vital_baseline', 'deterioration_trend', 'sepsis_risk']);
    for (const definition of HEALTH_DETECTORS) {
      const params = definition.meta.name === 'sepsis_risk' ? { model: MODEL } : {};
      expect(definition.meta.params.safeParse(params, ZOD_PARSE_OPTIONS).success).toBe(true);
    }
  });

  it('run together on one partition: deterioration_trend reads the total news2 publishes about the same reading', () => {
    const template = { name: 'health', event: { maxOutOfOrderness: 0, allowedLateness: 0 } } as unknown as Template;
    const slots = HEALTH_DETECTORS.map((definition) => ({
      id: definition.meta.name,
      definition,
      params: definition.meta.params.parse(definition.meta.name === 'sepsis_risk' ? { model: MODEL } : {}),
    }));
    const runtime = new PartitionRuntime(template, slots, silentLog, { recordChanges: false });
    const kinds: string[] = [];
    const sets: { minute: number; changes: Record<string, number> }[] = [
      { minute: 0, changes: {} },
      { minute: 60, changes: { resp_rate: 21 } },
      { minute: 120, changes: { resp_rate: 21, temperature: 38.2 } },
      { minute: 180, changes: { resp_rate: 21, temperature: 38.2, pulse: 95 } },
    ];
    for (const { minute, changes } of sets) {
      for (const event of observationSet(minute, changes)) kinds.push(...runtime.process(event).findings.map((f) => `${f.detector_type} ${f.kind}`));
    }
    // Respiration back to 16: temperature 38.2 and pulse 95 still score 1 each.
    runtime.process({ ...observationSet(190)[0]!, time: T0 + 190 * MINUTE });
    expect(runtime.signals.get('news2.total')).toBe(2);
    expect(runtime.signals.get('deterioration_trend.news2_rise')).toBe(2);
    // NEWS2 0 → 3 within 2 h; temperature 37 → 38.2 is a Theil–Sen 0.5 °C/h, 3 °C per 6 h.
    expect(kinds).toEqual(['deterioration_trend trend.news2', 'deterioration_trend trend.temperature']);
  });
});
