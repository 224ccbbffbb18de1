import type { FindingInput } from '../../../../model/records.js';
import { DetectorTestContext } from '../../../../runtime/testing/detector-test-context.js';
import { MINUTE, observation } from '../testing/observation-events.js';
import { vitalBaselineDetector } from './vital-baseline.detector.js';

/** A pulse living at `level`, ±2 /min, every 15 minutes from `from` (minutes). */
function pulses(level: number, count: number, from = 0): [number, number][] {
  return Array.from({ length: count }, (_, i) => [from + i * 15, level + ((i * 7) % 5) - 2]);
}

function feed(ctx: DetectorTestContext, readings: readonly [number, number][], parameter = 'pulse', patient = 'p1'): FindingInput[] {
  return readings.flatMap(([minute, value]) => ctx.process(observation(minute, parameter, value, patient)));
}

describe('vital baseline detector', () => {
  it("sees a pulse of 105 in a patient who lives at 60, once, and does not re-alert it as it becomes chronic", () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {});
    expect(feed(ctx, pulses(60, 20))).toEqual([]);
    const [finding, ...rest] = feed(ctx, [[300, 105]]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ entity: 'p1', kind: 'baseline.pulse', severity: 'medium', values: { value: 105, readings: 20 } });
    expect(finding!.values!.baseline).toBeCloseTo(60, 0);
    expect(finding!.values!.deviation).toBeGreaterThan(40);
    expect(finding!.title).toMatch(/^pulse 105 for patient p1, whose own normal is 60(\.\d)? \(±\d(\.\d)?\): \+4\d(\.\d)? \(limit 20\)$/);
    // It stays at 105 for two days: the normal follows it, no new finding.
    expect(feed(ctx, pulses(105, 200, 315))).toEqual([]);
    expect(ctx.published.z).toBeLessThan(1);
  });

  it('a patient living at 100 is not alerted at all, while 100 in a patient at 60 is', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {});
    expect(feed(ctx, pulses(100, 40), 'pulse', 'chronic')).toEqual([]);
    feed(ctx, pulses(60, 20, 600), 'pulse', 'calm');
    expect(feed(ctx, [[900, 100]], 'pulse', 'calm').map((f) => f.entity)).toEqual(['calm']);
  });

  it('one artefact barely moves the normal (winsorised), and the episode ends when readings return', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {});
    feed(ctx, pulses(60, 20));
    expect(feed(ctx, [[300, 140]])).toHaveLength(1);
    expect(feed(ctx, pulses(60, 3, 315))).toEqual([]);
    const [finding] = feed(ctx, [[400, 110]]);
    expect(finding!.values!.baseline).toBeLessThan(62);
  });

  it('hysteresis: readings hovering at the limit make one finding per episode', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, { readings: 1000 });
    feed(ctx, pulses(60, 20));
    const hover = Array.from({ length: 10 }, (_, i): [number, number] => [300 + i * 15, i % 2 === 0 ? 82 : 75]);
    expect(feed(ctx, hover)).toHaveLength(1);
  });

  it('waits for minHistory readings before anything can deviate', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {});
    expect(feed(ctx, [[0, 60], [15, 62], [30, 140], [45, 61], [60, 59], [75, 60], [90, 150]])).toEqual([]);
    expect(ctx.published).toEqual({});
  });

  it('notifies SpO2 only downwards by default', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {});
    const spo2 = (level: number, count: number, from: number) => Array.from({ length: count }, (_, i): [number, number] => [from + i * 15, level + (i % 2)]);
    feed(ctx, spo2(90, 20, 0), 'spo2');
    expect(feed(ctx, [[300, 99]], 'spo2')).toEqual([]);
    feed(ctx, spo2(90, 5, 315), 'spo2');
    expect(feed(ctx, [[400, 83]], 'spo2').map((f) => f.kind)).toEqual(['baseline.spo2']);
  });

  it('a late reading teaches the normal but opens no episode', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {}, { maxOutOfOrderness: 60 * MINUTE });
    feed(ctx, pulses(60, 20));
    expect(feed(ctx, [[250, 120]])).toEqual([]);
    expect(ctx.late).toEqual([]);
  });

  it('keeps the learned normal across a restart from the changelog', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, {});
    feed(ctx, pulses(60, 20));
    const restarted = ctx.restarted();
    expect(feed(restarted, [[300, 105]]).map((f) => f.kind)).toEqual(['baseline.pulse']);
  });

  it('ignores implausible readings with a warning and vitals it does not follow', () => {
    const ctx = DetectorTestContext.start(vitalBaselineDetector, { parameters: { pulse: { minDeviation: 20 } } });
    feed(ctx, pulses(60, 20));
    expect(feed(ctx, [[300, -5], [301, 400]])).toEqual([]);
    expect(ctx.logs.filter((l) => l.level === 'warn')).toHaveLength(2);
    feed(ctx, [[302, 16], [303, 40]], 'resp_rate');
    expect(ctx.published).toEqual({});
    expect(ctx.store<Record<string, unknown>>('baseline').get('p1')).toEqual({ pulse: expect.any(Array) });
  });
});
