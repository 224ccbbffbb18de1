import { severityRank, SEVERITIES, type Alert, type Severity } from '../model/records.js';
import { fingerprint } from '../model/alert-fingerprint.js';

export interface RateLimit {
  /** Notifications a receiver gets per window; more are held back and summarised. */
  readonly max: number;
  /** Window length in ms (event time, aligned to the epoch). */
  readonly perMs: number;
}

interface WindowState {
  readonly start: number;
  sent: number;
  held: Alert[];
}

/** Alert ids named in a digest (all are counted). */
const DIGEST_SAMPLE = 20;

/**
 * Per-receiver storm guard in event time: at most `max` alerts per window go to a receiver; the
 * rest are held back (the caller records them as suppressed), and once event time has moved past
 * the window, ONE digest alert summarises what was held: how many, by severity and detector, and
 * a sample of their ids. Digest ids derive from receiver and window, so a replay yields the same
 * webhook-id and receivers deduplicate it.
 *
 * Scope: the alerts this process handles (a limit per notify process); held-back counts not yet
 * summarised are lost on a crash, but every held alert is in the delivery log as suppressed.
 */
export class StormGuard {
  private readonly windows = new Map<string, WindowState>();

  constructor(private readonly limits: ReadonlyMap<string, RateLimit>) {}

  /**
   * Decides for one alert and one receiver. `digests` are summaries of earlier windows that are
   * now complete; send them (to this receiver) before the alert.
   */
  admit(receiver: string, alert: Alert): { admit: boolean; digests: Alert[] } {
    const limit = this.limits.get(receiver);
    if (!limit) return { admit: true, digests: [] };
    const start = Math.floor(alert.finding.time / limit.perMs) * limit.perMs;
    const digests: Alert[] = [];
    let window = this.windows.get(receiver);
    if (window && window.start < start) {
      if (window.held.length > 0) digests.push(digestAlert(alert.template, receiver, window, limit));
      window = undefined;
    }
    // An alert older than the current window (out of order) counts against the current one.
    window ??= { start, sent: 0, held: [] };
    this.windows.set(receiver, window);
    if (window.sent < limit.max) {
      window.sent++;
      return { admit: true, digests };
    }
    window.held.push(alert);
    return { admit: false, digests };
  }
}

export function digestAlert(template: string, receiver: string, window: { start: number; held: readonly Alert[] }, limit: RateLimit): Alert {
  const { held } = window;
  const end = window.start + limit.perMs;
  const values: Record<string, number> = { held: held.length };
  let worst: Severity = 'info';
  for (const alert of held) {
    const { severity, detector } = alert.finding;
    if (severityRank(severity) > severityRank(worst)) worst = severity;
    values[`severity.${severity}`] = (values[`severity.${severity}`] ?? 0) + 1;
    values[`detector.${detector}`] = (values[`detector.${detector}`] ?? 0) + 1;
  }
  const id = `digest_${receiver}_${window.start}`;
  return {
    id,
    fingerprint: fingerprint(template, 'storm_guard', receiver),
    template,
    created_at: end,
    finding: {
      id,
      template,
      detector: 'storm_guard',
      detector_type: 'storm_guard',
      detector_version: '1',
      entity: receiver,
      severity: SEVERITIES.includes(worst) ? worst : 'info',
      kind: 'storm_guard.digest',
      title: `${held.length} alerts held back for ${receiver} (more than ${limit.max} in ${Math.round(limit.perMs / 1000)}s)`,
      score: 1,
      time: end,
      window_start: window.start,
      window_end: end,
      values,
      thresholds: { max: limit.max },
      event_ids: held.slice(0, DIGEST_SAMPLE).map((alert) => alert.id),
      trigger_event_id: '',
    },
  };
}
