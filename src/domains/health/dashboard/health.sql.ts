import { TEMPLATE_IS } from '../../../dashboards/sql-filters.js';

/** The chart's risk bands, lowest first: a NEWS2 finding's `values['band']` is the index. */
export const RISK_BANDS_SQL = "['low', 'low-medium', 'medium', 'high']";

/**
 * Per patient seen in the range: the ward, the latest NEWS2 escalation's total and band (a patient
 * without one is low), its change over the 6 hours before it, the trend that change names, the
 * last reading and the alerts. `where` filters the readings (time, patient, ward).
 */
export function patientRiskSql(events: string, where: string): string {
  return `SELECT p.patient_id AS patient, p.ward AS ward,
  ${RISK_BANDS_SQL}[toUInt8(ifNull(n.band_level, 0)) + 1] AS risk_band,
  ifNull(n.total, 0) AS news2, ifNull(n.change_6h, 0) AS news2_change_6h,
  multiIf(ifNull(n.change_6h, 0) >= 2, 'rising', ifNull(n.change_6h, 0) <= -2, 'falling', 'steady') AS trend,
  p.readings AS readings, p.last_reading AS last_reading, ifNull(a.alerts, 0) AS alerts
FROM (
  SELECT patient_id, argMax(ifNull(ward, ''), event_time) AS ward, count() AS readings, max(event_time) AS last_reading
  FROM ${events} WHERE ${where} GROUP BY patient_id
) AS p
LEFT JOIN (
  SELECT patient_id, argMax(total, time) AS total, argMax(band_level, time) AS band_level, argMax(change_6h, time) AS change_6h
  FROM (
    SELECT entity AS patient_id, time, values['total'] AS total, values['band'] AS band_level,
      total - first_value(total) OVER (PARTITION BY entity ORDER BY toUnixTimestamp(time) RANGE BETWEEN 21600 PRECEDING AND CURRENT ROW) AS change_6h
    FROM findings WHERE ${TEMPLATE_IS} AND detector_type = 'news2' AND $__timeFilter(time)
  )
  GROUP BY patient_id
) AS n ON n.patient_id = p.patient_id
LEFT JOIN (
  SELECT entity AS patient_id, count() AS alerts FROM alerts WHERE ${TEMPLATE_IS} AND $__timeFilter(time) GROUP BY patient_id
) AS a ON a.patient_id = p.patient_id`;
}

/** Readings, findings and alerts per day and patient: the alert burden a ward carries. */
export function patientDaysSql(events: string, where: string): string {
  return `SELECT o.day AS day, o.patient_id AS patient_id, o.ward AS ward, o.readings AS readings, ifNull(a.alerts, 0) AS alerts
FROM (
  SELECT toDate(event_time) AS day, patient_id, argMax(ifNull(ward, ''), event_time) AS ward, count() AS readings
  FROM ${events} WHERE ${where} GROUP BY day, patient_id
) AS o
LEFT JOIN (
  SELECT toDate(time) AS day, entity AS patient_id, count() AS alerts
  FROM alerts WHERE ${TEMPLATE_IS} AND $__timeFilter(time) GROUP BY day, patient_id
) AS a ON a.day = o.day AND a.patient_id = o.patient_id`;
}

/**
 * An alert with the ward it was raised on (its `ward` label), the values its finding compared,
 * largest first, and its thresholds.
 */
export function alertReasonsSql(detectorFilter: string, entityFilter: string, wardFilter: string): string {
  return `WITH
  JSONExtract(finding, 'values', 'Map(String, Float64)') AS vals,
  JSONExtract(finding, 'thresholds', 'Map(String, Float64)') AS limits
SELECT time, severity, detector, entity AS patient, labels['ward'] AS ward, title,
  arrayStringConcat(arrayMap((k, x) -> concat(k, ' ', toString(round(x, 2))), mapKeys(vals), mapValues(vals)), ', ') AS values,
  arrayStringConcat(arrayMap((k, x) -> concat(k, ' ', toString(x)), mapKeys(limits), mapValues(limits)), ', ') AS thresholds,
  id AS alert_id
FROM alerts
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detectorFilter} AND ${entityFilter} AND ${wardFilter}
ORDER BY time DESC
LIMIT 200`;
}
