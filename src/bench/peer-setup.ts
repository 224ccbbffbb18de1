import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PeerName } from './bench-options.js';

/**
 * Where the peers of the detect stage live: `../shared/peers` beside the repository (this file
 * runs from dist/bench/), each peer a folder with a `run.sh` (see its README for the contract),
 * and the finance2 template they implement under `kstreams/templates/finance2/`.
 */
export const DEFAULT_PEERS_DIR = fileURLToPath(new URL('../../../shared/peers', import.meta.url));
export const FINANCE2_TEMPLATE = path.join('kstreams', 'templates', 'finance2', 'template.yaml');
/** The peers build and run with these (run.sh runs Maven when its jar is missing or stale). */
const JAVA_TOOLS = ['java', 'mvn'] as const;

export interface PeerSetup {
  /** The finance2 template, or undefined when it is missing (then no peer runs). */
  readonly templateFile: string | undefined;
  /** Peers that can run: their run.sh. */
  readonly runnable: readonly { readonly name: PeerName; readonly script: string }[];
  /** Why the others cannot, one line each, saying what to put where. */
  readonly skipped: readonly string[];
}

/** Checks, without running anything, that the template, the peers' scripts and Java are there. */
export async function findPeers(peersDir: string, names: readonly PeerName[], envPath: string | undefined): Promise<PeerSetup> {
  const templateFile = path.join(peersDir, FINANCE2_TEMPLATE);
  if (!(await exists(templateFile, constants.R_OK))) {
    return {
      templateFile: undefined,
      runnable: [],
      skipped: [`no finance2 template at ${templateFile}: put the peers (kstreams/ and flink/, kstreams/templates/finance2/template.yaml included) in ${peersDir}, or pass --peers-dir; skipping ${names.join(', ')}`],
    };
  }
  const missing = [];
  for (const tool of JAVA_TOOLS) if (!(await onPath(tool, envPath))) missing.push(tool);
  if (missing.length > 0) {
    return { templateFile, runnable: [], skipped: [`${missing.join(' and ')} not found on PATH (the peers need Java 17 and Maven): skipping ${names.join(', ')}`] };
  }
  const runnable = [];
  const skipped = [];
  for (const name of names) {
    const script = path.join(peersDir, name, 'run.sh');
    if (await exists(script, constants.X_OK)) runnable.push({ name, script });
    else skipped.push(`no executable ${script}: put the ${name} peer in ${path.join(peersDir, name)}; skipping ${name}`);
  }
  return { templateFile, runnable, skipped };
}

async function onPath(tool: string, envPath: string | undefined): Promise<boolean> {
  for (const dir of (envPath ?? '').split(path.delimiter).filter((d) => d !== '')) {
    if (await exists(path.join(dir, tool), constants.X_OK)) return true;
  }
  return false;
}

async function exists(file: string, mode: number): Promise<boolean> {
  try {
    await access(file, mode);
    return true;
  } catch {
    return false;
  }
}
