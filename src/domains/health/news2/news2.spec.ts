import type { VitalSigns } from '../vitals/vital-signs.js';
import { news2Monitoring, news2Risk } from './news2-risk.js';
import { scoreNews2 } from './news2.js';

const normal: VitalSigns = { respRate: 16, spo2: 97, spo2Scale: 1, onOxygen: false, systolicBp: 120, pulse: 70, consciousness: 'A', temperature: 37 };

describe('NEWS2 score', () => {
  it('scores a normal observation set 0, low, 12-hourly', () => {
    const score = scoreNews2(normal);
    expect(score).toMatchObject({ total: 0, risk: 'low', redScore: false, missing: [], monitoring: { frequency: 'minimum 12-hourly' } });
    expect(Object.values(score.points)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('adds up every parameter', () => {
    const score = scoreNews2({ respRate: 22, spo2: 93, onOxygen: true, systolicBp: 105, pulse: 115, consciousness: 'A', temperature: 38.5 });
    expect(score.points).toEqual({ resp_rate: 2, spo2: 2, on_oxygen: 2, systolic_bp: 1, pulse: 2, consciousness: 0, temperature: 1 });
    expect(score.total).toBe(10);
    expect(score.risk).toBe('high');
  });

  it('new confusion alone is a red score: low-medium, hourly', () => {
    const score = scoreNews2({ ...normal, consciousness: 'C' });
    expect(score).toMatchObject({ total: 3, risk: 'low-medium', redScore: true, monitoring: { frequency: 'minimum 1-hourly', maxIntervalHours: 1 } });
  });

  it('a missing parameter is missing, not zero: total over the present ones and listed', () => {
    const score = scoreNews2({ respRate: 26, pulse: 95 });
    expect(score.total).toBe(4);
    expect(score.points.temperature).toBeNull();
    expect(score.missing).toEqual(['spo2', 'on_oxygen', 'systolic_bp', 'consciousness', 'temperature']);
    expect(score.risk).toBe('low-medium');
  });

  it('scale 2 at 93 % on an unknown supplement leaves SpO2 missing too', () => {
    const score = scoreNews2({ ...normal, spo2: 95, spo2Scale: 2, onOxygen: undefined });
    expect(score.points.spo2).toBeNull();
    expect(score.missing).toEqual(['spo2', 'on_oxygen']);
  });

  it('scale 2 on oxygen at 97 % is a red score', () => {
    expect(scoreNews2({ ...normal, spo2: 97, spo2Scale: 2, onOxygen: true })).toMatchObject({ total: 5, redScore: true, risk: 'medium' });
  });
});

describe('NEWS2 risk bands', () => {
  it.each([
    [0, false, 'low'], [4, false, 'low'], [3, true, 'low-medium'], [4, true, 'low-medium'], [5, false, 'medium'], [5, true, 'medium'],
    [6, true, 'medium'], [7, false, 'high'], [7, true, 'high'], [20, true, 'high'],
  ] as const)('total %p with red score %p is %p', (total, red, risk) => expect(news2Risk(total, red)).toBe(risk));

  it.each([
    [0, 'low', 'minimum 12-hourly', 12], [1, 'low', 'minimum 4–6-hourly', 6], [4, 'low', 'minimum 4–6-hourly', 6],
    [3, 'low-medium', 'minimum 1-hourly', 1], [5, 'medium', 'minimum 1-hourly', 1], [7, 'high', 'continuous', 0],
  ] as const)('total %p (%p) is monitored %p', (total, risk, frequency, hours) =>
    expect(news2Monitoring(total, risk)).toEqual({ frequency, maxIntervalHours: hours }));
});
