import type { LocalReceiver } from '../alerts/local-receiver.js';
import type { VigilCore } from '../core/vigil-core.js';
import { runReadOnlyQuery } from '../sink/query.service.js';
import type { SimulatorResult } from '../simulate/simulator.js';
import type { Template } from '../model/template/template.schema.js';
import type { DrainResult } from './drain.js';
import type { PipelineCounts } from './pipeline-counts.js';
import { formatTable } from './format-table.js';
import { labelledAs } from './labelled-as.js';

export interface DemoReport {
  readonly sent: SimulatorResult;
  readonly drained: DrainResult;
  readonly receiver: LocalReceiver;
  readonly apiUrl: string;
  readonly receiverLines: readonly string[];
}

/** What the run did, read back from ClickHouse and the receiver, and where to look next. */
export async function printDemoSummary(core: VigilCore, report: DemoReport): Promise<void> {
  const { sent, drained, receiver } = report;
  const c = drained.counts;
  const out = (text = '') => process.stdout.write(`${text}\n`);
  out();
  out(drained.ok ? `Pipeline drained in ${(drained.waitedMs / 1000).toFixed(1)} s after the last event.` : 'Pipeline did NOT drain before the time limit:');
  const labelled = labelledAs(core.template.domain);
  out(`  sent ${sent.events} events (${sent.fraud} labelled ${labelled}) · processed ${c.processed} · late ${c.late} · dead-lettered ${c.deadLetters}`);
  for (const line of skippedReasons(c, core.template)) out(`  ${line}`);
  out(`  findings ${c.findings} · alerts ${c.alerts} · webhooks delivered ${c.delivered} (received ${receiver.received.length}, ${receiver.received.filter((r) => r.verified).length} with verified signatures) · alerts dead-lettered ${c.alertsDeadLettered}${c.grouped > 0 ? ` · ${c.grouped} alerts grouped by their route (sent with their group's notification, after its group_wait)` : ''}${c.suppressed > 0 ? ` · ${c.suppressed} suppressed` : ''}`);
  out(`  stored this run: ${c.storedEvents} events, ${c.storedFindings} findings, ${c.storedAlerts} alerts`);
  const client = core.clickhouse;
  if (client) {
    const table = core.template.tables.events;
    const detection = await runReadOnlyQuery(
      client,
      `WITH fraud AS (SELECT DISTINCT event_key FROM ${table} WHERE JSONExtractBool(raw, '_label', 'fraud')),
            flagged AS (SELECT DISTINCT entity FROM alerts WHERE template = '${core.template.name}')
       SELECT (SELECT count() FROM fraud) AS entities_with_labelled_${labelled},
              (SELECT count() FROM flagged) AS entities_alerted,
              (SELECT count() FROM flagged WHERE entity IN (SELECT event_key FROM fraud)) AS alerted_and_labelled`,
    );
    const latest = await runReadOnlyQuery(
      client,
      `SELECT time, detector, severity, entity, title FROM findings WHERE template = '${core.template.name}' ORDER BY time DESC LIMIT 5`,
    );
    if (detection.format === 'JSONEachRow') out(`\nDetection against the simulator's labels (all data in ClickHouse):\n${formatTable(detection.rows)}`);
    if (latest.format === 'JSONEachRow') out(`Latest findings:\n${formatTable(latest.rows)}`);
  }
  if (report.receiverLines.length > 0) {
    out(`The local receiver printed (last ${Math.min(3, report.receiverLines.length)} of ${report.receiverLines.length}):`);
    for (const line of report.receiverLines.slice(-3)) out(`  ${line}`);
  }
  out('\nWhere to look:');
  out(`  ${report.apiUrl}/status   ${report.apiUrl}/health   ${report.apiUrl}/metrics   ${report.apiUrl}/templates`);
  out(`  node bin/vigil.js query "SELECT severity, count() FROM findings GROUP BY severity"`);
  out(`  node bin/vigil.js query "SELECT * FROM ${core.template.tables.events} ORDER BY event_time DESC LIMIT 10"`);
}

/** Why events skipped the detectors, one line per kind, with where to see them; none when all were processed. */
export function skippedReasons(
  c: Pick<PipelineCounts, 'late' | 'deadLetterReasons'>,
  template: { readonly name: string; readonly event: Pick<Template['event'], 'maxOutOfOrderness' | 'allowedLateness'> },
): string[] {
  const lines: string[] = [];
  if (c.late > 0) {
    const allowed = (template.event.maxOutOfOrderness + template.event.allowedLateness) / 1000;
    lines.push(
      `late ${c.late}: event time more than ${allowed} s behind the newest event already read from their partition, so the detectors skipped them (node bin/vigil.js query "SELECT * FROM late_events WHERE template = '${template.name}' ORDER BY event_time DESC LIMIT 10")`,
    );
  }
  const reasons = Object.entries(c.deadLetterReasons);
  if (reasons.length > 0) {
    lines.push(
      `dead-lettered by reason: ${reasons.map(([code, n]) => `${code} ${n}`).join(', ')} (node bin/vigil.js query "SELECT code, reason, count() FROM dead_letters WHERE template = '${template.name}' GROUP BY code, reason")`,
    );
  }
  return lines;
}
