import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import { QueryVariableBuilder, ThresholdsConfigBuilder, ThresholdsMode, VariableRefresh, VariableSort, type Dashboard, type DynamicConfigValue } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertAnnotations } from '../../../dashboards/annotations.js';
import { CLICKHOUSE_DATASOURCE } from '../../../dashboards/clickhouse.datasource.js';
import type { DashboardTemplate } from '../../../dashboards/dashboard-template.js';
import { entityLink } from '../../../dashboards/entity-links.js';
import { barChartPanel, statPanel, tablePanel, timeSeriesPanel } from '../../../dashboards/panels.js';
import { detectorIn, entityIs, TEMPLATE_IS } from '../../../dashboards/sql-filters.js';
import type { TemplateDashboardModule } from '../../../dashboards/template-dashboard.js';
import { detectorVariable, entityVariable, templateConstant } from '../../../dashboards/variables.js';
import { numberPanels, templateDashboardUid, vigilDashboard } from '../../../dashboards/vigil-dashboard.js';
import { NEWS2_CHART_BANDS, news2PointsSql, type ChartedParameter } from './news2-chart-sql.js';
import { alertReasonsSql, patientDaysSql, patientRiskSql, RISK_BANDS_SQL } from './health.sql.js';

/**
 * Ward vital signs. Columns are the health template's canonical observation fields (patient_id,
 * ward, parameter, value), which stay fixed whatever feed the template reads. The entity is a
 * patient's pseudonym; the ward overview is for every patient, the patient timeline for the one
 * in the entity box.
 */
export const healthDashboard: TemplateDashboardModule = {
  template: 'health',
  build: buildHealthDashboard,
};

/** NEWS2 points as colours: 0 green, 1 yellow, 2 orange, 3 red. */
const POINT_COLOURS = ['green', 'yellow', 'orange', 'red'] as const;

const VITALS: readonly { parameter: ChartedParameter; title: string; unit: string }[] = [
  { parameter: 'resp_rate', title: 'Respiration rate', unit: '/min' },
  { parameter: 'spo2', title: 'SpO2 (scale 1 colours)', unit: 'percent' },
  { parameter: 'systolic_bp', title: 'Systolic blood pressure', unit: 'mmHg' },
  { parameter: 'pulse', title: 'Pulse', unit: 'bpm' },
  { parameter: 'temperature', title: 'Temperature', unit: 'celsius' },
];

