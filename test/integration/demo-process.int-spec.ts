import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DemoProcess, summaryCounts } from '../utils/demo-process.js';

const run = promisify(execFile);

/**
 * `npm start` as a user meets it: the demo with its own local broker (KAFKA_BROKERS unset) and its
 * own data directory, started as a terminal starts it and stopped the way Ctrl-C stops it.
 * Each demo here starts a broker JVM: on a busy 2-core machine a run takes up to a minute.
 */
describe('vigil demo in a terminal', () => {
  const demos: DemoProcess[] = [];
  let dataDir: string;

  beforeAll(() => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  });

  beforeEach(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-demo-'));
  });

  afterEach(async () => {
    for (const demo of demos.splice(0)) demo.killAll();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  function start(args: readonly string[], viaNpm = false): DemoProcess {
    const demo = new DemoProcess(args, { dataDir, viaNpm });
    demos.push(demo);
    return demo;
  }

  /** Rows and distinct event ids in the events table, read by `vigil query` once no demo holds the data. */
  async function storedEvents(): Promise<{ n: number; ids: number }> {
    const { stdout } = await run(
      process.execPath,
      [path.resolve('bin/vigil.js'), 'query', 'SELECT toUInt64(count()) AS n, toUInt64(uniqExact(event_id)) AS ids FROM finance_transactions', '--format', 'json'],
      { env: { ...process.env, VIGIL_DATA_DIR: dataDir, VIGIL_API_URL: 'http://127.0.0.1:1', VIGIL_LOG_LEVEL: 'warn' }, timeout: 60_000 },
    );
    const row = JSON.parse(stdout.trim()) as { n: string | number; ids: string | number };
    return { n: Number(row.n), ids: Number(row.ids) };
  }

  it('Ctrl-C (SIGINT to the whole process group) stops it cleanly: exit 0, the broker gone, nothing lost or stored twice', async () => {
    // Through npm, as `npm start` runs it (npm -> sh -> node), when npm is on PATH.
    const viaNpm = DemoProcess.npmAvailable();
    const first = start(['-n', '100000', '--no-keep-running'], viaNpm);
    // Processing: some events stored (the progress line, every 5 s without a terminal).
    await first.waitFor(/stored [1-9]/, 180_000);
    first.interruptGroup();
    const stopped = await first.exit(60_000);
    // npm re-raises the SIGINT it got once its child has finished; node itself exits 0.
    if (viaNpm) expect(stopped.code === 0 || stopped.signal === 'SIGINT').toBe(true);
    else expect(stopped).toMatchObject({ code: 0, signal: null });
    const clean = /Stopped cleanly: sent (\d+) events this run/.exec(stopped.stdout);
    expect(clean).not.toBeNull();
    expect(first.errorLines()).toEqual([]);
    expect(stopped.stderr).not.toContain('exited unexpectedly');
    // The broker JVM and its watchdog went with it (the watchdog removes the temp dir, then exits).
    for (let i = 0; i < 50 && first.leftoverProcesses().length > 0; i++) await sleep(100);
    expect(first.leftoverProcesses()).toEqual([]);

    // Every event sent before the stop is stored exactly once after the next run.
    const sentBefore = Number(clean![1]);
    const second = start(['-n', '500', '--no-keep-running']);
    const finished = await second.exit(240_000);
    expect(finished.code).toBe(0);
    expect(summaryCounts(finished.stdout)).toMatchObject({ sent: 500, late: 0, deadLettered: 0 });
    expect(await storedEvents()).toEqual({ n: sentBefore + 500, ids: sentBefore + 500 });
  }, 600_000);

  it('stops within seconds, with one message, when its broker dies under it', async () => {
    const demo = start(['-n', '100000', '--no-keep-running']);
    await demo.waitFor(/stored [1-9]/, 180_000);
    const brokers = demo.brokerPids();
    expect(brokers).toHaveLength(1);
    process.kill(brokers[0]!, 'SIGKILL');
    const stopped = await demo.exit(30_000);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr.match(/vigil: VIGIL_KAFKA: the local Kafka broker exited unexpectedly \(SIGKILL\); its log: \S+; stopping\./g)).toHaveLength(1);
    // kafkajs may notice the reset connections a moment before the JVM's exit is reported; not after.
    expect(demo.errorLines().length).toBeLessThan(10);
    for (let i = 0; i < 50 && demo.leftoverProcesses().length > 0; i++) await sleep(100);
    expect(demo.leftoverProcesses()).toEqual([]);
  }, 300_000);

  it('runs the social template end to end: findings, and alerts delivered to the local receiver with verified signatures', async () => {
    // The demo's default count (10,000 posts): about 40 minutes of event time in the runs measured
    // around 18:00 UTC, the simulated evening peak; the template's first incident comes at minute 8.
    const demo = start(['--template', 'social', '--no-keep-running']);
    const done = await demo.exit(300_000);
    expect(demo.errorLines()).toEqual([]);
    expect(done.code).toBe(0);
    expect(summaryCounts(done.stdout)).toMatchObject({ sent: 10000, processed: 10000, late: 0, deadLettered: 0 });
    expect(summaryCounts(done.stdout)!.findings).toBeGreaterThan(0);
    expect(done.stdout).toMatch(/\(\d+ labelled incident\)/);
    // Every webhook the receiver got carried a valid signature, and at least one did.
    const delivered = /webhooks delivered (\d+) \(received (\d+), (\d+) with verified signatures\)/.exec(done.stdout);
    expect(delivered).not.toBeNull();
    const [, sent, received, verified] = delivered!.map(Number);
    expect(received).toBeGreaterThan(0);
    expect({ sent, verified }).toEqual({ sent: received, verified: received });
    expect(done.stdout).toMatch(/HIGH +social\/entity_(burst|sentiment) entity=/);
  }, 400_000);

  it('a second run in the same data directory detects again: its events are not behind the first run', async () => {
    const counts = [];
    for (const n of [1500, 1500]) {
      const demo = start(['-n', String(n), '--no-keep-running']);
      const done = await demo.exit(240_000);
      expect(demo.errorLines()).toEqual([]);
      expect(done.code).toBe(0);
      counts.push({ ...summaryCounts(done.stdout), continued: done.stdout.includes('Event time continues after the newest event already in Kafka') });
    }
    expect(counts[0]).toMatchObject({ sent: 1500, processed: 1500, late: 0, continued: false });
    expect(counts[1]).toMatchObject({ sent: 1500, processed: 1500, late: 0, continued: true });
    for (const c of counts) expect(c.findings).toBeGreaterThan(0);
    expect(await storedEvents()).toEqual({ n: 3000, ids: 3000 });
  }, 600_000);
});
