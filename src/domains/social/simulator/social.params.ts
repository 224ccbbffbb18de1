import { z } from 'zod';
import { duration } from '../../../model/template/duration.js';
import { ENTITIES } from './social.entities.js';
import { INCIDENT_KINDS } from './social.incidents.js';

/** A `min*` param must not exceed its `max*` twin. */
const ORDERED_PAIRS = [
  ['burstMinFactor', 'burstMaxFactor'],
  ['burstMinDuration', 'burstMaxDuration'],
  ['turnMinDuration', 'turnMaxDuration'],
  ['viralMinShare', 'viralMaxShare'],
  ['viralMinDuration', 'viralMaxDuration'],
] as const;

/** The social generator's `simulator.params` (docs/social-simulator.md explains each). */
export const socialParamsSchema = z
  .strictObject({
    /** How many of the built-in entities posts are about, most popular first. */
    entities: z.number().int().min(5).max(ENTITIES.length).default(ENTITIES.length),
    /** Entity popularity ∝ rank^-s. */
    entityZipfExponent: z.number().min(0).max(3).default(1),
    authors: z.number().int().min(100).max(100_000_000).default(100_000),
    /** Author activity ∝ rank^-s: around 1, a few authors write a large share of posts. */
    authorZipfExponent: z.number().min(0).max(3).default(0.9),
    /** Local time of the simulated population, for the daily rhythm. */
    utcOffsetHours: z.number().min(-12).max(14).default(0),
    /** Relative activity Monday to Sunday (normalised to average 1); flat by default. */
    weekdayWeights: z.array(z.number().positive()).length(7).default([1, 1, 1, 1, 1, 1, 1]),
    /** Share of posts whose `tags` and `mentions` fields are left out (the pipeline extracts them from the text). */
    tagsOmittedShare: z.number().min(0).max(1).default(0.3),
    replyShare: z.number().min(0).max(0.5).default(0.12),
    repostShare: z.number().min(0).max(0.5).default(0.06),
    /** Share of baseline posts in Spanish, German, French or Portuguese. */
    otherLanguageShare: z.number().min(0).max(1).default(0.08),
    /** Event time from the first event to the first incident: the detectors' warm-up. */
    firstIncidentAfter: duration.prefault('5m'),
    /** Average incident starts per hour after the first (0: only the first, or the first round with firstIncidentsEvery). */
    incidentsPerHour: z.number().min(0).max(120).default(6),
    /** When set, the first incidents (one per kind in incidentKinds) start this far apart, so a short demo sees each kind. */
    firstIncidentsEvery: duration.optional(),
    /** Enabled kinds; the first incidents follow this order, one of each; later ones are drawn at random. */
    incidentKinds: z.array(z.enum(INCIDENT_KINDS)).max(10).default([...INCIDENT_KINDS]),
    /** Burst and turn entities are drawn among popularity ranks 3..incidentMaxRank. */
    incidentMaxRank: z.number().int().min(3).max(ENTITIES.length).default(15),
    burstMinFactor: z.number().min(1).max(100).default(8),
    burstMaxFactor: z.number().min(1).max(100).default(20),
    burstMinDuration: duration.prefault('10m'),
    burstMaxDuration: duration.prefault('30m'),
    /** Posts about a turned entity multiply by this... */
    turnVolumeFactor: z.number().min(1).max(20).default(2),
    /** ...and this share of its ordinary posts turn angry too (all its extra posts are). */
    turnNegativeShare: z.number().min(0).max(1).default(0.9),
    turnMinDuration: duration.prefault('20m'),
    turnMaxDuration: duration.prefault('60m'),
    /** A viral tag's peak share of all posts. */
    viralMinShare: z.number().min(0).max(0.9).default(0.15),
    viralMaxShare: z.number().min(0).max(0.9).default(0.35),
    viralMinDuration: duration.prefault('15m'),
    viralMaxDuration: duration.prefault('45m'),
  })
  .superRefine((params, ctx) => {
    for (const [low, high] of ORDERED_PAIRS) {
      if (params[low] > params[high]) ctx.addIssue({ code: 'custom', path: [high], message: `expected a value >= ${low}` });
    }
  });

export type SocialParams = z.infer<typeof socialParamsSchema>;