function buildHealthDashboard(template: DashboardTemplate): Dashboard {
  const events = template.eventsTable;
  const detector = detectorIn();
  const patient = entityIs('patient_id');
  const findingPatient = entityIs('entity');
  const ward = '$__conditionalAll(ifNull(ward, \'\') IN (${ward:singlequote}), $ward)';
  const readings = `$__timeFilter(event_time) AND ${patient} AND ${ward}`;
  // Alerts carry the ward of the reading that raised them as a label (the template's `label: true`).
  const alertWard = '$__conditionalAll(labels[\'ward\'] IN (${ward:singlequote}), $ward)';
  const builder = vigilDashboard(templateDashboardUid(template.name), `Vigil · ${template.title}`)
    .description('Ward overview (patients by NEWS2 risk band and trend, alert burden per patient-day) and a patient timeline (each vital in its NEWS2 band colours, with alerts).')
    .withVariable(templateConstant(template.name))
    .withVariable(detectorVariable())
    .withVariable(entityVariable("A patient's pseudonym (ps_…); empty for the whole ward."))
    .withVariable(wardVariable(events))
    .annotation(alertAnnotations(TEMPLATE_IS, detector, findingPatient))
    .withPanel(statPanel({ title: 'Patients', sql: `SELECT uniqExact(patient_id) AS patients FROM ${events} WHERE ${readings}` }))
    .withPanel(statPanel({ title: 'Readings', sql: `SELECT count() AS readings FROM ${events} WHERE ${readings}` }))
    .withPanel(statPanel({ title: 'Alerts', sql: `SELECT count() AS alerts FROM alerts WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${findingPatient} AND ${alertWard}` }))
    .withPanel(
      statPanel({
        title: 'Alerts per patient-day',
        description: 'Alerts divided by the patient-days with readings: the burden a nurse carries.',
        sql: `SELECT round(sum(alerts) / greatest(count(), 1), 2) AS alerts_per_patient_day FROM (${patientDaysSql(events, readings)})`,
      }),
    )
    .withPanel(
      barChartPanel({
        title: 'Patients by risk band',
        description: "Each patient's band at its latest NEWS2 escalation in the range; patients never escalated are low.",
        sql: `SELECT risk_band, count() AS patients FROM (${patientRiskSql(events, readings)})
GROUP BY risk_band
ORDER BY indexOf(${RISK_BANDS_SQL}, risk_band)
SETTINGS join_use_nulls = 1`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Patients by risk band and trend',
        description: 'Trend: the NEWS2 total at the latest escalation against the lowest in the 6 hours before it (rising or falling by 2 or more).',
        sql: `SELECT * FROM (${patientRiskSql(events, readings)})
ORDER BY indexOf(${RISK_BANDS_SQL}, risk_band) DESC, news2 DESC, news2_change_6h DESC
LIMIT 100
SETTINGS join_use_nulls = 1`,
      }).overrideByName('patient', [entityLink(template.name)]),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'NEWS2 escalations',
        description: 'The NEWS2 total of each escalation and reminder, per patient.',
        sql: `SELECT $__timeInterval(time) AS time, entity AS patient, max(values['total']) AS news2
FROM findings
WHERE ${TEMPLATE_IS} AND detector_type = 'news2' AND $__timeFilter(time) AND ${findingPatient}
GROUP BY time, patient
ORDER BY time`,
      }),
    );
  for (const vital of VITALS) builder.withPanel(vitalPanel(events, vital, readings));
  builder
    .withPanel(
      tablePanel({
        title: 'Readings and their NEWS2 points',
        description: "The patient's readings, newest first, each with the points the NEWS2 chart gives it (SpO2 on scale 1).",
        width: 24,
        sql: `SELECT event_time AS time, patient_id AS patient, ifNull(ward, '') AS ward, parameter,
  if(parameter = 'consciousness', ifNull(value_text, ''), toString(value)) AS reading, ifNull(unit, '') AS unit,
  ifNull(diastolic_bp, 0) AS diastolic, ifNull(source, '') AS source,
  ${news2PointsSql()} AS points
FROM ${events}
WHERE ${readings}
ORDER BY event_time DESC
LIMIT 500`,
      })
        .overrideByName('points', pointColours())
        .overrideByName('patient', [entityLink(template.name)]),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Alerts per patient-day',
        sql: `SELECT toDateTime(day) AS time, round(sum(alerts) / greatest(count(), 1), 2) AS alerts_per_patient_day, toFloat64(count()) AS patient_days
FROM (${patientDaysSql(events, readings)})
GROUP BY time
ORDER BY time`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Alert burden by patient-day',
        sql: `SELECT * FROM (${patientDaysSql(events, readings)}) ORDER BY alerts DESC, day DESC LIMIT 100 SETTINGS join_use_nulls = 1`,
      }).overrideByName('patient_id', [entityLink(template.name)]),
    )
    .withPanel(
      tablePanel({ title: 'Alerts and why they fired', width: 24, height: 10, sql: alertReasonsSql(detector, findingPatient, alertWard) }).overrideByName('patient', [
        entityLink(template.name, 'detector'),
      ]),
    );
  return numberPanels(builder.build());
}

/** One vital of the selected patients over time, on its NEWS2 bands as coloured areas. */
function vitalPanel(events: string, vital: (typeof VITALS)[number], readings: string) {
  const { decimals, bands } = NEWS2_CHART_BANDS[vital.parameter];
  const half = decimals === 0 ? 0.5 : 0.05;
  // A band starts just above the one below it, on the chart's resolution.
  const steps = bands.map(([, points], i) => ({ value: i === 0 ? null : bands[i - 1]![0] + half, color: POINT_COLOURS[points]! }));
  return timeSeriesPanel({
    title: vital.title,
    unit: vital.unit,
    width: 8,
    sql: `SELECT $__timeInterval(event_time) AS time, patient_id AS patient, avg(value) AS ${vital.parameter}
FROM ${events}
WHERE ${readings} AND parameter = '${vital.parameter}'
GROUP BY time, patient
ORDER BY time`,
  })
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Area));
}

function pointColours(): DynamicConfigValue[] {
  return [
    { id: 'custom.cellOptions', value: { type: 'color-background' } },
    { id: 'color', value: { mode: 'thresholds' } },
    { id: 'thresholds', value: { mode: 'absolute', steps: POINT_COLOURS.map((color, points) => ({ value: points === 0 ? null : points, color })) } },
  ];
}

/** The wards with readings in the range; All by default. */
function wardVariable(events: string): QueryVariableBuilder {
  return new QueryVariableBuilder('ward')
    .label('Ward')
    .datasource(CLICKHOUSE_DATASOURCE)
    .query(`SELECT DISTINCT ifNull(ward, '') FROM ${events} WHERE $__timeFilter(event_time) ORDER BY 1`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ text: 'All', value: ['$__all'] });
}
