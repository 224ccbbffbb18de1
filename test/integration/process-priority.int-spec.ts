import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTopic, testBrokers } from '../utils/kafka.js';
import { isolatedFinanceTemplate } from '../utils/pipeline.js';
import { VigilProcess } from '../utils/vigil-process.js';

/** Name and niceness of every thread of a process (comm; field 19 of /proc/<pid>/task/<tid>/stat). */
async function threadNiceness(pid: number): Promise<{ name: string; nice: number }[]> {
  const tids = await fs.readdir(`/proc/${pid}/task`);
  const threads = await Promise.all(
    tids.map(async (tid) => {
      const stat = await fs.readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined);
      if (stat === undefined) return undefined;
      // The name sits in parentheses and may hold spaces; the fields after it start at field 3.
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      return { name, nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]) };
    }),
  );
  return threads.filter((t) => t !== undefined);
}

/**
 * ClickHouse's memory worker raises its own priority to -20 when it may (it runs as root here): the
 * engine's choice for a thread that only samples memory, made after ours.
 */
const ENGINE_RAISED = new Set(['MemoryWorker']);

describe('CPU priority of `vigil run` processes', () => {
  it('a sink-only process runs every thread at VIGIL_SINK_NICE; a detect process stays at normal priority', async () => {
    const { file, prefix } = await isolatedFinanceTemplate();
    await createTopic(`${prefix}.transactions`, 2);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-nice-'));
    const env = { KAFKA_BROKERS: testBrokers().join(','), VIGIL_DATA_DIR: dataDir, CLICKHOUSE_DATABASE: `${prefix}_nice`, VIGIL_API_PORT: '0', VIGIL_SINK_NICE: '7' };
    const sink = new VigilProcess(['--template', file, '--services', 'sink,api'], env);
    const detect = new VigilProcess(['--template', file, '--services', 'detect'], env);
    try {
      await Promise.all([sink.start(), detect.start()]);
      const sinkThreads = await threadNiceness(sink.pid!);
      // Node's own threads and the embedded engine's pools, merges among them.
      expect(sinkThreads.map((t) => t.name)).toEqual(expect.arrayContaining(['MainThread', 'libuv-worker', 'MergeMutate']));
      // Lowering never raises: started from an already nicer shell, threads keep that niceness.
      const normal = os.getPriority();
      const expected = Math.max(7, normal);
      expect(sinkThreads.filter((t) => t.nice !== expected && !(ENGINE_RAISED.has(t.name) && t.nice < expected))).toEqual([]);
      if (normal < 7) expect(sink.log.find((line) => line.includes('vigil is running'))).toContain('"nice":7');
      expect((await threadNiceness(detect.pid!)).filter((t) => t.nice !== normal)).toEqual([]);
    } finally {
      await Promise.all([sink.stop(), detect.stop()]);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
