import { TEMPLATE_IS } from '../../../dashboards/sql-filters.js';

/**
 * The social dashboard's longer queries. `events` is the template's events table (canonical
 * columns: entity, author, text, hashtags, sentiment…), `entity` and `detector` the dashboard's
 * filters (sql-filters.ts).
 */

/** Entities drawn as their own series: the busiest in the range. */
const TOP_ENTITIES = 10;
/** Intervals before a band is drawn: fewer say nothing about an entity's spread. */
const BAND_MIN_INTERVALS = 5;
/** Intervals of history the expected band is computed from. */
const BAND_HISTORY = 30;
/** Minutes before the newest post that count as "now" for emerging hashtags. */
const RECENT_MINUTES = 15;

/** Posts per interval for the busiest entities, one series per entity. */
export function postsPerEntitySql(events: string, entity: string): string {
  return `SELECT $__timeInterval(event_time) AS time, entity, count() AS posts
FROM ${events}
WHERE $__timeFilter(event_time) AND ${entity}
  AND entity IN (SELECT entity FROM ${events} WHERE $__timeFilter(event_time) AND ${entity} GROUP BY entity ORDER BY count() DESC LIMIT ${TOP_ENTITIES})
GROUP BY time, entity
ORDER BY time`;
}

/**
 * Posts per interval against an expected band (the mean of the previous intervals ± 3 standard
 * deviations, drawn from the 5th interval on), and how many of them lie in a bucket a
 * volume-anomaly detector flagged for their entity. Each post counts once however many detectors
 * flagged it and whatever their bucket widths, so with all detectors chosen a 1-minute and a
 * 5-minute finding over the same minute are not added up, and flagged posts never exceed posts.
 */
export function volumeBandSql(events: string, entity: string, detector: string): string {
  return `SELECT v.time AS time, v.posts AS posts,
  if(v.n < ${BAND_MIN_INTERVALS}, NULL, round(greatest(0, v.mean - 3 * v.sd), 2)) AS band_low,
  if(v.n < ${BAND_MIN_INTERVALS}, NULL, round(v.mean + 3 * v.sd, 2)) AS band_high,
  v.flagged_posts AS flagged_posts
FROM (
  SELECT time, posts, flagged_posts, count() OVER w AS n, avg(posts) OVER w AS mean, stddevPop(posts) OVER w AS sd
  FROM (
    SELECT $__timeInterval(p.event_time) AS time, toFloat64(count()) AS posts,
      nullIf(toFloat64(countIf(p.event_time < s.span_end)), 0) AS flagged_posts
    FROM (SELECT entity, event_time FROM ${events} WHERE $__timeFilter(event_time) AND ${entity}) AS p
    ASOF LEFT JOIN (${flaggedSpansSql(detector, entity)}) AS s ON p.entity = s.entity AND p.event_time >= s.span_start
    GROUP BY time
  )
  WINDOW w AS (ORDER BY time ROWS BETWEEN ${BAND_HISTORY} PRECEDING AND 1 PRECEDING)
) AS v
ORDER BY time
SETTINGS join_use_nulls = 1`;
}

/**
 * The volume-anomaly findings' buckets, per entity, merged where they overlap or touch into
 * disjoint spans [span_start, span_end), so a post is in at most one: the latest span starting at
 * or before it (an ASOF join) holds it when it ends after it.
 */
function flaggedSpansSql(detector: string, entity: string): string {
  return `SELECT entity, min(window_start) AS span_start, max(window_end) AS span_end
    FROM (
      SELECT entity, window_start, window_end, sum(starts_span) OVER (PARTITION BY entity ORDER BY window_start, window_end ROWS UNBOUNDED PRECEDING) AS span
      FROM (
        SELECT entity, window_start, window_end,
          window_start > max(window_end) OVER (PARTITION BY entity ORDER BY window_start, window_end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS starts_span
        FROM findings
        WHERE ${TEMPLATE_IS} AND detector_type = 'volume_anomaly' AND window_end > $__fromTime AND window_start <= $__toTime AND ${detector} AND ${entity}
      )
    )
    GROUP BY entity, span`;
}

/** Mean sentiment per interval for the busiest entities, one series per entity. */
export function sentimentPerEntitySql(events: string, entity: string): string {
  return `SELECT $__timeInterval(event_time) AS time, entity, round(avg(ifNull(sentiment, 0)), 3) AS mean_sentiment
FROM ${events}
WHERE $__timeFilter(event_time) AND ${entity}
  AND entity IN (SELECT entity FROM ${events} WHERE $__timeFilter(event_time) AND ${entity} GROUP BY entity ORDER BY count() DESC LIMIT ${TOP_ENTITIES})
GROUP BY time, entity
ORDER BY time`;
}

