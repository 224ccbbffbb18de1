/**
 * The NEWS2 chart's bands as data, for dashboard SQL that colours each reading by its points
 * (news2-chart-sql.spec.ts checks them against the scoring code in news2/news2-bands.ts). Each band
 * is [highest value on the chart's resolution, points], lowest band first; the last band is open.
 * SpO2 is on scale 1: a patient's own scale and air/oxygen are the NEWS2 detector's to apply.
 */
export const NEWS2_CHART_BANDS = {
  resp_rate: { decimals: 0, bands: [[8, 3], [11, 1], [20, 0], [24, 2], [Infinity, 3]] },
  spo2: { decimals: 0, bands: [[91, 3], [93, 2], [95, 1], [Infinity, 0]] },
  systolic_bp: { decimals: 0, bands: [[90, 3], [100, 2], [110, 1], [219, 0], [Infinity, 3]] },
  pulse: { decimals: 0, bands: [[40, 3], [50, 1], [90, 0], [110, 1], [130, 2], [Infinity, 3]] },
  temperature: { decimals: 1, bands: [[35, 3], [36, 1], [38, 0], [39, 1], [Infinity, 2]] },
} as const satisfies Record<string, { decimals: 0 | 1; bands: readonly (readonly [number, number])[] }>;

export type ChartedParameter = keyof typeof NEWS2_CHART_BANDS;

/** Points of `value` by the bands, on the chart's resolution (rounded half up as news2-bands does). */
export function chartPoints(parameter: ChartedParameter, value: number): number {
  const { decimals, bands } = NEWS2_CHART_BANDS[parameter];
  const factor = decimals === 0 ? 1 : 10;
  const charted = Math.floor(value * factor + 0.5 + 1e-9) / factor;
  return bands.find(([upTo]) => charted <= upTo)![1];
}

/**
 * A SQL expression for the NEWS2 points of one reading, given its `parameter` and `value` columns:
 * null for readings the chart does not score this way (consciousness: `value_text` 'A' is 0,
 * anything else 3; on_oxygen 1 is 2 points; diastolic and the SpO2 scale score nothing).
 */
export function news2PointsSql(parameter = 'parameter', value = 'value', valueText = 'value_text'): string {
  const arms = Object.entries(NEWS2_CHART_BANDS).map(([name, { decimals, bands }]) => {
    const factor = decimals === 0 ? 1 : 10;
    const charted = `floor(${value} * ${factor} + 0.5 + 1e-9) / ${factor}`;
    const steps = bands.map(([upTo, points]) => (upTo === Infinity ? `${points}` : `${charted} <= ${upTo}, ${points}`)).join(', ');
    return `${parameter} = '${name}', multiIf(${steps})`;
  });
  return `toNullable(multiIf(${arms.join(',\n  ')},
  ${parameter} = 'consciousness', if(${valueText} = 'A', 0, 3),
  ${parameter} = 'on_oxygen', if(${value} = 1, 2, 0),
  NULL))`;
}
