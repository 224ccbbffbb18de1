import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FINANCE2_TEMPLATE, findPeers } from './peer-setup.js';

describe('findPeers', () => {
  let dir: string;
  let bin: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'peer-setup-'));
    bin = path.join(dir, 'bin');
    await mkdir(bin);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const executable = async (file: string) => {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, 0o755);
  };
  const peers = path.join('peers');

  it('skips every peer, saying where the template belongs, when finance2 is missing', async () => {
    const setup = await findPeers(path.join(dir, peers), ['kstreams', 'flink'], bin);
    expect(setup.templateFile).toBeUndefined();
    expect(setup.runnable).toEqual([]);
    expect(setup.skipped).toEqual([expect.stringContaining(path.join(dir, peers, FINANCE2_TEMPLATE))]);
    expect(setup.skipped[0]).toMatch(/skipping kstreams, flink/);
  });

  it('skips every peer, naming what is missing, without Java or Maven on the PATH', async () => {
    await executable(path.join(dir, peers, FINANCE2_TEMPLATE));
    await executable(path.join(bin, 'java'));
    const setup = await findPeers(path.join(dir, peers), ['kstreams'], bin);
    expect(setup.templateFile).toBe(path.join(dir, peers, FINANCE2_TEMPLATE));
    expect(setup.runnable).toEqual([]);
    expect(setup.skipped).toEqual([expect.stringMatching(/^mvn not found on PATH .*skipping kstreams$/)]);
  });

  it('runs the peers whose run.sh is there, and skips the others', async () => {
    await executable(path.join(dir, peers, FINANCE2_TEMPLATE));
    await executable(path.join(bin, 'java'));
    await executable(path.join(bin, 'mvn'));
    await executable(path.join(dir, peers, 'kstreams', 'run.sh'));
    const setup = await findPeers(path.join(dir, peers), ['kstreams', 'flink'], `/nonexistent${path.delimiter}${bin}`);
    expect(setup.runnable).toEqual([{ name: 'kstreams', script: path.join(dir, peers, 'kstreams', 'run.sh') }]);
    expect(setup.skipped).toEqual([expect.stringMatching(/no executable .*flink\/run\.sh.*skipping flink$/)]);
  });
});
