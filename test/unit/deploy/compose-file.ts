import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a Compose file the consistency test reads. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: unknown;
  readonly command?: readonly string[];
  readonly environment?: Readonly<Record<string, string | number | null>>;
  readonly ports?: readonly string[];
  readonly volumes?: readonly string[];
  readonly depends_on?: Readonly<Record<string, { condition: string }>>;
  readonly healthcheck?: { readonly test: readonly string[] };
  readonly profiles?: readonly string[];
  readonly container_name?: string;
  readonly deploy?: unknown;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
}

/** Parsed with YAML merge keys (`<<: *vigil`), as Compose does. */
export function readCompose(file: string): ComposeFile {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as ComposeFile;
}

/** A value as Compose would interpolate it with nothing set in the shell: `${X:-d}` is d, `${X}` is empty. */
export function withDefaults(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name: string, fallback?: string) => fallback ?? '');
}
