import { defineDetector, type DetectorContext, type DetectorInstance } from '../../../../model/detector.js';
import type { VigilEvent } from '../../../../model/records.js';
import { observationRequiredFields, readObservation } from '../observation/observation.js';
import { observeBaseline, type BaselineConfig, type BaselineTrack } from './robust-baseline.js';
import { vitalBaselineParams, type VitalBaselineParams } from './vital-baseline.params.js';

/** Store of each patient's baselines, by parameter. */
export const BASELINE_STORE = 'baseline';

/**
 * Per-patient baseline deviation: each patient's own normal per vital (robust-baseline.ts), so a
 * pulse of 105 in a patient who lives at 60 is seen although it scores little on NEWS2. A reading
 * at least max(z × scale, minDeviation) from the normal opens an episode and a
 * `baseline.<parameter>` finding; the episode stays open (no further finding) until readings
 * come back within `exit.fraction` of the limit for `exit.readings` readings. A chronic level is
 * not re-alerted: it pulls the normal along until it is the normal. Publishes `deviation` and
 * `z` for each reading of a followed vital once its normal has `minHistory` readings.
 */
export const vitalBaselineDetector = defineDetector<VitalBaselineParams>({
  meta: {
    name: 'vital_baseline',
    version: '1.0.0',
    description: "Deviation of a vital from the patient's own robust normal, learned as the stream flows, once per episode",
    params: vitalBaselineParams,
    requiredFields: (p) => observationRequiredFields(p, false),
    stateTtl: (p) => p.stateTtl,
  },
  create(context: DetectorContext, params: VitalBaselineParams): DetectorInstance {
    const baselines = context.store<Record<string, BaselineTrack>>(BASELINE_STORE);
    const configs = new Map<string, BaselineConfig>(
      Object.entries(params.parameters).map(([name, p]) => [
        name,
        {
          minHistory: params.minHistory,
          readings: params.readings,
          z: params.z,
          minDeviation: p.minDeviation,
          winsorise: params.winsorise,
          exitFraction: params.exit.fraction,
          exitReadings: params.exit.readings,
          direction: p.direction,
        },
      ]),
    );
    return {
      process(event: VigilEvent): void {
        const obs = readObservation(event, params, context.log);
        if (obs === undefined) return;
        const cfg = configs.get(obs.parameter);
        if (cfg === undefined) return;
        const tracks = baselines.get(obs.patient) ?? {};
        const before = tracks[obs.parameter]?.[0] ?? 0;
        const { track, step } = observeBaseline(tracks[obs.parameter], obs.value, obs.time, cfg);
        tracks[obs.parameter] = track;
        baselines.put(obs.patient, tracks);
        if (step.deviation === undefined || before < params.minHistory) return;
        const robustZ = step.deviation / Math.max(step.scale!, cfg.minDeviation / params.z);
        context.signal('deviation', step.deviation);
        context.signal('z', robustZ);
        if (step.opened === 0) return;
        const sign = step.deviation >= 0 ? '+' : '';
        context.emit({
          entity: obs.patient,
          severity: params.severity,
          kind: `baseline.${obs.parameter}`,
          title:
            `${obs.parameter} ${obs.value} for patient ${obs.patient}, whose own normal is ${round(step.center!, 1)} (±${round(step.scale!, 1)}): ` +
            `${sign}${round(step.deviation, 1)} (limit ${round(step.limit!, 1)})`,
          score: Math.min(1, Math.abs(step.deviation) / (2 * step.limit!)),
          windowStart: obs.time,
          windowEnd: obs.time,
          values: { value: obs.value, baseline: round(step.center!, 3), scale: round(step.scale!, 3), deviation: round(step.deviation, 3), z: round(robustZ, 2), readings: before },
          thresholds: { limit: round(step.limit!, 3), z: params.z, min_deviation: cfg.minDeviation },
          eventIds: [event.id],
        });
      },
    };
  },
});

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
