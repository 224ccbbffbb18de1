import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { ensureKafkaJars, findPackageRoot, kafkaPomPath } from './kafka-jars.js';

describe('findPackageRoot', () => {
  it('finds the folder with package.json above this module, and the Kafka pom in it', () => {
    const root = findPackageRoot();
    expect(existsSync(path.join(root, 'package.json'))).toBe(true);
    expect(existsSync(kafkaPomPath())).toBe(true);
    expect(kafkaPomPath()).toBe(path.join(root, 'tools', 'kafka', 'pom.xml'));
  });

  it('throws VIGIL_BROKER_START when there is no package.json up to the file system root', () => {
    expect(() => findPackageRoot(pathToFileURL('/nonexistent-dir/x/y.js').href)).toThrow(
      expect.objectContaining({ code: 'VIGIL_BROKER_START' }),
    );
  });
});

describe('ensureKafkaJars', () => {
  it('tells a person watching that Maven is fetching the jars, and when it is done; nothing once cached', async () => {
    const version = /<kafka\.version>\s*([^<\s]+)/.exec(readFileSync(kafkaPomPath(), 'utf8'))![1]!;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vigil-jars-'));
    const originalPath = process.env.PATH;
    try {
      // A stand-in for Maven: writes the broker jar where dependency:copy-dependencies would.
      const bin = path.join(dir, 'bin');
      await fs.mkdir(bin);
      const script = `#!/bin/sh\nfor a in "$@"; do case "$a" in -DoutputDirectory=*) out="\${a#-DoutputDirectory=}";; esac; done\nmkdir -p "$out" && touch "$out/kafka_2.13-${version}.jar"\n`;
      await fs.writeFile(path.join(bin, 'mvn'), script, { mode: 0o755 });
      process.env.PATH = `${bin}${path.delimiter}${originalPath ?? ''}`;
      const lines: string[] = [];
      const jars = await ensureKafkaJars(path.join(dir, 'cache'), { notice: (line) => lines.push(line) });
      expect(existsSync(path.join(jars.libsDir, `kafka_2.13-${version}.jar`))).toBe(true);
      expect(lines).toEqual([
        `Fetching the Kafka ${version} broker jars with Maven (first run only, about 30 s)…`,
        expect.stringMatching(new RegExp(`^Fetched the Kafka ${version.replaceAll('.', '\\.')} broker jars in \\d+\\.\\d s `)),
      ]);
      lines.length = 0;
      await ensureKafkaJars(path.join(dir, 'cache'), { notice: (line) => lines.push(line) });
      expect(lines).toEqual([]);
    } finally {
      process.env.PATH = originalPath;
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
