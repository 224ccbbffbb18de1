import type { Alert } from '../model/records.js';
import { alertLabels } from '../model/template/alert-labels.js';
import type { ReceiverSpec } from '../model/template/receivers/receiver.schema.js';
import type { RouteSpec } from '../model/template/route.config.js';

/**
 * Picks the receivers of an alert. A route matches when the alert's severity is in
 * `match.severity` and its detector in `match.detector`; a missing or empty list matches all.
 * Every matching route contributes its receiver (once, in route order). No match returns [] and
 * the caller counts the alert as unrouted: nothing is sent anywhere implicitly.
 *
 * Routes naming an unknown receiver are skipped here; `checkRoutes` reports them at load time.
 */
export function routeAlert(alert: Alert, routes: readonly RouteSpec[], receivers: readonly ReceiverSpec[]): ReceiverSpec[] {
  return matchRoutes(alert, routes, receivers).map(({ receiver }) => receiver);
}

export interface RouteMatch {
  readonly receiver: ReceiverSpec;
  readonly route: RouteSpec;
  /** The route's position in the template (grouping state is per route). */
  readonly index: number;
}

/** Like routeAlert, with the route that chose each receiver (the first matching one). */
export function matchRoutes(alert: Alert, routes: readonly RouteSpec[], receivers: readonly ReceiverSpec[]): RouteMatch[] {
  const byName = new Map(receivers.map((receiver) => [receiver.name, receiver]));
  const chosen = new Map<string, RouteMatch>();
  routes.forEach((route, index) => {
    if (chosen.has(route.receiver) || !matches(alert, route)) return;
    const receiver = byName.get(route.receiver);
    if (receiver) chosen.set(route.receiver, { receiver, route, index });
  });
  return [...chosen.values()];
}

function matches(alert: Alert, route: RouteSpec): boolean {
  const { severity, detector, labels } = route.match;
  if (!includesOrEmpty(severity, alert.finding.severity) || !includesOrEmpty(detector, alert.finding.detector)) return false;
  const own = alertLabels(alert);
  return Object.entries(labels ?? {}).every(([name, value]) => own[name as keyof typeof own] === value);
}

function includesOrEmpty<T>(list: readonly T[] | undefined, value: T): boolean {
  return list === undefined || list.length === 0 || list.includes(value);
}

/** Path-qualified problems for the template loader, e.g. `alerts.routes[1].receiver: unknown receiver "ops"`. */
export function checkRoutes(routes: readonly RouteSpec[], receivers: readonly ReceiverSpec[]): string[] {
  const names = new Set(receivers.map((receiver) => receiver.name));
  return routes.flatMap((route, index) =>
    names.has(route.receiver) ? [] : [`alerts.routes[${index}].receiver: unknown receiver "${route.receiver}"`],
  );
}
