import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describeError, VigilError } from '../errors/vigil-error.js';
import { type Template, templateSchema } from '../model/template/template.schema.js';
import { displayPath } from '../model/template/template-problems.js';

export interface TemplateSummary {
  /** The folder name, which is what `resolve` accepts. */
  readonly name: string;
  readonly title: string;
  readonly domain: Template['domain'];
  /** Absolute path of the template.yaml. */
  readonly file: string;
}

export const TEMPLATE_FILE = 'template.yaml';

/** Loose on purpose: other keys are the loader's business. */
const summarySchema = z.object({ title: templateSchema.shape.title, domain: templateSchema.shape.domain });

/**
 * The templates shipped in (or added to) a directory laid out as `<dir>/<name>/template.yaml`.
 * Listing reads only each template's title and domain: full validation needs the detector
 * registry and the environment, and is the loader's job. Reads are synchronous because the
 * catalog is used at start-up and by the CLI, never on a hot path.
 */
export class TemplateCatalog {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /** Sorted by name. Folders without a template.yaml are not templates and are skipped. */
  list(): TemplateSummary[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(this.dir, entry.name, TEMPLATE_FILE)))
      .map((entry) => entry.name)
      .sort()
      .map((name) => this.summary(name));
  }

  /**
   * A template name in this directory (`finance`), or a path to a YAML file or to a folder holding
   * a template.yaml; returns the absolute path of the file. Anything with a path separator or a
   * .yaml/.yml suffix is a path, relative to the working directory.
   */
  resolve(nameOrPath: string): string {
    if (looksLikePath(nameOrPath)) {
      const target = path.resolve(nameOrPath);
      const file = isDirectory(target) ? path.join(target, TEMPLATE_FILE) : target;
      if (!isFile(file)) throw new VigilError('VIGIL_TEMPLATE_NOT_FOUND', `template not found: ${displayPath(file)}`);
      return file;
    }
    const file = path.join(this.dir, nameOrPath, TEMPLATE_FILE);
    if (/^[A-Za-z0-9_.-]+$/.test(nameOrPath) && isFile(file)) return file;
    const names = this.list().map((template) => template.name);
    throw new VigilError(
      'VIGIL_TEMPLATE_NOT_FOUND',
      `unknown template "${nameOrPath}"; available in ${displayPath(this.dir)}: ${names.length === 0 ? '(none)' : names.join(', ')}`,
    );
  }

  private summary(name: string): TemplateSummary {
    const file = path.join(this.dir, name, TEMPLATE_FILE);
    let data: unknown;
    try {
      data = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new VigilError('VIGIL_TEMPLATE_INVALID', `${displayPath(file)}: ${describeError(error).split('\n')[0]}`, { cause: error });
    }
    const parsed = summarySchema.safeParse(data);
    if (!parsed.success) {
      throw new VigilError('VIGIL_TEMPLATE_INVALID', `${displayPath(file)}: expected a title and a domain (run the loader for details)`);
    }
    return { name, title: parsed.data.title, domain: parsed.data.domain, file };
  }
}

/** True for what `resolve` takes as a path rather than a template name. */
export function looksLikePath(text: string): boolean {
  return text.includes('/') || text.includes(path.sep) || /\.ya?ml$/i.test(text) || text === '.' || text === '..';
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

function isDirectory(file: string): boolean {
  return existsSync(file) && statSync(file).isDirectory();
}
