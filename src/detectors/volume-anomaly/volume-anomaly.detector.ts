import { defineDetector, type DetectorContext, type DetectorInstance } from '../../model/detector.js';
import type { VigilEvent } from '../../model/records.js';
import { createAnomalyState, updateAnomaly, type AnomalyReading } from './anomaly-core.js';
import { CORE_PROFILES } from './anomaly-defaults.js';
import { volumeAnomalyParams, type VolumeAnomalyParams } from './volume-anomaly.params.js';

/**
 * Store of each key's open bucket: [bucket start, value so far, 1 when the bucket is the key's first
 * (partial)]. A state saved without the third number is a complete bucket.
 */
export const BUCKET_STORE = 'bucket';
/** Store of each key's anomaly-core state (a fixed-length number array). */
export const CORE_STORE = 'core';
/** Store of a few event ids of each key's open bucket, for the finding's contributing events. */
export const SAMPLES_STORE = 'samples';
const BUCKET_START = 0;
const BUCKET_VALUE = 1;
const BUCKET_PARTIAL = 2;
const MAX_SAMPLES = 5;

/**
 * Volume anomaly: per key, a series of event-time buckets (the count of events, or the sum of a
 * numeric field), each closed bucket scored by the streaming anomaly core against the key's own
 * learned level, spread and daily rhythm, or while it has too little history for those, against the
 * median of its last few buckets (anomaly-core.ts, the code `vigil anomaly` and the NAB evaluation
 * run). A bucket is closed when a later event of the key arrives; empty buckets in
 * between count as zeros. A closed bucket whose score reaches the threshold is a finding.
 *
 * A key's first bucket (the one in progress when the key is first seen, so every key's at start)
 * is never a point of the series: it saw only part of its interval, so it would score as a drop and
 * make the first complete bucket after it look like a burst. The series starts with the next bucket.
 *
 * State per key is two numbers for the open bucket, the core's fixed-size number array and up to
 * five event ids; the core never looks at a bucket before it is closed, so no score uses the future.
 */
export const volumeAnomalyDetector = defineDetector<VolumeAnomalyParams>({
  meta: {
    name: 'volume_anomaly',
    version: '1.3.0',
    description: 'How unusual each key’s count (or sum) per event-time bucket is against its own rhythm',
    params: volumeAnomalyParams,
    requiredFields: (p) => [...(p.key ? [p.key] : []), ...(p.field ? [p.field] : [])],
    stateTtl: (p) => p.ttl,
  },
  create(context: DetectorContext, params: VolumeAnomalyParams): DetectorInstance {
    const buckets = context.store<number[]>(BUCKET_STORE);
    const cores = context.store<number[]>(CORE_STORE);
    const samples = context.store<string[]>(SAMPLES_STORE);
    const core = params.drops ? { ...CORE_PROFILES[params.profile], burstDrops: true } : CORE_PROFILES[params.profile];
    const reading: AnomalyReading = { score: 0, baseline: 0, spread: 0, z: 0 };

    function close(key: string, state: number[], start: number, value: number, event: VigilEvent, ids: readonly string[]): void {
      const score = updateAnomaly(state, core, start, value, reading);
      context.signal('score', score);
      if (score < params.threshold || value < params.minValue) return;
      const what = params.field ? `${params.field} sum` : 'events';
      context.emit({
        entity: key,
        severity: params.severity,
        kind: 'volume.anomaly',
        title: `${round2(value)} ${what} for ${key} in ${formatBucket(params.bucket)} (expected about ${round2(reading.baseline)}; score ${score.toFixed(2)} ≥ ${params.threshold})`,
        score,
        windowStart: start,
        windowEnd: start + params.bucket,
        values: { value: round2(value), baseline: round2(reading.baseline), spread: round2(reading.spread), z: round2(reading.z), score: round4(score) },
        thresholds: params.minValue > 0 ? { score: params.threshold, min_value: params.minValue } : { score: params.threshold },
        eventIds: ids.length > 0 ? ids : [event.id],
      });
    }

    return {
      process(event: VigilEvent): void {
        const raw = params.key ? event.fields[params.key] : event.key;
        if (raw === null || raw === undefined || raw === '') return;
        const key = String(raw);
        let amount = 1;
        if (params.field) {
          amount = Number(event.fields[params.field]);
          if (!Number.isFinite(amount)) return;
        }
        const bucket = Math.floor(event.time / params.bucket) * params.bucket;
        const state = buckets.get(key) ?? [bucket, 0, 1];
        let ids = samples.get(key) ?? [];
        const open = state[BUCKET_START]!;
        if (bucket > open) {
          const coreState = cores.get(key) ?? createAnomalyState(core);
          if (state[BUCKET_PARTIAL] !== 1) close(key, coreState, open, state[BUCKET_VALUE]!, event, ids);
          // Empty buckets in between are points of the series too (zero events), up to maxGapBuckets.
          const gap = Math.min((bucket - open) / params.bucket - 1, params.maxGapBuckets);
          for (let i = 1; i <= gap; i++) updateAnomaly(coreState, core, open + i * params.bucket, 0);
          cores.put(key, coreState);
          state.splice(BUCKET_START, state.length, bucket, 0);
          ids = [];
        }
        // An event older than the open bucket (allowed lateness) is counted in the open bucket.
        state[BUCKET_VALUE] = state[BUCKET_VALUE]! + amount;
        if (ids.length < MAX_SAMPLES) ids.push(event.id);
        samples.put(key, ids);
        buckets.put(key, state);
      },
    };
  },
});

function formatBucket(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 1000}s`;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
