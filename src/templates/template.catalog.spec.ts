import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVigilError } from '../errors/vigil-error.js';
import { TemplateCatalog } from './template.catalog.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shipped = path.join(root, 'templates');

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('TemplateCatalog with the shipped templates', () => {
  const catalog = new TemplateCatalog(shipped);

  it('lists the finance template', () => {
    expect(catalog.list()).toContainEqual({
      name: 'finance',
      title: 'Card payments',
      domain: 'finance',
      file: path.join(shipped, 'finance/template.yaml'),
    });
  });

  it('resolves a name, a file path and a folder path to the file', () => {
    const file = path.join(shipped, 'finance/template.yaml');
    expect(catalog.resolve('finance')).toBe(file);
    expect(catalog.resolve(path.relative(process.cwd(), file))).toBe(file);
    expect(catalog.resolve(path.join(shipped, 'finance'))).toBe(file);
  });

  it('an unknown name is VIGIL_TEMPLATE_NOT_FOUND naming what is available', () => {
    const error = thrown(() => catalog.resolve('banking'));
    expect(isVigilError(error, 'VIGIL_TEMPLATE_NOT_FOUND')).toBe(true);
    expect(error.message).toMatch(/^unknown template "banking"; available in .*templates: .*finance/);
  });

  it('a path that does not exist is VIGIL_TEMPLATE_NOT_FOUND', () => {
    const error = thrown(() => catalog.resolve('./nowhere/template.yaml'));
    expect(isVigilError(error, 'VIGIL_TEMPLATE_NOT_FOUND')).toBe(true);
    expect(error.message).toBe('template not found: nowhere/template.yaml');
  });
});

describe('TemplateCatalog with a directory of its own', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'vigil-catalog-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): void => {
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(path.join(dir, name, 'template.yaml'), text);
  };

  it('lists folders holding a template.yaml, sorted, reading only title and domain', () => {
    write('social', 'title: Posts\ndomain: social\nanything: else\n');
    write('health', 'title: Vital signs\ndomain: health\n');
    mkdirSync(path.join(dir, 'notes'));
    writeFileSync(path.join(dir, 'README.md'), '# not a template');
    expect(new TemplateCatalog(dir).list()).toEqual([
      { name: 'health', title: 'Vital signs', domain: 'health', file: path.join(dir, 'health/template.yaml') },
      { name: 'social', title: 'Posts', domain: 'social', file: path.join(dir, 'social/template.yaml') },
    ]);
  });

  it('an unreadable header fails listing with the file named', () => {
    write('broken', 'title: [unclosed\n');
    const error = thrown(() => new TemplateCatalog(dir).list());
    expect(isVigilError(error, 'VIGIL_TEMPLATE_INVALID')).toBe(true);
    expect(error.message).toContain(path.join(dir, 'broken/template.yaml'));
  });

  it('a missing directory has no templates', () => {
    const catalog = new TemplateCatalog(path.join(dir, 'missing'));
    expect(catalog.list()).toEqual([]);
    expect(thrown(() => catalog.resolve('finance')).message).toMatch(/^unknown template "finance"; available in .*: \(none\)$/);
  });
});
