import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, jest } from '@jest/globals';
import { loadConfig } from '../../src/config/vigil-config.js';
import { isVigilError } from '../../src/errors/vigil-error.js';
import { startLocalBroker } from '../../src/kafka/local-broker.js';

/**
 * The shared broker of global-setup.ts already proves a normal start; these tests start their own
 * (one JVM each, kept to two on purpose: the machine has 2 cores) to check the clean-up contract.
 */
jest.setTimeout(90_000);

const execFileAsync = promisify(execFile);
const cacheDir = loadConfig().kafkaCacheDir;

describe('startLocalBroker', () => {
  it('starts a broker other clients can use, and stop() removes the JVM and its temp dir', async () => {
    const broker = await startLocalBroker({ cacheDir, partitions: 2 });
    const dir = path.dirname(broker.logFile);
    try {
      expect(broker.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
      const { stdout } = await execFileAsync('kcat', ['-L', '-b', broker.brokers[0]!, '-J'], { timeout: 15_000 });
      const metadata = JSON.parse(stdout) as { brokers: { id: number; name: string }[] };
      expect(metadata.brokers).toEqual([{ id: 1, name: broker.brokers[0] }]);
      expect(existsSync(broker.logFile)).toBe(true);
    } finally {
      await broker.stop();
    }
    expect(existsSync(dir)).toBe(false);
    await expect(execFileAsync('kcat', ['-L', '-b', broker.brokers[0]!, '-m', '2'], { timeout: 15_000 })).rejects.toThrow();
    await broker.stop(); // idempotent
  });

  it('fails with VIGIL_BROKER_START naming a log file that outlives the removed temp dir', async () => {
    const error: unknown = await startLocalBroker({ cacheDir, startTimeoutMs: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isVigilError(error, 'VIGIL_BROKER_START')).toBe(true);
    const keptLog = /see (\S+\.log)$/.exec((error as Error).message)?.[1];
    expect(keptLog).toBeDefined();
    try {
      expect(existsSync(keptLog!)).toBe(true);
      expect(existsSync(keptLog!.slice(0, -'.log'.length))).toBe(false);
    } finally {
      rmSync(keptLog!, { force: true });
    }
  });
});