/**
 * Hashtags whose rate in the last minutes before the newest post is far above their rate earlier
 * in the range (+1 smoothing, so a tag never seen before rises by its recent count).
 */
export function emergingHashtagsSql(events: string, entity: string): string {
  return `WITH (SELECT max(event_time) FROM ${events} WHERE $__timeFilter(event_time) AND ${entity}) AS newest,
  newest - INTERVAL ${RECENT_MINUTES} MINUTE AS split,
  greatest(1, dateDiff('minute', $__fromTime, split)) AS earlier_minutes
SELECT hashtag, countIf(event_time >= split) AS recent_posts, countIf(event_time < split) AS earlier_posts,
  round(recent_posts / ${RECENT_MINUTES}, 2) AS recent_per_minute, round(earlier_posts / earlier_minutes, 3) AS earlier_per_minute,
  round((recent_posts + 1) / ${RECENT_MINUTES} / ((earlier_posts + 1) / earlier_minutes), 1) AS lift,
  uniqExactIf(author, event_time >= split) AS recent_authors
FROM ${events}
ARRAY JOIN hashtags AS hashtag
WHERE $__timeFilter(event_time) AND ${entity}
GROUP BY hashtag
HAVING recent_posts >= 3
ORDER BY lift DESC, recent_posts DESC
LIMIT 20`;
}

/** Every alert with the posts its finding names: the evidence a social team reads first. */
export function alertPostsSql(events: string, entity: string, detector: string): string {
  return `SELECT a.time AS time, a.severity AS severity, a.detector AS detector, a.entity AS entity, a.title AS title,
  p.author AS author, p.text AS post, round(p.sentiment, 3) AS sentiment, a.post_id AS post_id, a.id AS alert_id
FROM (
  SELECT id, time, severity, detector, entity, title, arrayJoin(JSONExtract(finding, 'event_ids', 'Array(String)')) AS post_id
  FROM alerts
  WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${entity}
) AS a
LEFT JOIN (
  SELECT event_id, author, text, sentiment FROM ${events}
  WHERE event_time >= $__fromTime - INTERVAL 1 DAY AND event_time <= $__toTime
) AS p ON p.event_id = a.post_id
ORDER BY time DESC, alert_id, post_id
LIMIT 500`;
}

/** An alert's values and thresholds as text, largest value first ("value 120, baseline 11, …"). */
export function alertExplanationsSql(entity: string, detector: string): string {
  return `WITH
  JSONExtract(finding, 'values', 'Map(String, Float64)') AS vals,
  JSONExtract(finding, 'thresholds', 'Map(String, Float64)') AS limits,
  arraySort(kv -> -kv.2, arrayZip(mapKeys(vals), mapValues(vals))) AS ordered
SELECT time, severity, detector, entity, title,
  arrayStringConcat(arrayMap(kv -> concat(kv.1, ' ', toString(round(kv.2, 3))), ordered), ', ') AS explanation,
  arrayStringConcat(arrayMap((k, x) -> concat(k, ' ', toString(x)), mapKeys(limits), mapValues(limits)), ', ') AS thresholds,
  id AS alert_id
FROM alerts
WHERE ${TEMPLATE_IS} AND $__timeFilter(time) AND ${detector} AND ${entity}
ORDER BY time DESC
LIMIT 200`;
}

/** Items of the trending_terms detector's reports (values `count:<item>`), summed over its reports in the range. */
export function trendingFromFindingsSql(entity: string, detector: string): string {
  return `SELECT substring(item, 7) AS term, sum(n) AS count, uniqExact(entity) AS entities
FROM findings
ARRAY JOIN mapKeys(values) AS item, mapValues(values) AS n
WHERE ${TEMPLATE_IS} AND detector_type = 'trending_terms' AND $__timeFilter(time) AND ${detector} AND ${entity} AND startsWith(item, 'count:')
GROUP BY term
ORDER BY count DESC
LIMIT 20`;
}

/** The emerging_terms detector's findings: the item (from the title, "<item> is emerging for …"), its count against its baseline. */
export function emergingFromFindingsSql(entity: string, detector: string): string {
  return `SELECT time, entity, extract(title, '^(.+?) is emerging for ') AS term, values['count'] AS count, values['baseline'] AS usual,
  values['ratio'] AS ratio, severity, detector
FROM findings
WHERE ${TEMPLATE_IS} AND detector_type = 'emerging_terms' AND $__timeFilter(time) AND ${detector} AND ${entity}
ORDER BY time DESC
LIMIT 100`;
}
