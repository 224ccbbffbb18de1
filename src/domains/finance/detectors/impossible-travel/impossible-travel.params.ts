import { z } from 'zod';
import { SEVERITIES } from '../../../../model/records.js';

export const impossibleTravelParams = z.strictObject({
  /** Canonical field followed (the card). */
  key: z.string().min(1).default('card_id'),
  latField: z.string().min(1).default('lat'),
  lonField: z.string().min(1).default('lon'),
  /** Faster than this between two card-present payments is impossible (airliners cruise at ~900 km/h). */
  maxSpeedKmh: z.number().positive().default(900),
  /** Shorter hops are ignored: terminal positions and clocks are not exact. */
  minDistanceKm: z.number().min(0).default(100),
  severity: z.enum(SEVERITIES).default('high'),
});

export type ImpossibleTravelParams = z.infer<typeof impossibleTravelParams>;
