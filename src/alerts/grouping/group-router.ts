import type { Alert } from '../../model/records.js';
import type { RouteMatch } from '../alert-router.js';
import type { RouteSpec } from '../../model/template/route.config.js';
import { groupTiming } from '../../model/template/route.config.js';
import { AlertGrouper, type AlertSource, type GroupFlush } from './alert-grouper.js';

export interface DueFlush {
  readonly receiver: string;
  readonly flush: GroupFlush;
}

/** One AlertGrouper per grouping route (and its receiver); routes without groupBy have none. */
export class GroupRouter {
  private readonly groupers = new Map<number, { receiver: string; grouper: AlertGrouper }>();

  constructor(routes: readonly RouteSpec[]) {
    routes.forEach((route, index) => {
      const timing = groupTiming(route);
      if (timing) this.groupers.set(index, { receiver: route.receiver, grouper: new AlertGrouper(timing, `${index}:${route.receiver}`) });
    });
  }

  /** Whether this route match is grouped (else the alert is sent on its own, at once). */
  groups(match: RouteMatch): boolean {
    return this.groupers.has(match.index);
  }

  add(match: RouteMatch, alert: Alert, source: AlertSource): void {
    this.groupers.get(match.index)?.grouper.add(alert, source);
  }

  due(now: number): DueFlush[] {
    return [...this.groupers.values()].flatMap(({ receiver, grouper }) => grouper.due(now).map((flush) => ({ receiver, flush })));
  }

  /** Per receiver of a grouping route, its groups whose first notification has not gone out yet. */
  awaitingFirstNotification(): Map<string, number> {
    const waiting = new Map<string, number>();
    for (const { receiver, grouper } of this.groupers.values()) waiting.set(receiver, (waiting.get(receiver) ?? 0) + grouper.awaitingFirstNotification());
    return waiting;
  }

  /** The lowest offset of `partition` some group still needs, if any. */
  pinned(partition: number): bigint | undefined {
    let pin: bigint | undefined;
    for (const { grouper } of this.groupers.values()) {
      const own = grouper.pinnedOffsets().get(partition);
      if (own !== undefined && (pin === undefined || own < pin)) pin = own;
    }
    return pin;
  }

  dropPartitions(partitions: ReadonlySet<number>): void {
    for (const { grouper } of this.groupers.values()) grouper.dropPartitions(partitions);
  }

  get active(): boolean {
    return this.groupers.size > 0;
  }
}
