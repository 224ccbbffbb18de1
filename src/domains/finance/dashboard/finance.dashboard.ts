import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertAnnotations } from '../../../dashboards/annotations.js';
import type { DashboardTemplate } from '../../../dashboards/dashboard-template.js';
import { entityLink } from '../../../dashboards/entity-links.js';
import { barChartPanel, statPanel, tablePanel, timeSeriesPanel } from '../../../dashboards/panels.js';
import { detectorIn, entityIs, TEMPLATE_IS } from '../../../dashboards/sql-filters.js';
import type { TemplateDashboardModule } from '../../../dashboards/template-dashboard.js';
import { detectorVariable, entityVariable, templateConstant } from '../../../dashboards/variables.js';
import { numberPanels, templateDashboardUid, vigilDashboard } from '../../../dashboards/vigil-dashboard.js';
import { alertExplanationsSql, backtestSql } from './finance.sql.js';

/**
 * Card payments. Columns are the finance template's canonical field names (card_id, terminal_id,
 * amount), which stay fixed when users remap their own JSON. An entity is a card or a terminal
 * (terminal detectors key by terminal), so the entity filter matches either.
 */
export const financeDashboard: TemplateDashboardModule = {
  template: 'finance',
  build: buildFinanceDashboard,
};

function buildFinanceDashboard(template: DashboardTemplate): Dashboard {
  const events = template.eventsTable;
  const detector = detectorIn();
  const cardOrTerminal = entityIs('card_id', 'terminal_id');
  const findingEntity = entityIs('entity');
  const builder = vigilDashboard(templateDashboardUid(template.name), `Vigil · ${template.title}`)
    .description('Transactions, fraud rate, risk scores, alerts with their explanation, and backtest results.')
    .withVariable(templateConstant(template.name))
    .withVariable(detectorVariable())
    .withVariable(entityVariable('A card id or a terminal id; empty for all.'))
    .annotation(alertAnnotations(TEMPLATE_IS, detector, findingEntity))
    .withPanel(statPanel({ title: 'Transactions', sql: `SELECT count() AS transactions FROM ${events} WHERE $__timeFilter(event_time) AND ${cardOrTerminal}` }))
    .withPanel(statPanel({ title: 'Amount', sql: `SELECT round(sum(amount), 2) AS amount FROM ${events} WHERE $__timeFilter(event_time) AND ${cardOrTerminal}` }))
    .withPanel(
      statPanel({ title: 'Alerts', sql: `SELECT count() AS alerts FROM alerts WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${findingEntity}` }),
    )
    .withPanel(
      statPanel({
        title: 'Labelled fraud',
        unit: 'percent',
        sql: `SELECT 100 * avg(fraud) AS labelled_fraud_pct FROM fraud_labels WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${entityIs('entity', 'terminal_id')}`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Transactions',
        sql: `SELECT $__timeInterval(event_time) AS time, count() AS transactions
FROM ${events}
WHERE $__timeFilter(event_time) AND ${cardOrTerminal}
GROUP BY time
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Fraud rate',
        description: 'Labelled fraud (from the feedback topic) and transactions named by findings, per 100 transactions.',
        unit: 'percent',
        sql: `SELECT t.bucket AS time, l.labelled_fraud_pct AS labelled_fraud_pct, 100 * f.flagged / t.transactions AS flagged_pct
FROM (
  SELECT $__timeInterval(event_time) AS bucket, count() AS transactions
  FROM ${events} WHERE $__timeFilter(event_time) AND ${cardOrTerminal} GROUP BY bucket
) AS t
LEFT JOIN (
  SELECT $__timeInterval(time) AS bucket, 100 * avg(fraud) AS labelled_fraud_pct
  FROM fraud_labels WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${entityIs('entity', 'terminal_id')} GROUP BY bucket
) AS l ON l.bucket = t.bucket
LEFT JOIN (
  SELECT $__timeInterval(time) AS bucket, uniqExactArray(event_ids) AS flagged
  FROM findings WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${findingEntity} GROUP BY bucket
) AS f ON f.bucket = t.bucket
ORDER BY time
SETTINGS join_use_nulls = 1`,
      }),
    )
    .withPanel(
      barChartPanel({
        title: 'Risk distribution',
        description: 'Risk scores (detector type risk_score) of the transactions scored at or above the detector\'s emitAbove, in tenths.',
        sql: `SELECT toString(floor(score * 10) / 10) AS risk, count() AS findings
FROM findings
WHERE ${TEMPLATE_IS} AND detector_type = 'risk_score' AND $__timeFilter(time) AND ${detector} AND ${findingEntity}
GROUP BY risk
ORDER BY risk`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Alerts by detector and rule',
        sql: `SELECT $__timeInterval(time) AS time, detector, count() AS alerts
FROM alerts
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${findingEntity}
GROUP BY time, detector
ORDER BY time`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Detectors and rules',
        sql: `SELECT detector, detector_type, detector_version, count() AS findings,
  countIf(id IN (SELECT JSONExtractString(finding, 'id') FROM alerts WHERE ${TEMPLATE_IS} AND $__timeFilter(time))) AS alerts,
  uniqExact(entity) AS entities, round(max(score), 3) AS max_score
FROM findings
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${findingEntity}
GROUP BY detector, detector_type, detector_version
ORDER BY findings DESC`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Top risky cards',
        sql: `SELECT entity AS card, round(max(score), 3) AS max_score, count() AS findings,
  arrayStringConcat(arraySort(groupUniqArray(detector)), ', ') AS detectors, max(time) AS last_finding
FROM findings
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND NOT startsWith(kind, 'terminal.') AND ${findingEntity}
GROUP BY entity
ORDER BY max_score DESC, findings DESC
LIMIT 20`,
      }).overrideByName('card', [entityLink(template.name)]),
    )
    .withPanel(
      tablePanel({
        title: 'Top risky terminals',
        description: 'Terminals by transactions named in findings; max_score from terminal detectors (kind terminal.*) when they run.',
        sql: `SELECT e.terminal AS terminal, e.flagged_transactions AS flagged_transactions, e.cards AS cards, e.flagged_amount AS flagged_amount,
  s.max_score AS max_score
FROM (
  SELECT terminal_id AS terminal, count() AS flagged_transactions, uniqExact(card_id) AS cards, round(sum(amount), 2) AS flagged_amount
  FROM ${events}
  WHERE $__timeFilter(event_time) AND ${cardOrTerminal}
    AND event_id IN (SELECT arrayJoin(event_ids) FROM findings WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector})
  GROUP BY terminal
) AS e
LEFT JOIN (
  SELECT entity AS terminal, round(max(score), 3) AS max_score
  FROM findings WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND startsWith(kind, 'terminal.') AND ${detector}
  GROUP BY terminal
) AS s ON s.terminal = e.terminal
ORDER BY flagged_transactions DESC
LIMIT 20
SETTINGS join_use_nulls = 1`,
      }).overrideByName('terminal', [entityLink(template.name)]),
    )
    .withPanel(
      tablePanel({ title: 'Alerts and why they fired', width: 24, height: 10, sql: alertExplanationsSql(detector, findingEntity) }).overrideByName('entity', [
        entityLink(template.name, 'detector'),
      ]),
    )
    .withPanel(
      tablePanel({
        title: 'Backtest (latest run, whole period)',
        description: 'From `vigil backtest` (table backtest_metrics); empty until a backtest has run against this ClickHouse.',
        width: 24,
        sql: backtestSql(),
      }).noValue('No backtest yet: run vigil backtest'),
    );
  return numberPanels(builder.build());
}
