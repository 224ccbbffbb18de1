import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve('bin/vigil.js');
const RECORDER = path.resolve('test/fixtures/loader/record-modules.mjs');
/** Packages that take from a tenth of a second (kafkajs, undici) to half a second (NestJS) to load, needed only by commands that run a pipeline or query. */
const HEAVY = ['@nestjs/core', '@nestjs/common', 'kafkajs', 'chdb', '@clickhouse/client', 'undici', 'prom-client', 'rxjs', 'express'];

/** The npm packages a CLI run loaded, by name, with the run's exit code and output. */
function packagesLoadedBy(args: readonly string[]): { status: number | null; stdout: string; packages: Set<string> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-modules-'));
  const out = path.join(dir, 'modules.txt');
  try {
    const result = spawnSync(process.execPath, ['--import', RECORDER, CLI, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, VIGIL_MODULES_OUT: out, VIGIL_LOG_LEVEL: 'warn' },
    });
    const urls = readFileSync(out, 'utf8').split('\n');
    const packages = new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
    return { status: result.status, stdout: result.stdout, packages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('vigil starts light', () => {
  beforeAll(() => {
    if (!existsSync(path.resolve('dist/cli/main.js'))) throw new Error('dist/ is missing: npm test builds it; run `npm run build`');
  });

  it.each(['--help', 'run --help', 'demo --help', 'templates --help', 'ack --help'])('vigil %s loads only commander (and reflect-metadata)', (args) => {
    const run = packagesLoadedBy(args.split(' '));
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: vigil /);
    expect([...run.packages].sort()).toEqual(['commander', 'reflect-metadata']);
  });

  it('vigil templates list loads none of the heavy packages (NestJS, Kafka, ClickHouse, HTTP client)', () => {
    const run = packagesLoadedBy(['templates', 'list']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^finance\s/m);
    expect(run.packages).toContain('zod');
    expect(HEAVY.filter((name) => run.packages.has(name))).toEqual([]);
  });
});
