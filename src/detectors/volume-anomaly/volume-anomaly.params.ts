import { z } from 'zod';
import { SEVERITIES } from '../../model/records.js';
import { duration } from '../../model/template/duration.js';
import { CORE_PROFILES, DEFAULT_THRESHOLD, type CoreProfile } from './anomaly-defaults.js';

export const volumeAnomalyParams = z.strictObject({
  /** Canonical field the series are kept per (entity, hashtag, host...); the event's key when omitted. */
  key: z.string().min(1).optional(),
  /** Numeric field summed per bucket; omit to count events (volume). */
  field: z.string().min(1).optional(),
  /** Event-time bucket: one point of the series per key and bucket. */
  bucket: duration.default(300_000),
  /**
   * The core's parameter set: `seasonal` (the NAB-tuned default: a key's first 250 buckets score by
   * the short-horizon burst score, then by the learned level, spread and daily rhythm) or `short`
   * (the burst score only: each bucket against the median of the key's previous 5, for short-lived
   * series such as a live event, or when only the recent level matters).
   */
  profile: z.enum(Object.keys(CORE_PROFILES) as [CoreProfile, ...CoreProfile[]]).default('seasonal'),
  /**
   * Whether the burst score also flags drops (a bucket at 1/k of the recent median scores as one at
   * k times it): for a count that should not fall silent. Bursts only by default.
   */
  drops: z.boolean().default(false),
  /** Anomaly score at or above which a bucket is a finding (the NAB-tuned standard threshold by default). */
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD),
  /**
   * A bucket whose value (count or sum) is below this is never a finding, whatever its score: for
   * a quiet key (an entity with a post an hour), 2 posts in a minute is surprising yet no burst.
   */
  minValue: z.number().min(0).default(0),
  /**
   * Empty buckets between two events of a key are fed as zeros (counts) up to this many; a longer
   * silence is skipped rather than replayed bucket by bucket.
   */
  maxGapBuckets: z.number().int().min(0).max(10_000).default(288),
  /** How long a key may stay silent before the runtime may drop its learned rhythm. */
  ttl: duration.default(1_209_600_000),
  severity: z.enum(SEVERITIES).default('medium'),
});

export type VolumeAnomalyParams = z.infer<typeof volumeAnomalyParams>;
