import { z } from 'zod';
import { SEVERITIES } from '../records.js';
import { duration, nonNegativeDuration } from './duration.js';
import { ALERT_LABELS } from './alert-labels.js';

/**
 * A route: which alerts (severity, detector, any label by exact value) go to which receiver, and
 * optionally how they are grouped, like Alertmanager's group_by / group_wait / group_interval /
 * repeat_interval. Without `groupBy` every alert is sent at once on its own (no grouping delay).
 * With it, alerts with equal values of those labels form a group: the first notification waits
 * `groupWait` (to collect the rest of a burst), changes to the group are sent at most every
 * `groupInterval`, an unchanged firing group is re-sent every `repeatInterval`, and an alert whose
 * fingerprint was not seen again for `resolveAfter` after its window is resolved (and a resolved
 * notification sent). All times are event time.
 */
export const routeSchema = z.strictObject({
  receiver: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower_snake_case name'),
  match: z
    .strictObject({
      severity: z.array(z.enum(SEVERITIES)).optional(),
      detector: z.array(z.string()).optional(),
      labels: z.partialRecord(z.enum(ALERT_LABELS), z.string()).optional(),
    })
    .prefault({}),
  groupBy: z.array(z.enum(ALERT_LABELS)).min(1).optional(),
  /** Defaults (with groupBy): 30s, 5m, 4h, 5m — see GROUP_DEFAULTS. */
  groupWait: nonNegativeDuration.optional(),
  groupInterval: duration.optional(),
  repeatInterval: duration.optional(),
  resolveAfter: duration.optional(),
});
export type RouteSpec = z.infer<typeof routeSchema>;

export interface GroupTiming {
  readonly groupBy: readonly (typeof ALERT_LABELS)[number][];
  readonly groupWait: number;
  readonly groupInterval: number;
  readonly repeatInterval: number;
  readonly resolveAfter: number;
}

export const GROUP_DEFAULTS = { groupWait: 30_000, groupInterval: 300_000, repeatInterval: 14_400_000, resolveAfter: 300_000 } as const;

/** The route's grouping with defaults filled in, or undefined when it does not group. */
export function groupTiming(route: RouteSpec): GroupTiming | undefined {
  if (!route.groupBy) return undefined;
  return {
    groupBy: route.groupBy,
    groupWait: route.groupWait ?? GROUP_DEFAULTS.groupWait,
    groupInterval: route.groupInterval ?? GROUP_DEFAULTS.groupInterval,
    repeatInterval: route.repeatInterval ?? GROUP_DEFAULTS.repeatInterval,
    resolveAfter: route.resolveAfter ?? GROUP_DEFAULTS.resolveAfter,
  };
}
