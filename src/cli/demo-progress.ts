import cliProgress from 'cli-progress';
import type { VigilCore } from '../core/vigil-core.js';
import { pipelineCounts, type PipelineCounts } from './pipeline-counts.js';

/** Events the detectors did not see, shown only when there are any: a run that detects nothing says why. */
export function skippedText(c: Pick<PipelineCounts, 'late' | 'deadLetters'>): string {
  return `${c.late > 0 ? ` | late ${c.late}` : ''}${c.deadLetters > 0 ? ` | dead-lettered ${c.deadLetters}` : ''}`;
}

/** The live line of `npm start`: events sent, processing rate, findings, alerts, stored rows, lag, late and dead-lettered events. */
export class DemoProgress {
  private readonly bar: cliProgress.SingleBar;
  private readonly timer: NodeJS.Timeout;
  private lastProcessed = 0;
  private lastAt = Date.now();
  private stopped = false;

  constructor(
    private readonly core: VigilCore,
    total: number,
  ) {
    this.bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {value}/{total} sent | {rate} ev/s | findings {findings} | alerts {alerts} ({delivered} delivered) | stored {stored} | lag {lag}{skipped}',
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 5_000,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { rate: 0, findings: 0, alerts: 0, delivered: 0, stored: 0, lag: 0, skipped: '' });
    this.timer = setInterval(() => void this.refresh(), 1_000);
  }

  sent(events: number): void {
    this.bar.update(events);
  }

  async refresh(): Promise<void> {
    const c = await pipelineCounts(this.core);
    const now = Date.now();
    const rate = Math.round(((c.processed - this.lastProcessed) * 1000) / Math.max(1, now - this.lastAt));
    if (now - this.lastAt >= 900) {
      this.lastProcessed = c.processed;
      this.lastAt = now;
      this.bar.update({ rate });
    }
    this.bar.update({ findings: c.findings, alerts: c.alerts, delivered: c.delivered, stored: c.storedEvents, lag: c.lag, skipped: skippedText(c) });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.refresh();
    this.bar.stop();
  }
}
