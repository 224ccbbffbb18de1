import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { alertAnnotations } from '../../../dashboards/annotations.js';
import type { DashboardTemplate } from '../../../dashboards/dashboard-template.js';
import { entityLink } from '../../../dashboards/entity-links.js';
import { barChartPanel, statPanel, tablePanel, timeSeriesPanel } from '../../../dashboards/panels.js';
import { detectorIn, entityIs, TEMPLATE_IS } from '../../../dashboards/sql-filters.js';
import type { TemplateDashboardModule } from '../../../dashboards/template-dashboard.js';
import { detectorVariable, entityVariable, templateConstant } from '../../../dashboards/variables.js';
import { numberPanels, templateDashboardUid, vigilDashboard } from '../../../dashboards/vigil-dashboard.js';
import {
  alertExplanationsSql, alertPostsSql, emergingFromFindingsSql, emergingHashtagsSql, postsPerEntitySql, sentimentPerEntitySql, trendingFromFindingsSql, volumeBandSql,
} from './social.sql.js';

/**
 * Social listening. Columns are the social template's canonical field names (entity, author,
 * hashtags, sentiment), which stay fixed when users remap their own posts. An entity is what posts
 * are about (the stream's key); the entity filter applies to posts and findings alike.
 */
export const socialDashboard: TemplateDashboardModule = {
  template: 'social',
  build: buildSocialDashboard,
};

function buildSocialDashboard(template: DashboardTemplate): Dashboard {
  const events = template.eventsTable;
  const detector = detectorIn();
  const entity = entityIs('entity');
  const posts = `FROM ${events} WHERE $__timeFilter(event_time) AND ${entity}`;
  const builder = vigilDashboard(templateDashboardUid(template.name), `Vigil · ${template.title}`)
    .description('Posts per entity against their expected band, sentiment over time, trending and emerging hashtags, and alerts with their posts.')
    .withVariable(templateConstant(template.name))
    .withVariable(detectorVariable())
    .withVariable(entityVariable('An entity (a brand, a topic: what posts are about); empty for all.'))
    .annotation(alertAnnotations(TEMPLATE_IS, detector, entity))
    .withPanel(statPanel({ title: 'Posts', sql: `SELECT count() AS posts ${posts}` }))
    .withPanel(statPanel({ title: 'Authors', sql: `SELECT uniqExact(author) AS authors ${posts}` }))
    .withPanel(
      statPanel({
        title: 'Mean sentiment',
        description: 'Mean of the posts’ sentiment scores, from -1 (negative) to 1 (positive).',
        sql: `SELECT round(avg(ifNull(sentiment, 0)), 3) AS mean_sentiment ${posts}`,
      }),
    )
    .withPanel(statPanel({ title: 'Alerts', sql: `SELECT count() AS alerts FROM alerts WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${entity}` }))
    .withPanel(timeSeriesPanel({ title: 'Posts per entity', description: 'The ten busiest entities of the range.', sql: postsPerEntitySql(events, entity) }))
    .withPanel(
      timeSeriesPanel({
        title: 'Volume and its expected band',
        description:
          'Posts per interval (of the entity chosen, or all), the band of the previous 30 intervals’ mean ± 3 standard deviations, and the posts that lie in a bucket a volume-anomaly detector flagged (each post once, whichever detectors flagged it).',
        sql: volumeBandSql(events, entity, detector),
      }),
    )
    .withPanel(
      timeSeriesPanel({ title: 'Sentiment per entity', description: 'Mean sentiment of the ten busiest entities, -1 to 1.', sql: sentimentPerEntitySql(events, entity) }),
    )
    .withPanel(
      timeSeriesPanel({
        title: 'Negative and positive posts',
        unit: 'percent',
        sql: `SELECT $__timeInterval(event_time) AS time,
  round(100 * countIf(sentiment < -0.05) / count(), 2) AS negative_pct,
  round(100 * countIf(sentiment > 0.05) / count(), 2) AS positive_pct
${posts}
GROUP BY time
ORDER BY time`,
      }),
    )
    .withPanel(
      barChartPanel({
        title: 'Trending hashtags',
        description: 'Hashtags by posts in the range.',
        sql: `SELECT hashtag, count() AS posts, uniqExact(author) AS authors
FROM ${events}
ARRAY JOIN hashtags AS hashtag
WHERE $__timeFilter(event_time) AND ${entity}
GROUP BY hashtag
ORDER BY posts DESC
LIMIT 20`,
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Emerging hashtags',
        description: 'Hashtags whose rate in the 15 minutes before the newest post is far above their rate earlier in the range (lift: recent rate ÷ earlier rate).',
        sql: emergingHashtagsSql(events, entity),
      }),
    )
    .withPanel(
      barChartPanel({
        title: 'Trending terms (detector)',
        description: 'What the trending_terms detector reported: each item’s counts summed over its per-entity windows in the range (Space-Saving counts, at most the true count plus its error).',
        sql: trendingFromFindingsSql(entity, detector),
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Emerging terms (detector)',
        description: 'Findings of the emerging_terms detector: an item far above its own baseline for an entity.',
        sql: emergingFromFindingsSql(entity, detector),
      }),
    )
    .withPanel(
      tablePanel({
        title: 'Entities',
        sql: `SELECT entity, count() AS posts, uniqExact(author) AS authors, round(avg(ifNull(sentiment, 0)), 3) AS mean_sentiment,
  round(100 * countIf(sentiment < -0.05) / count(), 1) AS negative_pct, sum(ifNull(reposts, 0)) AS reposts
${posts}
GROUP BY entity
ORDER BY posts DESC
LIMIT 50`,
      }).overrideByName('entity', [entityLink(template.name)]),
    )
    .withPanel(
      tablePanel({
        title: 'Detectors',
        sql: `SELECT detector, detector_type, count() AS findings, uniqExact(entity) AS entities, round(max(score), 3) AS max_score, max(time) AS last_finding
FROM findings
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${entity}
GROUP BY detector, detector_type
ORDER BY findings DESC`,
      }),
    )
    .withPanel(
      tablePanel({ title: 'Alerts and why they fired', width: 24, height: 8, sql: alertExplanationsSql(entity, detector) }).overrideByName('entity', [
        entityLink(template.name, 'detector'),
      ]),
    )
    .withPanel(tablePanel({ title: 'Alerts with their posts', width: 24, height: 10, sql: alertPostsSql(events, entity, detector) }))
    .withPanel(
      tablePanel({
        title: 'Most negative posts',
        width: 24,
        sql: `SELECT event_time AS time, entity, author, text, round(sentiment, 3) AS sentiment, event_id AS post_id
${posts} AND sentiment < -0.05
ORDER BY sentiment, time DESC
LIMIT 50`,
      }),
    );
  return numberPanels(builder.build());
}
