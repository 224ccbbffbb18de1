import type { FindingInput } from '../../../../model/records.js';
import { DetectorTestContext } from '../../../../runtime/testing/detector-test-context.js';
import { MINUTE, observation } from '../testing/observation-events.js';
import { deteriorationTrendDetector } from './deterioration-trend.detector.js';

/** NEWS2 totals as the news2 detector publishes them, one per reading, at `minute`. */
function totals(ctx: DetectorTestContext, points: readonly [number, number][], patient = 'p1'): FindingInput[] {
  return points.flatMap(([minute, total]) => ctx.process(observation(minute, 'consciousness', 'A', patient), { 'news2.total': total }));
}

function readings(ctx: DetectorTestContext, parameter: string, points: readonly [number, number][]): FindingInput[] {
  return points.flatMap(([minute, value]) => ctx.process(observation(minute, parameter, value)));
}

const hourly = (values: readonly number[], from = 0): [number, number][] => values.map((v, i) => [from + i * 60, v]);

describe('deterioration trend detector', () => {
  it('flags a NEWS2 rising by 3 within 6 h while still below 5, once per episode', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(totals(ctx, hourly([1, 1, 2, 3]))).toEqual([]);
    const [finding, ...rest] = totals(ctx, [[240, 4]]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ entity: 'p1', kind: 'trend.news2', severity: 'medium', values: { total: 4, lowest: 1, rise: 3 }, thresholds: { rise: 3, below: 5 } });
    expect(finding!.title).toBe('NEWS2 rose from 1 to 4 within 6 h for patient p1');
    expect(totals(ctx, hourly([4, 4, 3], 300))).toEqual([]);
  });

  it('a new episode after the rise has subsided', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(totals(ctx, hourly([0, 1, 3]))).toHaveLength(1);
    totals(ctx, hourly([1, 1, 1, 1, 1, 1, 1], 180)); // the old low leaves the window, the rise is gone
    expect(ctx.published.news2_rise).toBe(0);
    expect(totals(ctx, hourly([2, 4], 600)).map((f) => f.kind)).toEqual(['trend.news2']);
  });

  it('leaves a total at or above news2Below to the news2 detector, and does not re-alert on the way down', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(totals(ctx, hourly([1, 2, 6, 4]))).toEqual([]);
    const any = DetectorTestContext.start(deteriorationTrendDetector, { news2Below: null });
    expect(totals(any, hourly([1, 2, 6])).map((f) => f.values!.rise)).toEqual([5]);
  });

  it('a rise spread over more than the window is no trend', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(totals(ctx, hourly([1, 1, 1, 2, 2, 2, 3, 3, 3, 4]))).toEqual([]);
  });

  it('flags a vital worsening over hours by its robust slope', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(readings(ctx, 'pulse', hourly([72, 76, 81]))).toEqual([]); // under minSpan... and not steep enough yet
    const findings = readings(ctx, 'pulse', hourly([86, 90], 180));
    expect(findings.map((f) => f.kind)).toEqual(['trend.pulse']);
    expect(findings[0]!.values).toMatchObject({ points: 4, value: 86 });
    expect(findings[0]!.values!.change).toBeGreaterThanOrEqual(25);
    expect(readings(ctx, 'pulse', hourly([95, 99], 300))).toEqual([]);
    const spo2 = readings(DetectorTestContext.start(deteriorationTrendDetector, {}), 'spo2', hourly([97, 96, 95, 94, 94, 93]));
    expect(spo2.map((f) => f.kind)).toEqual(['trend.spo2']);
  });

  it('one artefact is no trend, nor is an improvement', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(readings(ctx, 'pulse', hourly([72, 74, 140, 73, 72, 74]))).toEqual([]);
    expect(readings(ctx, 'spo2', hourly([90, 92, 94, 96, 97]))).toEqual([]);
  });

  it('needs minPoints points spanning minSpan', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    expect(readings(ctx, 'resp_rate', [[0, 14], [10, 20], [20, 26]])).toEqual([]);
    expect(ctx.published).toEqual({});
  });

  it('merges a monitor’s minute readings into buckets of window / points', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    readings(ctx, 'pulse', Array.from({ length: 300 }, (_, i): [number, number] => [i, 70 + (i % 3)]));
    const stored = ctx.store<{ series: Record<string, number[]> }>('trend').get('p1')!;
    expect(stored.series.pulse!.length / 3).toBe(20); // 300 minutes in 15-minute buckets
  });

  it('gives the same finding when readings arrive out of order', () => {
    const values = hourly([72, 76, 81, 86, 90]);
    const inOrder = DetectorTestContext.start(deteriorationTrendDetector, {}, { maxOutOfOrderness: 180 * MINUTE });
    const shuffled = DetectorTestContext.start(deteriorationTrendDetector, {}, { maxOutOfOrderness: 180 * MINUTE });
    readings(inOrder, 'pulse', values);
    readings(shuffled, 'pulse', [values[1]!, values[0]!, values[3]!, values[2]!, values[4]!]);
    const trend = (f: FindingInput) => ({ change: f.values!.change, slope_per_h: f.values!.slope_per_h, points: f.values!.points });
    expect(shuffled.emitted.map(trend)).toEqual(inOrder.emitted.map(trend));
    expect(shuffled.emitted).toHaveLength(1);
  });

  it('keeps trends and open episodes across a restart from the changelog', () => {
    const ctx = DetectorTestContext.start(deteriorationTrendDetector, {});
    readings(ctx, 'pulse', hourly([72, 76, 81]));
    expect(totals(ctx, [[130, 0], [150, 3]]).map((f) => f.kind)).toEqual(['trend.news2']);
    const restarted = ctx.restarted();
    expect(readings(restarted, 'pulse', hourly([86, 90], 180)).map((f) => f.kind)).toEqual(['trend.pulse']);
    expect(totals(restarted, [[250, 3]])).toEqual([]);
  });

  it('names the fields it reads and keeps a patient for one window', () => {
    const p = deteriorationTrendDetector.meta.params.parse({});
    expect(deteriorationTrendDetector.meta.requiredFields(p)).toEqual(['patient_id', 'parameter', 'value']);
    expect(deteriorationTrendDetector.meta.stateTtl(p)).toBe(6 * 60 * MINUTE);
  });
});
