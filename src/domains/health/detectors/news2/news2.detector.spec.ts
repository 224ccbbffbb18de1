import type { FindingInput } from '../../../../model/records.js';
import { DetectorTestContext } from '../../../../runtime/testing/detector-test-context.js';
import { HOUR, MINUTE, observation, observationSet, T0 } from '../testing/observation-events.js';
import { news2Detector } from './news2.detector.js';

/** NEWS2 5 (medium): respiration 22 (2), pulse 115 (2), temperature 38.5 (1). */
const MEDIUM = { resp_rate: 22, pulse: 115, temperature: 38.5 };
/** NEWS2 4 (low): as MEDIUM with pulse 105 (1). */
const FOUR = { ...MEDIUM, pulse: 105 };
/** NEWS2 7 (high): respiration 25 (3), pulse 115 (2), systolic 105 (1), temperature 38.5 (1). */
const HIGH = { resp_rate: 25, pulse: 115, systolic_bp: 105, temperature: 38.5 };
/** NEWS2 3 from respiration 25 alone: the red score, low-medium. */
const RED = { resp_rate: 25 };

const SETTLE = 5;

/** One observation set at `minute`, then event time moved past the settle wait; what it emitted. */
function feed(ctx: DetectorTestContext, minute: number, changes: Record<string, number | string> = {}, patient = 'p1'): FindingInput[] {
  const before = ctx.emitted.length;
  for (const event of observationSet(minute, changes, patient)) ctx.process(event);
  ctx.advanceTo(T0 + (minute + SETTLE) * MINUTE);
  return ctx.emitted.slice(before);
}

const kinds = (findings: readonly FindingInput[]) => findings.map((f) => `${f.kind} ${f.severity}`);

