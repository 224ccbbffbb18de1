import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Logger } from '../logging/logger.js';
import { VigilError } from '../errors/vigil-error.js';

const execFileAsync = promisify(execFile);

/** The jar folder stamp: the pom's hash, written last, so a half-copied folder is never trusted. */
const STAMP_FILE = '.vigil-pom.sha256';
const MVN_TIMEOUT_MS = 10 * 60_000;

export interface KafkaJars {
  /** Apache Kafka version, read from tools/kafka/pom.xml. */
  readonly version: string;
  /** Folder holding every runtime jar of the broker (a `java -cp '<libsDir>/*'` classpath). */
  readonly libsDir: string;
}

/**
 * The folder holding Vigil's package.json, found by walking up from this module, so the same code
 * works from src/ (jest) and from dist/ (compiled).
 */
export function findPackageRoot(fromUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new VigilError('VIGIL_BROKER_START', `no package.json above ${fileURLToPath(fromUrl)}`);
    }
    dir = parent;
  }
}

export function kafkaPomPath(): string {
  return path.join(findPackageRoot(), 'tools', 'kafka', 'pom.xml');
}

/**
 * Makes sure `<cacheDir>/kafka-<version>/libs` holds the broker jars resolved from tools/kafka/pom.xml.
 * Idempotent and offline once done: Maven runs only when the folder is missing or was filled from a
 * different pom. Maven writes into a sibling folder that is renamed into place, so an interrupted
 * download never leaves a folder that looks complete.
 */
export interface EnsureJarsOptions {
  readonly logger?: Logger;
  /** Plain lines for a person watching (Maven's first run takes about half a minute), e.g. the demo's terminal. */
  notice?(line: string): void;
}

export async function ensureKafkaJars(cacheDir: string, options: EnsureJarsOptions = {}): Promise<KafkaJars> {
  const pomPath = kafkaPomPath();
  const pom = await fs.readFile(pomPath, 'utf8');
  const version = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom)?.[1];
  if (!version) throw new VigilError('VIGIL_BROKER_START', `${pomPath}: no <kafka.version> property`);
  const hash = createHash('sha256').update(pom).digest('hex');
  const libsDir = path.join(path.resolve(cacheDir), `kafka-${version}`, 'libs');

  if ((await readStamp(libsDir)) === hash) return { version, libsDir };

  const staging = `${libsDir}.tmp-${process.pid}-${Date.now()}`;
  options.logger?.info({ version, libsDir }, 'fetching Kafka broker jars with Maven');
  options.notice?.(`Fetching the Kafka ${version} broker jars with Maven (first run only, about 30 s)…`);
  const started = Date.now();
  try {
    await runMaven(pomPath, staging);
    if (!existsSync(path.join(staging, `kafka_2.13-${version}.jar`))) {
      throw new VigilError('VIGIL_BROKER_START', `mvn finished but ${staging} has no kafka_2.13-${version}.jar`);
    }
    await fs.writeFile(path.join(staging, STAMP_FILE), hash);
    await fs.rm(libsDir, { recursive: true, force: true });
    await fs.rename(staging, libsDir);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    options.logger?.info({ version, libsDir, seconds }, 'fetched Kafka broker jars');
    options.notice?.(`Fetched the Kafka ${version} broker jars in ${seconds} s (cached in ${libsDir}).`);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    // Another process may have completed the same download meanwhile (the rename lost the race).
    if ((await readStamp(libsDir)) === hash) return { version, libsDir };
    throw error;
  }
  return { version, libsDir };
}

async function readStamp(libsDir: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(path.join(libsDir, STAMP_FILE), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function runMaven(pomPath: string, outputDir: string): Promise<void> {
  const args = [
    '-B',
    '-q',
    '-f',
    pomPath,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDir}`,
    '-DincludeScope=runtime',
  ];
  try {
    // The environment passed explicitly: the caller's (a test's too) PATH decides which mvn runs.
    await execFileAsync('mvn', args, { env: process.env, timeout: MVN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new VigilError(
        'VIGIL_BROKER_START',
        'mvn (Apache Maven) is not on PATH; it is needed once to fetch the Kafka jars (or set KAFKA_BROKERS to use an existing broker)',
        { cause: error },
      );
    }
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new VigilError('VIGIL_BROKER_START', `mvn could not fetch the Kafka jars (${e.message.split('\n')[0]})\n${output}`, {
      retryable: true,
      cause: error,
    });
  }
}
