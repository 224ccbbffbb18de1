import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';
import { duration } from '../../../../model/template/duration.js';

export const SHIFT_DIRECTIONS = ['negative', 'positive', 'both'] as const;

export const sentimentShiftParams = z
  .strictObject({
    /** Canonical field the sentiment is followed per: the entity (brand, topic, account) a post is about. */
    key: z.string().min(1).default('entity'),
    textField: z.string().min(1).default('text'),
    /** Rolling event-time window whose mean sentiment is compared with the baseline. */
    window: duration.prefault('15m'),
    /** Time bucket: the window is window / bucket buckets; a bucket leaving the window is learnt into the baseline. */
    bucket: duration.prefault('1m'),
    /** Which turn fires: towards negative (a brand in trouble), positive, or both. */
    direction: z.enum(SHIFT_DIRECTIONS).default('negative'),
    /** Posts the window must hold to be judged: a few angry posts about a quiet brand are not a shift. */
    minPosts: z.number().int().min(1).default(20),
    /** Posts the baseline must have learnt before anything fires. */
    minHistory: z.number().int().min(1).default(100),
    /** Smallest shift of the mean score (scores are in [-1, 1]) that fires. */
    minShift: z.number().gt(0).max(2).default(0.25),
    /**
     * ... and it must be this many standard errors from the baseline (sd of post scores / √posts).
     * The window is judged on every post, a scan over overlapping windows, so the bar is higher than
     * a single test's 3.
     */
    z: z.number().min(0).default(4),
    /** After firing, the direction re-arms once the shift is back within recovery × minShift of the baseline. */
    recovery: z.number().min(0).max(1).default(0.5),
    /** Weight of each bucket learnt into the baseline (per bucket of posts; early buckets weigh by their share of posts). */
    alpha: z.number().gt(0).lt(1).default(0.02),
    /** A bucket's mean is learnt clipped to within clip standard errors of the baseline (robust to the shifts it detects). */
    clip: z.number().positive().default(3),
    /** The most extreme posts of the window named as contributing events. */
    maxPosts: z.number().int().min(1).max(20).default(5),
    /** How long an entity may stay silent before the runtime may drop its baseline. */
    ttl: duration.prefault('7d'),
    severity: z.enum(SEVERITIES).default('high'),
  })
  .refine((p) => p.window % p.bucket === 0 && p.window / p.bucket <= 240, {
    message: 'window must be a whole number of buckets, at most 240',
    path: ['bucket'],
  });

export type SentimentShiftParams = z.infer<typeof sentimentShiftParams>;
