import { diffValues } from './output-diff.js';
import { buildPeerComparison, renderPeerComparison, summarizeEngine, type EngineRun, type PeerComparisonInput, type RoundDiff } from './peer-report.js';

const run = (round: number, rate: number, cpuSeconds: number): EngineRun => ({ round, ok: true, rate, seconds: 1000 / rate, cpuSeconds, findings: 7, alerts: 3 });
const same = (round: number, peer: string): RoundDiff => ({ round, peer, findings: diffValues([Buffer.from('f')], [Buffer.from('f')]), alerts: diffValues([], []) });

function input(overrides: Partial<PeerComparisonInput> = {}): PeerComparisonInput {
  return {
    events: 1000,
    rounds: 2,
    template: 'finance2',
    partitions: 6,
    vigil: [run(1, 40_000, 0.03), run(2, 36_000, 0.028)],
    peers: { kstreams: [run(1, 20_000, 0.05), run(2, 24_000, 0.046)] },
    diffs: [same(1, 'kstreams'), same(2, 'kstreams')],
    skipped: [],
    ...overrides,
  };
}

describe('summarizeEngine', () => {
  it('takes means over the rounds, CPU per event beside them', () => {
    const summary = summarizeEngine(1000, [run(1, 40_000, 0.03), run(2, 36_000, 0.028)]);
    expect(summary).toMatchObject({ rate: 38_000, cpuSeconds: 0.03, cpuMicrosPerEvent: 29, rounds: 2, rates: [40_000, 36_000], cpuSecondsPerRound: [0.03, 0.028] });
    expect(summary.errors).toBeUndefined();
  });

  it('leaves a failed round out of the means and reports it', () => {
    const summary = summarizeEngine(1000, [{ round: 1, ok: false, error: 'timed out' }, run(2, 30_000, 0.02)]);
    expect(summary).toMatchObject({ rate: 30_000, cpuSeconds: 0.02, rounds: 1, rates: [null, 30_000], errors: ['round 1: timed out'] });
  });

  it('has no means when no round completed', () => {
    expect(summarizeEngine(1000, [{ round: 1, ok: false, error: 'x' }])).toMatchObject({ rate: null, cpuSeconds: null, cpuMicrosPerEvent: null, rounds: 0 });
  });
});

describe('buildPeerComparison', () => {
  it('meets the target only at twice the rate and at most half the CPU per event', () => {
    const twice = buildPeerComparison(input({ peers: { flink: [run(1, 19_000, 0.06), run(2, 18_000, 0.056)] }, diffs: [same(1, 'flink'), same(2, 'flink')] }));
    expect(twice.ratios.flink).toEqual({ rate: 2.054, cpuPerEvent: 0.5, targetMet: true });
    const costly = buildPeerComparison(input({ peers: { flink: [run(1, 19_000, 0.05), run(2, 18_000, 0.05)] }, diffs: [same(1, 'flink'), same(2, 'flink')] }));
    expect(costly.ratios.flink).toMatchObject({ rate: 2.054, targetMet: false });
    expect(renderPeerComparison(costly, ['flink'])).toMatch(/target ≥ 2× at ≤ 0.5×: not met/);
  });

  it('holds the interface keys: events, vigil and each peer with rate and cpuSeconds, outputsIdentical', () => {
    const comparison = buildPeerComparison(input());
    expect(comparison.events).toBe(1000);
    expect(comparison.vigil).toMatchObject({ rate: 38_000, cpuSeconds: 0.03 });
    expect(comparison.kstreams).toMatchObject({ rate: 22_000, cpuSeconds: 0.05 });
    expect(comparison.outputsIdentical).toBe(true);
    expect(comparison.differences).toEqual([]);
    // 38,000 / 22,000 events/s; 29 µs / 48 µs of CPU per event.
    expect(comparison.ratios.kstreams).toEqual({ rate: 1.727, cpuPerEvent: 0.604, targetMet: false });
    // The interface is parsed from one line of JSON.
    expect(JSON.parse(JSON.stringify(comparison))).toEqual(comparison);
  });

  it('is not identical when any round of any peer differs, and lists that round', () => {
    const differing: RoundDiff = { round: 2, peer: 'kstreams', findings: diffValues([Buffer.from('a')], [Buffer.from('b')]), alerts: diffValues([], []) };
    const comparison = buildPeerComparison(input({ diffs: [same(1, 'kstreams'), differing] }));
    expect(comparison.outputsIdentical).toBe(false);
    expect(comparison.differences).toEqual([differing]);
    expect(renderPeerComparison(comparison, ['kstreams'])).toMatch(/round 2, kstreams: findings 1 vs 1: 1 only in Vigil's, 1 only in kstreams's/);
  });

  it('is not identical when a round could not be compared or has no diff at all', () => {
    expect(buildPeerComparison(input({ diffs: [same(1, 'kstreams'), { round: 2, peer: 'kstreams', error: "kstreams's run failed" }] })).outputsIdentical).toBe(false);
    expect(buildPeerComparison(input({ diffs: [same(1, 'kstreams')] })).outputsIdentical).toBe(false);
  });

  it('compares nothing, and says why, when no peer ran', () => {
    const comparison = buildPeerComparison(input({ peers: {}, diffs: [], skipped: ['java not found'] }));
    expect(comparison.outputsIdentical).toBeNull();
    expect(comparison.skipped).toEqual(['java not found']);
    expect(comparison.ratios).toEqual({});
    expect(renderPeerComparison(comparison, [])).toMatch(/skipped: java not found/);
  });
});
