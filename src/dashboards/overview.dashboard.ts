import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertAnnotations } from './annotations.js';
import type { DashboardTemplate } from './dashboard-template.js';
import { entityLink } from './entity-links.js';
import { statPanel, tablePanel, timeSeriesPanel } from './panels.js';
import { templateIn } from './sql-filters.js';
import { templateVariable } from './variables.js';
import { numberPanels, vigilDashboard } from './vigil-dashboard.js';

export const OVERVIEW_UID = 'vigil-overview';

/**
 * Every template at a glance: traffic, consumer lag and ingest delay, late and dead-lettered
 * records, findings and alerts, and webhook delivery. Lag comes from the samples the lag recorder
 * stores (consumer_lag), because Grafana reads ClickHouse only. Events tables are per template, so
 * traffic reads them through merge() over the known tables (a template that is not deployed has no
 * table and is simply absent) and names each row's template from its table.
 */
export function overviewDashboard(templates: readonly DashboardTemplate[]): Dashboard {
  const events = eventsOfAllTemplates(templates);
  const inTemplates = templateIn();
  const builder = vigilDashboard(OVERVIEW_UID, 'Vigil overview')
    .description('Throughput, consumer lag, ingest delay, late and dead-lettered records, findings, alerts and webhook delivery across templates.')
    .withVariable(templateVariable())
    .annotation(alertAnnotations(inTemplates, '1=1', '1=1'))
    .withPanel(statPanel({ title: 'Events', width: 4, sql: `SELECT count() AS events FROM ${events.source} WHERE $__timeFilter(event_time) AND ${events.inTemplates}` }))
    .withPanel(statPanel({ title: 'Findings', width: 4, sql: `SELECT count() AS findings FROM findings WHERE $__timeFilter(time) AND ${inTemplates}` }))
    .withPanel(statPanel({ title: 'Alerts', width: 4, sql: `SELECT count() AS alerts FROM alerts WHERE $__timeFilter(time) AND ${inTemplates}` }))
    .withPanel(
      statPanel({
        title: 'Alerts delivered',
        description: 'Share of (alert, receiver) pairs with a delivered attempt, among those not suppressed.',
        unit: 'percent',
        width: 4,
        sql: `SELECT 100 * uniqExactIf((alert_id, receiver), outcome = 'delivered') / nullIf(uniqExactIf((alert_id, receiver), outcome != 'suppressed'), 0) AS delivered_pct
FROM alert_deliveries WHERE $__timeFilter(time) AND ${inTemplates}`,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Dead-lettered',
        description: 'Records sent to a dead-letter topic (bad input, undeliverable alerts): see the table below and `vigil replay`.',
        width: 4,
        sql: `SELECT count() AS dead_lettered FROM dead_letters WHERE $__timeFilter(time) AND ${inTemplates}`,
      }),
    )
    .withPanel(
      statPanel({
        title: 'Consumer lag (latest sample)',
        description: 'Messages not yet committed by the stages\' consumer groups, summed over stages, topics and partitions, at each template\'s latest sample in the range.',
        width: 4,
        sql: `SELECT toUInt64(sum(lag)) AS lag FROM consumer_lag
WHERE $__timeFilter(time) AND ${inTemplates}
  AND (template, time) IN (SELECT template, max(time) FROM consumer_lag WHERE $__timeFilter(time) AND ${inTemplates} GROUP BY template)`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Throughput (events/s, by event time)',
        unit: 'reqps',
        sql: `SELECT $__timeInterval(event_time) AS time, ${events.template} AS template, count() / $__interval_s AS events_per_s
FROM ${events.source}
WHERE $__timeFilter(event_time) AND ${events.inTemplates}
GROUP BY time, template
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Consumer lag by stage',
        description: 'Messages each stage\'s consumer group has not committed yet (summed over its topics and partitions), sampled every VIGIL_LAG_SAMPLE_MS; the highest sample per interval.',
        sql: `SELECT $__timeInterval(time) AS time, series, max(lag) AS lag
FROM (
  SELECT time, concat(template, ' ', stage) AS series, sum(lag) AS lag
  FROM consumer_lag
  WHERE $__timeFilter(time) AND ${inTemplates}
  GROUP BY time, series
)
GROUP BY time, series
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Ingest delay (event time → stored)',
        description: 'How long after its event time an event was stored, end to end (it includes the producer\'s own delay; consumer lag is the panel before).',
        unit: 's',
        sql: `SELECT $__timeInterval(event_time) AS time, ${events.template} AS template,
  quantile(0.5)(dateDiff('millisecond', event_time, inserted_at)) / 1000 AS p50_delay_s,
  max(dateDiff('millisecond', event_time, inserted_at)) / 1000 AS max_delay_s
FROM ${events.source}
WHERE $__timeFilter(event_time) AND ${events.inTemplates}
GROUP BY time, template
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Late events (by the watermark they arrived at)',
        description: 'Events behind the watermark by more than the allowed lateness: they skipped the detectors and are kept in late_events.',
        sql: `SELECT $__timeInterval(watermark) AS time, template, count() AS late_events
FROM late_events
WHERE $__timeFilter(watermark) AND ${inTemplates}
GROUP BY time, template
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Dead-lettered records by reason code',
        description: 'By the time they were dead-lettered. VIGIL_EVENT_* codes are bad input events; VIGIL_WEBHOOK_DELIVERY are alerts whose retry budget ran out.',
        sql: `SELECT $__timeInterval(time) AS time, concat(template, ' ', code) AS series, count() AS dead_lettered
FROM dead_letters
WHERE $__timeFilter(time) AND ${inTemplates}
GROUP BY time, series
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Findings per template',
        sql: `SELECT $__timeInterval(time) AS time, template, count() AS findings
FROM findings
WHERE $__timeFilter(time) AND ${inTemplates}
GROUP BY time, template
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Alerts per template and severity',
        sql: `SELECT $__timeInterval(time) AS time, concat(template, ' ', severity) AS series, count() AS alerts
FROM alerts
WHERE $__timeFilter(time) AND ${inTemplates}
GROUP BY time, series
ORDER BY time`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Webhook delivery attempts by outcome',
        description: 'delivered | retrying | waiting (on `<alerts>.retry` for the receiver to come back) | dead_lettered (retry budget spent: see `vigil alerts replay`) | suppressed.',
        sql: `SELECT $__timeInterval(time) AS time, outcome, count() AS attempts
FROM alert_deliveries
WHERE $__timeFilter(time) AND ${inTemplates}
GROUP BY time, outcome
ORDER BY time`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Alerts waiting for their receiver',
        description:
          'Alerts whose latest delivery attempt is `waiting`: the receiver was down or its circuit open, and the alert waits on `<alerts>.retry` to be sent by itself when a probe succeeds (or dead-lettered once the receiver\'s `retryFor` is spent).',
        sql: `SELECT template, receiver, count() AS waiting, min(since) AS waiting_since, max(attempts) AS most_attempts
FROM (
  SELECT template, receiver, alert_id, argMax(outcome, (time, attempt)) AS last_outcome, minIf(time, outcome = 'waiting') AS since, max(attempt) AS attempts
  FROM alert_deliveries
  WHERE $__timeFilter(time) AND ${inTemplates}
  GROUP BY template, receiver, alert_id
)
WHERE last_outcome = 'waiting'
GROUP BY template, receiver
ORDER BY waiting DESC`,
      }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Webhook latency',
        description: 'Attempts that got an HTTP response.',
        unit: 'ms',
        sql: `SELECT $__timeInterval(time) AS time, receiver, quantile(0.5)(latency_ms) AS p50_ms, quantile(0.99)(latency_ms) AS p99_ms
FROM alert_deliveries
WHERE $__timeFilter(time) AND ${inTemplates} AND http_status > 0
GROUP BY time, receiver
ORDER BY time`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Per template',
        sql: `SELECT template, sum(findings) AS findings, sum(alerts) AS alerts, sum(late) AS late_events, sum(dead_letters) AS dead_lettered, sum(dead) AS dead_lettered_alerts
FROM (
  SELECT template, count() AS findings, toUInt64(0) AS alerts, toUInt64(0) AS late, toUInt64(0) AS dead_letters, toUInt64(0) AS dead FROM findings WHERE $__timeFilter(time) AND ${inTemplates} GROUP BY template
  UNION ALL
  SELECT template, toUInt64(0), count(), toUInt64(0), toUInt64(0), toUInt64(0) FROM alerts WHERE $__timeFilter(time) AND ${inTemplates} GROUP BY template
  UNION ALL
  SELECT template, toUInt64(0), toUInt64(0), count(), toUInt64(0), toUInt64(0) FROM late_events WHERE $__timeFilter(watermark) AND ${inTemplates} GROUP BY template
  UNION ALL
  SELECT template, toUInt64(0), toUInt64(0), toUInt64(0), count(), toUInt64(0) FROM dead_letters WHERE $__timeFilter(time) AND ${inTemplates} GROUP BY template
  UNION ALL
  SELECT template, toUInt64(0), toUInt64(0), toUInt64(0), toUInt64(0), uniqExact(alert_id) FROM alert_deliveries WHERE $__timeFilter(time) AND ${inTemplates} AND outcome = 'dead_lettered' GROUP BY template
)
GROUP BY template
ORDER BY template`,
      }).overrideByName('template', [{ id: 'links', value: [{ title: 'Open the template dashboard', url: '/d/vigil-${__value.raw}?${__url_time_range}' }] }]),
    )
    .withPanel(
      tablePanel({
        title: 'Latest alerts',
        sql: `SELECT time, template, severity, detector, entity, title
FROM alerts
WHERE $__timeFilter(time) AND ${inTemplates}
ORDER BY time DESC
LIMIT 100`,
      }).overrideByName('entity', [entityLink('${__data.fields.template}', 'detector')]),
    )
    .withPanel(
      tablePanel({
        title: 'Latest dead letters',
        description: 'Where each came from and why; `value` is cut to 200 characters here (dead_letters keeps 16 KiB, the topic all of it).',
        width: 24,
        sql: `SELECT time, template, code, reason, detector, source_topic, source_partition, source_offset, key, substring(value, 1, 200) AS value, value_bytes
FROM dead_letters
WHERE $__timeFilter(time) AND ${inTemplates}
ORDER BY time DESC
LIMIT 100`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Changes made through the API',
        description: 'Rules put and deleted, silences created and expired, acknowledgements: who (the API token\'s name), what, and the state before and after.',
        width: 24,
        sql: `SELECT time, template, actor, role, action, target, before, after
FROM audit_log
WHERE $__timeFilter(time) AND ${inTemplates}
ORDER BY time DESC
LIMIT 100`,
      }),
    );
  return numberPanels(builder.build());
}

/** merge() over the templates' events tables, with each row's template named from its table. */
function eventsOfAllTemplates(templates: readonly DashboardTemplate[]): { source: string; template: string; inTemplates: string } {
  const quote = (text: string) => `'${text}'`;
  const tables = templates.map((t) => t.eventsTable);
  const template = `transform(_table, [${tables.map(quote).join(', ')}], [${templates.map((t) => quote(t.name)).join(', ')}], _table)`;
  return {
    source: `merge(currentDatabase(), '^(${tables.join('|')})$')`,
    template,
    inTemplates: templateIn(template),
  };
}
