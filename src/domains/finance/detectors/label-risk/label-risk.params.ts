import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration } from '../../../../model/template/duration.js';

/** Fields of a FeedbackLabel that name what a risk can be kept per. */
export const LABEL_KEYS = ['terminal_id', 'customer_id', 'entity'] as const;

export const labelRiskParams = z
  .strictObject({
  /** Canonical event field scored (terminal_id, merchant...). */
  key: z.string().min(1).default('terminal_id'),
  /** The label field holding the same value (`entity` is the card). */
  labelKey: z.enum(LABEL_KEYS).default('terminal_id'),
  /** Labels of transactions within this look-back (by transaction time) count. */
  window: duration.prefault('28d'),
  /**
   * Further look-backs published as signals (`rate_<n>d`, `frauds_<n>d`, `labelled_<n>d`), e.g. 8d, 14d, 37d: with a
   * 7-day label delay those are the Handbook's 1, 7 and 30 days of known labels. At most `window`.
   */
  signalWindows: z.array(duration).max(8).default([]),
  /** Label buckets per window: older labels leave the window a bucket at a time. */
  bucket: duration.prefault('1d'),
  /** A finding needs at least this many frauds in the window... */
  minFrauds: z.number().int().min(1).default(2),
  /** ...and a fraud rate among the labelled transactions at least this. */
  emitAbove: z.number().gt(0).max(1).default(0.5),
  /** Findings per key at most once per this much event time. */
  quietFor: duration.prefault('1d'),
  severity: z.enum(SEVERITIES).default('high'),
  })
  .refine((p) => p.signalWindows.every((w) => w <= p.window), { message: 'every signal window must be at most window', path: ['signalWindows'] });

export type LabelRiskParams = z.infer<typeof labelRiskParams>;

/** Signal suffix of a look-back: `14d`, `36h`. */
export function windowSuffix(ms: number): string {
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${Math.round(ms / 3_600_000)}h`;
}
