import type { Alert } from '../../model/records.js';
import { groupTiming, routeSchema } from '../../model/template/route.config.js';
import { makeAlert } from '../testing/alert.fixture.js';
import { AlertGrouper } from './alert-grouper.js';
import { EventClock } from './event-clock.js';

const S = 1000;
const MINUTE = 60 * S;
const T = Date.UTC(2025, 0, 1, 12);

/** An alert of `entity` by `detector` at event time `at`; its fingerprint is (detector, entity). */
function alert(id: string, entity: string, at: number, detector = 'card_velocity'): Alert {
  const base = makeAlert({ id, entity, detector });
  return { ...base, fingerprint: `${detector}|${entity}`, finding: { ...base.finding, time: at, window_start: at - MINUTE, window_end: at } };
}

function grouper(overrides: Record<string, unknown> = {}): AlertGrouper {
  const route = routeSchema.parse({ receiver: 'ops', groupBy: ['detector'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h', resolveAfter: '10m', ...overrides });
  return new AlertGrouper(groupTiming(route)!, '0:ops');
}

const ids = (alerts: readonly Alert[]) => alerts.map((a) => a.id);

describe('AlertGrouper (event time)', () => {
  it('waits groupWait, then sends the whole burst as one notification', () => {
    const g = grouper();
    g.add(alert('a1', 'card-1', T));
    g.add(alert('a2', 'card-2', T + 10 * S));
    expect(g.due(T + 29 * S)).toEqual([]);
    g.add(alert('a3', 'card-3', T + 20 * S));
    const [flush, ...rest] = g.due(T + 30 * S);
    expect(rest).toEqual([]);
    expect(flush).toMatchObject({ status: 'firing', at: T + 30 * S, labels: { detector: 'card_velocity' }, resolved: [] });
    expect(ids(flush!.firing)).toEqual(['a1', 'a2', 'a3']);
    expect(flush!.id).toMatch(/^grp_[0-9a-f]{24}$/);
  });

  it('keeps groups apart by groupBy labels', () => {
    const g = grouper();
    g.add(alert('a1', 'card-1', T));
    g.add(alert('b1', 'card-1', T, 'terminal_burst'));
    expect(g.due(T + 30 * S).map((f) => [f.labels.detector, ids(f.firing)])).toEqual([
      ['card_velocity', ['a1']],
      ['terminal_burst', ['b1']],
    ]);
  });

  it('sends a new alert in a notified group after groupInterval, not before', () => {
    const g = grouper();
    g.add(alert('a1', 'card-1', T));
    g.due(T + 30 * S);
    g.add(alert('a2', 'card-2', T + MINUTE));
    expect(g.due(T + 5 * MINUTE + 29 * S)).toEqual([]);
    const [flush] = g.due(T + 5 * MINUTE + 30 * S);
    expect(ids(flush!.firing)).toEqual(['a1', 'a2']);
  });

  it('a repeated fingerprint refreshes the alert without a new notification, and the group repeats after repeatInterval', () => {
    const g = grouper({ resolveAfter: '2h' });
    g.add(alert('a1', 'card-1', T));
    const [first] = g.due(T + 30 * S);
    g.add(alert('a1-again', 'card-1', T + 8 * MINUTE));
    g.add(alert('a1-again2', 'card-1', T + 16 * MINUTE));
    expect(g.due(T + 30 * S + 59 * MINUTE)).toEqual([]);
    g.add(alert('a1-again3', 'card-1', T + 50 * MINUTE));
    const [repeat] = g.due(T + 30 * S + 60 * MINUTE);
    expect(repeat).toMatchObject({ status: 'firing', at: T + 30 * S + 60 * MINUTE });
    expect(ids(repeat!.firing)).toEqual(['a1-again3']);
    expect(repeat!.id).not.toBe(first!.id);
  });

  it('resolves an alert resolveAfter after its window when its fingerprint stops firing, and sends a resolved notification', () => {
    const g = grouper();
    g.add(alert('a1', 'card-1', T));
    g.add(alert('a2', 'card-2', T));
    g.due(T + 30 * S);
    g.add(alert('a2b', 'card-2', T + 8 * MINUTE));
    // a1 clears at T+10m; the change goes out at the next groupInterval after the last flush.
    const [partial] = g.due(T + 10 * MINUTE);
    expect(partial).toMatchObject({ status: 'firing', at: T + 10 * MINUTE });
    expect(ids(partial!.firing)).toEqual(['a2b']);
    expect(ids(partial!.resolved)).toEqual(['a1']);
    const [done] = g.due(T + 18 * MINUTE + 5 * MINUTE);
    expect(done).toMatchObject({ status: 'resolved', firing: [] });
    expect(ids(done!.resolved)).toEqual(['a2b']);
    expect(g.due(T + 5 * 60 * MINUTE)).toEqual([]);
    expect(g.pinnedOffsets().size).toBe(0);
  });

  it('gives the same ids for the same alerts and times (replay after a restart is deduplicated by receivers)', () => {
    const run = () => {
      const g = grouper();
      g.add(alert('a1', 'card-1', T));
      g.add(alert('a2', 'card-2', T + S));
      return [...g.due(T + 30 * S), ...g.due(T + 2 * 60 * MINUTE)].map((f) => f.id);
    };
    expect(run()).toEqual(run());
    expect(new Set(run()).size).toBe(run().length);
  });

  it('pins the offsets of alerts it still needs, per partition, and forgets revoked partitions', () => {
    const g = grouper();
    g.add(alert('a1', 'card-1', T), { partition: 0, offset: 5n });
    g.add(alert('a2', 'card-2', T), { partition: 1, offset: 9n });
    g.add(alert('a3', 'card-3', T), { partition: 0, offset: 7n });
    expect(g.pinnedOffsets()).toEqual(new Map([[0, 5n], [1, 9n]]));
    // card-1 fires again: its member now needs only the newer alert.
    g.add(alert('a1b', 'card-1', T + S), { partition: 0, offset: 11n });
    expect(g.pinnedOffsets()).toEqual(new Map([[0, 7n], [1, 9n]]));
    g.dropPartitions(new Set([0]));
    expect(g.pinnedOffsets()).toEqual(new Map([[1, 9n]]));
    expect(ids(g.due(T + 30 * S)[0]!.firing)).toEqual(['a2']);
  });

  it('counts the groups whose first notification has not gone out, and not a notified group that takes a new alert', () => {
    const g = grouper();
    expect(g.awaitingFirstNotification()).toBe(0);
    g.add(alert('a1', 'card-1', T));
    g.add(alert('a2', 'card-2', T + 10 * S));
    g.add(alert('b1', 'card-1', T + 20 * S, 'terminal_burst'));
    expect(g.awaitingFirstNotification()).toBe(2);
    g.due(T + 30 * S);
    expect(g.awaitingFirstNotification()).toBe(1);
    g.due(T + 50 * S);
    expect(g.awaitingFirstNotification()).toBe(0);
    g.add(alert('a3', 'card-3', T + MINUTE));
    expect(g.awaitingFirstNotification()).toBe(0);
  });

  it('with groupWait 0 notifies at once', () => {
    const g = grouper({ groupWait: '0s' });
    g.add(alert('a1', 'card-1', T));
    expect(ids(g.due(T)[0]!.firing)).toEqual(['a1']);
  });
});

describe('EventClock', () => {
  it('is the latest event time, carried forward by the wall clock while no alert arrives', () => {
    const clock = new EventClock();
    expect(clock.now(1_000)).toBe(Number.NEGATIVE_INFINITY);
    clock.observe(T, 1_000);
    expect(clock.now(1_000)).toBe(T);
    expect(clock.now(31_000)).toBe(T + 30 * S);
    // An older alert does not move it back; a newer one resets the wall anchor.
    clock.observe(T - MINUTE, 40_000);
    expect(clock.now(41_000)).toBe(T + 40 * S);
    clock.observe(T + 2 * MINUTE, 42_000);
    expect(clock.now(42_000)).toBe(T + 2 * MINUTE);
  });
});
