import type { Notification } from '../notification.js';

/**
 * A notification as a Slack Block Kit message (https://api.slack.com/block-kit): a header, the
 * facts as fields, the values against their thresholds, a button to the dashboard, and the ids in
 * a context line. `text` is the fallback Slack shows in notifications and old clients.
 */
export function slackMessage(notification: Notification): SlackMessage {
  const { alert, explanation, status } = notification;
  const f = alert.finding;
  const state = status === 'firing' ? `${f.severity.toUpperCase()}` : 'RESOLVED';
  const headline = `${state}: ${f.title}`;
  const comparisons = explanation.comparisons.map((c) =>
    c.threshold === undefined ? `• ${escape(c.name)}: *${c.value}*` : `• ${escape(c.name)}: *${c.value}* (threshold ${escape(c.threshold_name ?? c.name)} ${c.threshold})`,
  );
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(headline, 150) } },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Entity*\n${escape(f.entity)}`),
        mrkdwn(`*Detector*\n${escape(f.detector)} (${escape(f.detector_type)} v${escape(f.detector_version)})`),
        mrkdwn(`*Template*\n${escape(alert.template)}`),
        mrkdwn(`*Window*\n${new Date(f.window_start).toISOString()} – ${new Date(f.window_end).toISOString()}`),
      ],
    },
  ];
  if (comparisons.length > 0) blocks.push({ type: 'section', text: mrkdwn(truncate(comparisons.join('\n'), 3000)) });
  if (notification.group) blocks.push({ type: 'section', text: mrkdwn(truncate(groupLines(notification.group), 3000)) });
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open dashboard' }, url: explanation.dashboard_url }],
  });
  blocks.push({ type: 'context', elements: [mrkdwn(`alert ${escape(notification.id)} · fingerprint ${escape(alert.fingerprint)}`)] });
  return { text: truncate(`[${state}] ${alert.template}/${f.detector} ${f.entity}: ${f.title}`, 3000), blocks };
}

/** The group's members, newest last, at most GROUP_LINES of each kind. */
function groupLines(group: NonNullable<Notification['group']>): string {
  const by = Object.entries(group.labels).map(([name, value]) => `${escape(name)}=${escape(value)}`).join(', ');
  const line = (alert: Notification['alert']) => `• ${escape(alert.finding.severity)} ${escape(alert.finding.entity)}: ${escape(alert.finding.title)}`;
  const part = (title: string, alerts: readonly Notification['alert'][]) =>
    alerts.length === 0 ? [] : [`*${alerts.length} ${title}*`, ...alerts.slice(-GROUP_LINES).map(line), ...(alerts.length > GROUP_LINES ? [`… and ${alerts.length - GROUP_LINES} more`] : [])];
  return [`Group ${by}`, ...part('firing', group.firing), ...part('resolved', group.resolved)].join('\n');
}

const GROUP_LINES = 10;

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export type SlackBlock = Readonly<Record<string, unknown>>;

function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

/** Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
