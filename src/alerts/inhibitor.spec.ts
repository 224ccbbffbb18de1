import type { Alert, Severity } from '../model/records.js';
import { inhibitionSchema } from '../model/template/inhibition.config.js';
import { Inhibitor } from './inhibitor.js';
import { makeAlert } from './testing/alert.fixture.js';

const MINUTE = 60_000;
const T = Date.UTC(2025, 0, 1, 12);

/** An alert at event time `at` whose window ends there too. */
function alert(id: string, severity: Severity, at: number, entity = 'card-42'): Alert {
  const base = makeAlert({ id, severity, entity });
  return { ...base, finding: { ...base.finding, time: at, window_start: at - MINUTE, window_end: at } };
}

describe('Inhibitor (event time)', () => {
  const spec = inhibitionSchema.parse({ activeFor: '10m' });

  it('an active higher-severity alert suppresses lower ones for the same entity only', () => {
    const inhibitor = new Inhibitor(spec);
    inhibitor.observe(alert('crit', 'critical', T));
    expect(inhibitor.inhibitedBy(alert('h', 'high', T + MINUTE))).toBe('crit');
    expect(inhibitor.inhibitedBy(alert('l', 'low', T + 9 * MINUTE))).toBe('crit');
    expect(inhibitor.inhibitedBy(alert('other', 'high', T + MINUTE, 'card-7'))).toBeUndefined();
    // Same or higher severity is never inhibited.
    expect(inhibitor.inhibitedBy(alert('c2', 'critical', T + MINUTE))).toBeUndefined();
  });

  it('ends activeFor after the source window, in event time, and never applies before the source', () => {
    const inhibitor = new Inhibitor(spec);
    inhibitor.observe(alert('crit', 'critical', T));
    expect(inhibitor.inhibitedBy(alert('before', 'high', T - 1))).toBeUndefined();
    expect(inhibitor.inhibitedBy(alert('edge', 'high', T + 10 * MINUTE - 1))).toBe('crit');
    expect(inhibitor.inhibitedBy(alert('after', 'high', T + 10 * MINUTE))).toBeUndefined();
  });

  it('a repeated source extends the inhibition; state is evicted once nothing is active', () => {
    const inhibitor = new Inhibitor(spec);
    inhibitor.observe(alert('c1', 'critical', T));
    inhibitor.observe(alert('c2', 'critical', T + 8 * MINUTE));
    expect(inhibitor.inhibitedBy(alert('h', 'high', T + 15 * MINUTE))).toBe('c2');
    inhibitor.observe(alert('late-other', 'info', T + 30 * MINUTE, 'card-9'));
    inhibitor.evict();
    expect(inhibitor.size()).toBe(1);
  });

  it('can be turned off, or keyed on other labels', () => {
    const off = new Inhibitor(inhibitionSchema.parse({ enabled: false }));
    off.observe(alert('crit', 'critical', T));
    expect(off.inhibitedBy(alert('h', 'high', T))).toBeUndefined();
    const byDetector = new Inhibitor(inhibitionSchema.parse({ equal: ['detector'] }));
    byDetector.observe(alert('crit', 'critical', T, 'card-1'));
    expect(byDetector.inhibitedBy(alert('h', 'high', T, 'card-2'))).toBe('crit');
  });
});
