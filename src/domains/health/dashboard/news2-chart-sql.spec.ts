import { pulsePoints, respRatePoints, spo2Points, systolicBpPoints, temperaturePoints } from '../news2/news2-bands.js';
import { chartPoints, news2PointsSql, type ChartedParameter } from './news2-chart-sql.js';

const SCORING: Record<ChartedParameter, (value: number) => number | undefined> = {
  resp_rate: respRatePoints,
  spo2: (value) => spo2Points(value, 1, undefined),
  systolic_bp: systolicBpPoints,
  pulse: pulsePoints,
  temperature: temperaturePoints,
};

describe("the dashboard's NEWS2 bands", () => {
  it.each(Object.keys(SCORING) as ChartedParameter[])('give %s the points the scoring code gives, at every band edge and between', (parameter) => {
    const mismatches: string[] = [];
    for (let tenths = 0; tenths <= 3000; tenths += 1) {
      // Whole and half steps around every edge, tenths of a degree for temperature.
      const value = parameter === 'temperature' ? 300 + tenths / 100 : tenths / 10;
      const expected = SCORING[parameter](value);
      if (chartPoints(parameter, value) !== expected) mismatches.push(`${value}: ${chartPoints(parameter, value)} vs ${expected}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('become one SQL expression with an arm per parameter', () => {
    const sql = news2PointsSql();
    for (const parameter of Object.keys(SCORING)) expect(sql).toContain(`parameter = '${parameter}'`);
    expect(sql).not.toContain('Infinity');
  });
});
