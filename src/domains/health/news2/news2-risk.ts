/** The chart's clinical risk bands (chart 3). */
export type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';

/**
 * Minimum monitoring frequency per chart 4 (clinical response to the NEWS trigger thresholds).
 * `maxIntervalHours` is the longest allowed gap between observation sets (0: continuous).
 */
export interface News2Monitoring {
  readonly frequency: string;
  readonly maxIntervalHours: number;
}

/** low 0–4, low–medium a 3 in any single parameter with a total of 0–4, medium 5–6, high ≥ 7. */
export function news2Risk(total: number, redScore: boolean): News2Risk {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return redScore ? 'low-medium' : 'low';
}

export function news2Monitoring(total: number, risk: News2Risk): News2Monitoring {
  if (risk === 'high') return { frequency: 'continuous', maxIntervalHours: 0 };
  if (risk === 'medium' || risk === 'low-medium') return { frequency: 'minimum 1-hourly', maxIntervalHours: 1 };
  if (total === 0) return { frequency: 'minimum 12-hourly', maxIntervalHours: 12 };
  return { frequency: 'minimum 4–6-hourly', maxIntervalHours: 6 };
}