describe('news2 detector', () => {
  it('scores a normal chart 0 and says nothing', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    expect(feed(ctx, 0)).toEqual([]);
    expect(ctx.published).toMatchObject({ total: 0, risk: 0, band: 0, parameters: 7, 'points.temperature': 0 });
  });

  it.each([
    [RED, 'low-medium', 'medium', 3],
    [MEDIUM, 'medium', 'high', 5],
    [HIGH, 'high', 'critical', 7],
  ] as const)('escalates into %p: band %p at severity %p, once per band, not per reading', (changes, band, severity, total) => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    feed(ctx, 0);
    const findings = [...feed(ctx, 30, changes), ...feed(ctx, 50, changes), ...feed(ctx, 70, changes)];
    expect(kinds(findings)).toEqual([`news2.escalation ${severity}`]);
    expect(findings[0]!.title).toContain(`NEWS2 ${total} (${band} risk)`);
    expect(findings[0]!.values).toMatchObject({ total, parameters: 7 });
  });

  it('does not escalate one point below a band edge (4 is low, 6 is medium)', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    expect(feed(ctx, 0, FOUR)).toEqual([]);
    expect(ctx.published).toMatchObject({ total: 4, risk: 0 });
    const six = feed(ctx, 30, { ...HIGH, systolic_bp: 125 });
    expect(kinds(six)).toEqual(['news2.escalation high']);
  });

  it('explains the finding: each parameter with its value, points and age, missing ones, and the monitoring frequency', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    ctx.process(observation(0, 'temperature', 38.5));
    ctx.process(observation(10, 'consciousness', 'A'));
    ctx.process(observation(20, 'spo2', 96));
    ctx.process(observation(25, 'systolic_bp', 125));
    ctx.process(observation(28, 'resp_rate', 25));
    expect(ctx.process(observation(30, 'pulse', 115))).toEqual([]);
    ctx.advanceTo(T0 + 35 * MINUTE);
    const [finding] = ctx.emitted;
    expect(finding).toMatchObject({
      kind: 'news2.escalation',
      entity: 'p1',
      values: {
        total: 6,
        parameters: 6,
        on_oxygen_missing: 1,
        temperature: 38.5,
        temperature_points: 1,
        temperature_age_min: 30,
        resp_rate_points: 3,
        resp_rate_age_min: 2,
        monitoring_max_interval_h: 1,
      },
      windowStart: T0,
      windowEnd: T0 + 30 * MINUTE,
    });
    expect(finding!.title).toBe(
      'NEWS2 6 (medium risk) for patient p1: resp_rate 25 +3 (2 min ago), pulse 115 +2 (0 min ago), temperature 38.5 +1 (30 min ago); ' +
        'missing on_oxygen; monitoring minimum 1-hourly',
    );
  });

  it('hysteresis: a total hovering between 5 and 4 stays medium and does not notify again', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    const findings: FindingInput[] = [];
    for (let k = 0; k < 7; k++) findings.push(...feed(ctx, k * 30, k % 2 === 0 ? MEDIUM : FOUR));
    expect(kinds(findings)).toEqual(['news2.escalation high']);
    expect(ctx.published).toMatchObject({ total: 5, band: 2 });
    // Held at 4 (within the margin) for one set...
    feed(ctx, 210, FOUR);
    expect(ctx.published).toMatchObject({ total: 4, risk: 0, band: 2 });
    // ...and left at once at 3 (threshold 5 − margin 2).
    feed(ctx, 240, { ...FOUR, temperature: 37 });
    expect(ctx.published).toMatchObject({ total: 3, band: 0 });
  });

  it('leaves a band after enough consecutive lower readings, and a re-entry within the interval stays quiet', () => {
    const ctx = DetectorTestContext.start(news2Detector, { hysteresis: { readings: 3 } });
    expect(kinds(feed(ctx, 0, MEDIUM))).toEqual(['news2.escalation high']);
    feed(ctx, 30, FOUR);
    expect(ctx.published.band).toBe(0);
    expect(feed(ctx, 60, MEDIUM)).toEqual([]);
    expect(ctx.published.band).toBe(2);
    // After the medium interval (4 h) a new entry notifies again.
    feed(ctx, 90, FOUR);
    expect(kinds(feed(ctx, 5 * 60, MEDIUM))).toEqual(['news2.escalation high']);
  });

  it('re-notifies while a band persists: medium every 4 h, high every hour', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    const medium: FindingInput[] = [];
    for (let m = 0; m <= 9 * 60; m += 30) medium.push(...feed(ctx, m, MEDIUM));
    expect(medium.map((f) => [f.kind, (f.windowEnd - T0) / HOUR])).toEqual([
      ['news2.escalation', 0],
      ['news2.reminder', 4],
      ['news2.reminder', 8],
    ]);
    expect(medium[1]!.title).toContain('still medium risk');

    const high: FindingInput[] = [];
    for (let m = 10 * 60; m <= 12 * 60; m += 20) high.push(...feed(ctx, m, HIGH));
    expect(high.map((f) => [f.kind, f.severity, (f.windowEnd - T0) / HOUR])).toEqual([
      ['news2.escalation', 'critical', 10],
      ['news2.reminder', 'critical', 11],
      ['news2.reminder', 'critical', 12],
    ]);
  });

  it('notifies a set that arrives reading by reading once, at the band it settles in', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    feed(ctx, 0);
    const events = observationSet(30, HIGH);
    expect(events.flatMap((e) => ctx.process(e))).toEqual([]);
    ctx.advanceTo(T0 + 34 * MINUTE);
    expect(ctx.emitted).toEqual([]);
    ctx.advanceTo(T0 + 35 * MINUTE);
    expect(kinds(ctx.emitted)).toEqual(['news2.escalation critical']);
    expect(ctx.emitted[0]!.eventIds).toEqual([events.at(-1)!.id]);
  });

  it('settle 0s notifies at the reading', () => {
    const ctx = DetectorTestContext.start(news2Detector, { settle: '0s' });
    feed(ctx, 0);
    const events = observationSet(30, MEDIUM);
    expect(kinds(events.flatMap((e) => ctx.process(e)))).toEqual(['news2.escalation high']);
  });

  it('does not notify a medium that follows a recent high', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    expect(kinds(feed(ctx, 0, HIGH))).toEqual(['news2.escalation critical']);
    expect(feed(ctx, 30, MEDIUM)).toEqual([]);
    expect(ctx.published).toMatchObject({ total: 5, band: 2 });
  });

  it('takes the severities per band from params; none tracks a band without notifying', () => {
    const ctx = DetectorTestContext.start(news2Detector, { escalation: { 'low-medium': 'none', medium: 'medium' } });
    expect(feed(ctx, 0, RED)).toEqual([]);
    expect(ctx.published.band).toBe(1);
    expect(kinds(feed(ctx, 30, MEDIUM))).toEqual(['news2.escalation medium']);
  });

  it('a reading older than its validity window is missing, never zero: a 6-hour-old fever no longer counts', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    feed(ctx, 0, { temperature: 39.5 });
    expect(ctx.published).toMatchObject({ total: 2, 'points.temperature': 2 });
    const { temperature: _, ...withoutTemperature } = observationSet(0).reduce<Record<string, number | string>>((set, e) => {
      set[e.fields.parameter as string] = (e.fields.value ?? e.fields.value_text) as number | string;
      return set;
    }, {});
    for (const [parameter, value] of Object.entries(withoutTemperature)) ctx.process(observation(6 * 60, parameter, value));
    expect(ctx.published).toMatchObject({ total: 0, parameters: 6 });
    expect(ctx.published['points.temperature']).toBeUndefined();
  });

  it('stale readings cannot lower a band: it is held until the set is complete again', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    feed(ctx, 0, HIGH);
    // Two hours later only respiration, SpO2, oxygen and blood pressure are taken again: the chart
    // scores 0 over four current parameters, but pulse and consciousness went stale.
    for (const [parameter, value] of [['resp_rate', 16], ['spo2', 97], ['on_oxygen', 0], ['systolic_bp', 125]] as const) ctx.process(observation(120, parameter, value));
    expect(ctx.published).toMatchObject({ total: 1, parameters: 5, band: 3 });
    ctx.process(observation(121, 'pulse', 72));
    ctx.process(observation(122, 'consciousness', 'A'));
    expect(ctx.published).toMatchObject({ total: 1, parameters: 7, band: 0 });
  });

  it('validity windows are params: a 30-minute pulse window drops a 45-minute-old pulse', () => {
    const ctx = DetectorTestContext.start(news2Detector, { validity: { pulse: '30m' }, minParameters: 1 });
    ctx.process(observation(0, 'pulse', 120));
    ctx.process(observation(45, 'resp_rate', 16));
    expect(ctx.published).toMatchObject({ total: 0, parameters: 1 });
  });

  it('publishes no total while fewer than minParameters are current', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    ctx.process(observation(0, 'resp_rate', 30));
    ctx.process(observation(1, 'pulse', 140));
    expect(ctx.published).toEqual({ parameters: 2 });
    expect(ctx.emitted).toEqual([]);
  });

  it('uses the patient SpO2 scale from a spo2_scale reading, else the param default', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    ctx.process(observation(0, 'spo2_scale', 2));
    feed(ctx, 1, { spo2: 89 });
    expect(ctx.published['points.spo2']).toBe(0);
    feed(ctx, 10, { spo2: 89 }, 'p2');
    expect(ctx.published['points.spo2']).toBe(3);
    const scale2 = DetectorTestContext.start(news2Detector, { spo2Scale: 2 });
    feed(scale2, 0, { spo2: 89 });
    expect(scale2.published['points.spo2']).toBe(0);
  });

  it('combines readings arriving out of order: an older reading never replaces a newer one', () => {
    const ctx = DetectorTestContext.start(news2Detector, {}, { maxOutOfOrderness: 30 * MINUTE });
    feed(ctx, 20);
    ctx.process(observation(25, 'pulse', 120));
    ctx.process(observation(10, 'pulse', 70)); // late, older
    expect(ctx.published).toMatchObject({ total: 2, 'points.pulse': 2 });
    expect(ctx.late).toEqual([]);
  });

  it('ignores an implausible reading with a warning, and unknown parameters silently', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    feed(ctx, 0);
    ctx.process(observation(5, 'spo2', 140));
    ctx.process(observation(6, 'temperature', 3));
    ctx.process(observation(7, 'pulse', -5));
    ctx.process(observation(8, 'glucose', 5.5));
    ctx.process(observation(9, 'on_oxygen', -1));
    expect(ctx.logs.filter((l) => l.level === 'warn')).toHaveLength(4);
    ctx.process(observation(10, 'on_oxygen', 2)); // a flow of 2 L/min: oxygen
    expect(ctx.published).toMatchObject({ total: 2, 'points.on_oxygen': 2 });
    ctx.process(observation(11, 'resp_rate', 16));
    ctx.process(observation(12, 'on_oxygen', 0));
    expect(ctx.published).toMatchObject({ total: 0, 'points.spo2': 0, 'points.temperature': 0, 'points.pulse': 0 });
  });

  it('keeps charts and alarm state across a restart from the changelog', () => {
    const ctx = DetectorTestContext.start(news2Detector, {});
    expect(kinds(feed(ctx, 0, MEDIUM))).toEqual(['news2.escalation high']);
    const restarted = ctx.restarted();
    restarted.process(observation(30, 'pulse', 115));
    expect(restarted.published).toMatchObject({ total: 5, band: 2, parameters: 7 });
    expect(restarted.emitted).toEqual([]);
    expect(kinds(feed(restarted, 4 * 60, MEDIUM))).toEqual(['news2.reminder high']);
  });

  it('names the fields it reads and keeps patients for stateTtl', () => {
    const p = news2Detector.meta.params.parse({});
    expect(news2Detector.meta.requiredFields(p)).toEqual(['patient_id', 'parameter', 'value', 'value_text']);
    expect(news2Detector.meta.stateTtl(p)).toBe(2 * 24 * HOUR);
    expect(p.validity).toEqual({ resp_rate: HOUR, spo2: HOUR, on_oxygen: 4 * HOUR, systolic_bp: HOUR, pulse: HOUR, consciousness: HOUR, temperature: 4 * HOUR });
  });
});
