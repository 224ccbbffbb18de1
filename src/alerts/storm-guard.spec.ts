import type { Alert, Severity } from '../model/records.js';
import { StormGuard } from './storm-guard.js';
import { makeAlert } from './testing/alert.fixture.js';

const MINUTE = 60_000;
const T = Date.UTC(2025, 0, 1, 12);

function alert(id: string, at: number, severity: Severity = 'high', detector = 'card_velocity'): Alert {
  const base = makeAlert({ id, severity, detector });
  return { ...base, finding: { ...base.finding, time: at } };
}

describe('StormGuard (event time)', () => {
  it('lets max alerts per window through, holds the rest, and sends one digest once the window is over', () => {
    const guard = new StormGuard(new Map([['ops', { max: 2, perMs: MINUTE }]]));
    expect(guard.admit('ops', alert('a1', T))).toEqual({ admit: true, digests: [] });
    expect(guard.admit('ops', alert('a2', T + 1000))).toEqual({ admit: true, digests: [] });
    expect(guard.admit('ops', alert('a3', T + 2000, 'critical'))).toEqual({ admit: false, digests: [] });
    expect(guard.admit('ops', alert('a4', T + 3000, 'high', 'terminal_burst'))).toEqual({ admit: false, digests: [] });
    // Other receivers are not limited.
    expect(guard.admit('pager', alert('a5', T + 4000)).admit).toBe(true);

    const next = guard.admit('ops', alert('b1', T + MINUTE + 5));
    expect(next.admit).toBe(true);
    expect(next.digests).toHaveLength(1);
    expect(next.digests[0]).toMatchObject({
      id: `digest_ops_${T}`,
      template: 'finance',
      finding: {
        detector: 'storm_guard',
        entity: 'ops',
        severity: 'critical',
        kind: 'storm_guard.digest',
        title: '2 alerts held back for ops (more than 2 in 60s)',
        time: T + MINUTE,
        window_start: T,
        window_end: T + MINUTE,
        values: { held: 2, 'severity.critical': 1, 'severity.high': 1, 'detector.card_velocity': 1, 'detector.terminal_burst': 1 },
        thresholds: { max: 2 },
        event_ids: ['a3', 'a4'],
      },
    });
  });

  it('sends no digest for a window in which nothing was held', () => {
    const guard = new StormGuard(new Map([['ops', { max: 5, perMs: MINUTE }]]));
    guard.admit('ops', alert('a1', T));
    expect(guard.admit('ops', alert('b1', T + 2 * MINUTE)).digests).toEqual([]);
  });
});
