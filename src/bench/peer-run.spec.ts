import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { peerAlertsTopic, runPeer, type PeerRunOptions } from './peer-run.js';

/**
 * A stand-in for a peer's run.sh that keeps its contract: N and the topic as arguments, the rest
 * in the environment, the result in RESULT_JSON.
 */
describe('runPeer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'peer-run-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function peer(body: string): Promise<PeerRunOptions> {
    const script = path.join(dir, 'run.sh');
    await writeFile(script, `#!/usr/bin/env bash\nset -eu\n${body}\n`);
    await chmod(script, 0o755);
    return {
      name: 'kstreams',
      script,
      brokers: ['127.0.0.1:1', '127.0.0.1:2'],
      topic: 'in.topic',
      events: 1234,
      templateName: 'bench_peers_r1_x',
      resultFile: path.join(dir, 'result.json'),
      timeoutMs: 90_500,
      env: { PATH: process.env.PATH },
      signal: AbortSignal.timeout(20_000),
    };
  }

  it('passes the run its events, topic, brokers, template name and limit, and returns RESULT_JSON', async () => {
    const options = await peer(`
echo "$1 $2 $KAFKA_BROKERS $INPUT_TOPIC $TEMPLATE_NAME $TIMEOUT_S" > "${'$'}(dirname "$RESULT_JSON")/seen"
echo '{"ok":true,"events":1234,"seconds":2,"rate":617,"cpuSeconds":3.5,"findings":4,"alerts":1,"appId":"kpeer-1","findingsTopic":"kpeer-1.findings"}' > "$RESULT_JSON"
echo "kstreams: 1234 events"`);
    const result = await runPeer(options);
    expect(result).toMatchObject({ ok: true, rate: 617, cpuSeconds: 3.5, findings: 4, alerts: 1, findingsTopic: 'kpeer-1.findings' });
    expect(peerAlertsTopic(result)).toBe('kpeer-1.alerts');
    expect((await readFile(path.join(dir, 'seen'), 'utf8')).trim()).toBe('1234 in.topic 127.0.0.1:1,127.0.0.1:2 in.topic bench_peers_r1_x 91');
  });

  it("fails with the peer's own error when it reports one", async () => {
    const options = await peer(`echo '{"ok":false,"error":"timed out after 90 s","appId":"a","findingsTopic":"a.findings"}' > "$RESULT_JSON"; exit 1`);
    await expect(runPeer(options)).rejects.toThrow(/kstreams failed: timed out after 90 s/);
  });

  it('fails, saying so, when the run wrote no result', async () => {
    const options = await peer('exit 3');
    await expect(runPeer(options)).rejects.toThrow(/kstreams exited with 3 and wrote no RESULT_JSON/);
  });

  it('kills the whole run, not only the shell, when aborted', async () => {
    const options = await peer(`sleep 30 & echo $! > "${'$'}(dirname "$RESULT_JSON")/pid"; wait`);
    const abort = new AbortController();
    const running = runPeer({ ...options, signal: abort.signal });
    const pidFile = path.join(dir, 'pid');
    let pid: number | undefined;
    for (let i = 0; i < 100 && pid === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      pid = Number(await readFile(pidFile, 'utf8').catch(() => '')) || undefined;
    }
    expect(pid).toBeDefined();
    abort.abort(new Error('stop'));
    await expect(running).rejects.toThrow(/kstreams: aborted/);
    // The sleep was in the script's process group: dead, gone or a zombie nobody reaped yet.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await processState(pid!)).toMatch(/^(gone|Z)$/);
  });
});

/** The state letter in /proc/<pid>/stat (R, S, Z...), or 'gone'. */
async function processState(pid: number): Promise<string> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat === undefined ? 'gone' : (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?');
}
