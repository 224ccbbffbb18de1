import type { VigilEvent } from '../../../../model/records.js';
import { DetectorTestContext, testEvent } from '../../../../runtime/testing/detector-test-context.js';
import { ACTIVE_STORE, emergingTermsDetector } from './emerging-terms.detector.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 12);
const params = { window: '10m', minCount: 5, ratio: 3, minHistory: 3, alpha: 0.1 };

function post(minute: number, hashtags: string[], entity = 'acme'): VigilEvent {
  return testEvent(T0 + minute * MINUTE, { entity, hashtags, text: '' });
}

/** `perWindow` posts of each tag in window `w` (10-minute windows from T0), spread over it. */
function windowOf(w: number, perWindow: Record<string, number>, entity = 'acme'): VigilEvent[] {
  const posts: VigilEvent[] = [];
  for (const [tag, n] of Object.entries(perWindow)) for (let i = 0; i < n; i++) posts.push(post(w * 10 + (9 * i) / n, [tag], entity));
  return posts.sort((a, b) => a.time - b.time);
}

function history(ctx: DetectorTestContext, windows: number, entity = 'acme'): void {
  for (let w = 0; w < windows; w++) for (const p of windowOf(w, { daily: 6, news: 2 }, entity)) ctx.process(p);
}

describe('emerging terms detector', () => {
  it('fires on the post that takes a new tag to minCount, far above its baseline, naming counts, ratio and posts', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, params);
    history(ctx, 6);
    expect(ctx.emitted).toEqual([]);
    const burst = Array.from({ length: 8 }, (_, i) => post(60 + i, ['Outage']));
    const findings = burst.flatMap((p) => ctx.process(p));
    expect(findings).toEqual([
      {
        entity: 'acme',
        severity: 'medium',
        kind: 'emerging.hashtags',
        title: '#outage is emerging for acme: 5 in this 10m window, 0 usually (5× ≥ 3×)',
        score: 5 / 6,
        windowStart: T0 + 60 * MINUTE,
        windowEnd: burst[4]!.time,
        values: { count: 5, count_upper: 5, baseline: 0, ratio: 5, history_windows: 6 },
        thresholds: { min_count: 5, ratio: 3, smoothing: 1, window_ms: 10 * MINUTE },
        eventIds: [burst[4]!.id, burst[3]!.id, burst[2]!.id],
      },
    ]);
  });

  it('does not fire for a tag at its usual rate, nor for one up by less than the ratio', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, params);
    history(ctx, 6);
    // daily: 6 usually, 17 now: 17 / 7 < 3. news: 2 usually, 8 now: 8 / 3 < 3.
    for (const p of windowOf(6, { daily: 17, news: 8 })) ctx.process(p);
    expect(ctx.emitted).toEqual([]);
    // news rose to 8 in the last window, so its usual count is now higher; 20 more clears 3× on the way.
    const [finding, ...rest] = windowOf(7, { news: 20 }).flatMap((p) => ctx.process(p));
    expect(rest).toEqual([]);
    const { count, baseline, ratio } = finding!.values!;
    expect(finding!.title.split(' ')[0]).toBe('#news');
    expect(ratio).toBeGreaterThanOrEqual(3);
    expect(ratio).toBeCloseTo(count! / (baseline! + 1), 1);
    expect((count! - 1) / (baseline! + 1)).toBeLessThan(3); // the first post over the ratio fires
    expect(baseline).toBeGreaterThan(2);
  });

  it('learns before it judges: nothing fires before minHistory finished windows', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, params);
    history(ctx, 2);
    for (const p of windowOf(2, { outage: 12 })) ctx.process(p);
    expect(ctx.emitted).toEqual([]);
  });

  it('fires once per episode and again after a window in which the tag did not qualify', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, { ...params, alpha: 0.02 });
    history(ctx, 6);
    for (const p of windowOf(6, { daily: 6, outage: 8 })) ctx.process(p);
    for (const p of windowOf(7, { daily: 6, outage: 9 })) ctx.process(p);
    expect(ctx.emitted).toHaveLength(1);
    expect(ctx.store(ACTIVE_STORE).get('acme')).toEqual(['outage', T0 + 70 * MINUTE]);
    for (const p of windowOf(8, { daily: 6, outage: 1 })) ctx.process(p);
    // 18 outage posts over 9 windows: about 2 usually now, so the new burst must be larger.
    for (const p of windowOf(9, { daily: 6, outage: 15 })) ctx.process(p);
    expect(ctx.emitted.map((f) => f.windowStart)).toEqual([T0 + 60 * MINUTE, T0 + 90 * MINUTE]);
  });

  it('counts empty windows as zeros, so a key silent for a while keeps a decayed baseline', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, params);
    for (let w = 0; w < 6; w++) for (const p of windowOf(w, { storm: 4 })) ctx.process(p);
    // 4 per window for an hour, then 30 windows of silence: an EWMA of 36 windows, 6 of them 4, 30 of them 0.
    const findings = windowOf(36, { storm: 6 }).flatMap((p) => ctx.process(p));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.values).toMatchObject({ count: 5, history_windows: 36 });
    expect(findings[0]!.values!.baseline).toBeCloseTo((4 * 0.9 ** 30 * (1 - 0.9 ** 6)) / (1 - 0.9 ** 36), 2);
  });

  it('keeps keys apart', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, params);
    const both = (w: number, acme: Record<string, number>, globex: Record<string, number>) =>
      [...windowOf(w, acme, 'acme'), ...windowOf(w, globex, 'globex')].sort((a, b) => a.time - b.time);
    for (let w = 0; w < 6; w++) for (const p of both(w, { daily: 6 }, { daily: 2 })) ctx.process(p);
    // outage is new for globex but usual for nobody else; daily triples for globex, not for acme.
    for (const p of both(6, { daily: 6 }, { outage: 6, daily: 5 })) ctx.process(p);
    expect(ctx.emitted.map((f) => f.entity)).toEqual(['globex']);
  });

  it('counts posts of the current window in any order, and a late post of a finished window only in the baseline', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, params, { allowedLateness: 30 * MINUTE });
    history(ctx, 6);
    const [first, ...rest] = windowOf(6, { outage: 5 });
    for (const p of rest.reverse()) ctx.process(p);
    expect(ctx.emitted).toEqual([]);
    expect(ctx.process(first!)).toHaveLength(1);
    // Late posts of window 5 with a new tag: into the baseline at its weight, no finding.
    for (let i = 0; i < 8; i++) expect(ctx.process(post(55, ['recall']))).toEqual([]);
    // They count as 8 in window 5: recall's usual count over 7 finished windows is no longer 0, so
    // 5 posts in window 7 are not enough (as they were for outage) and it takes 8.
    const usual = (8 * 0.1 * 0.9) / (1 - 0.9 ** 7);
    const findings = windowOf(7, { recall: 12 }).flatMap((p) => ctx.process(p));
    expect(findings.map((f) => f.values)).toEqual([expect.objectContaining({ count: Math.ceil(3 * (usual + 1)), baseline: Math.round(usual * 100) / 100 })]);
  });

  it('survives a restart from its changelog: baseline, window and fired tags are restored', () => {
    const input = [...windowOf(0, { a: 3 }), ...windowOf(1, { a: 3 }), ...windowOf(2, { a: 3 }), ...windowOf(3, { b: 6, a: 3 }), ...windowOf(4, { b: 7, c: 9 })];
    const uninterrupted = DetectorTestContext.start(emergingTermsDetector, params);
    const expected = input.flatMap((p) => uninterrupted.process(p));
    expect(expected.map((f) => f.title.split(' ')[0])).toEqual(['#b', '#c']);
    // Restarted in window 4 (c counted 3 of the 5 it fires at): b fired in window 3 and is still remembered.
    let ctx = DetectorTestContext.start(emergingTermsDetector, params);
    const restartAt = input.findIndex((p) => p.time >= T0 + 43 * MINUTE);
    const findings = input.flatMap((p, i) => {
      if (i === restartAt) ctx = ctx.restarted();
      return ctx.process(p);
    });
    expect(findings).toEqual(expected);
    expect(ctx.store(ACTIVE_STORE).get('acme')).toEqual(['b', T0 + 30 * MINUTE, 'c', T0 + 40 * MINUTE]);
  });

  it('watches terms of the text when asked', () => {
    const ctx = DetectorTestContext.start(emergingTermsDetector, { ...params, of: 'terms' });
    for (let w = 0; w < 4; w++) for (let i = 0; i < 4; i++) ctx.process(testEvent(T0 + (w * 10 + i) * MINUTE, { entity: 'acme', text: 'Great coffee this morning' }));
    const findings = [0, 1, 2, 3, 4].flatMap((i) => ctx.process(testEvent(T0 + (40 + i) * MINUTE, { entity: 'acme', text: 'The app is DOWN, login broken' })));
    expect(findings.map((f) => f.title.split(' ')[0])).toEqual(['app', 'down', 'login', 'broken']);
  });

  it('validates its params and names the fields it reads', () => {
    expect(() => emergingTermsDetector.meta.params.parse({ alpha: 1 })).toThrow();
    const p = emergingTermsDetector.meta.params.parse({});
    expect(p).toMatchObject({ of: 'hashtags', window: 10 * MINUTE, minCount: 10, ratio: 5, capacity: 100, depth: 4, width: 256, severity: 'medium' });
    expect(emergingTermsDetector.meta.requiredFields({ ...p, of: 'terms' })).toEqual(['entity', 'text']);
    expect(emergingTermsDetector.meta.stateTtl(p)).toBe(7 * 24 * 60 * MINUTE);
  });
});
