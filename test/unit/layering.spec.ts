import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The layering rules of docs/architecture.md, checked on every src file's import specifiers
 * (static imports, `export … from`, dynamic `import()`, type-only imports included):
 * - model/ imports nothing above it: only model/, node built-ins, packages and errors/ (the typed
 *   errors its codecs throw), which itself imports nothing from src/;
 * - runtime/ is the engine only: no kafkajs and nothing from src/kafka;
 * - a domain imports no other domain;
 * - no two top-level folders of src/ import each other (specs beside the code may borrow another
 *   folder's testing/ helpers, so this rule reads the non-spec files);
 * - no src file imports test/.
 */

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');

interface Edge {
  from: string; // path relative to the repository root, with '/'
  specifier: string;
  to: string | undefined; // resolved path relative to the root for relative specifiers
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function specifiers(path: string): string[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const posix = (path: string): string => path.split(sep).join('/');

const edges: Edge[] = sourceFiles(src).flatMap((path) =>
  specifiers(path).map((specifier) => ({
    from: posix(relative(root, path)),
    specifier,
    to: specifier.startsWith('.') ? posix(relative(root, resolve(dirname(path), specifier))) : undefined,
  })),
);

const productionEdges = edges.filter((edge) => !edge.from.endsWith('.spec.ts'));

/** `src/<folder>/…` → folder; files directly in src/ have none. */
function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : undefined;
}

function domainOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === 'src' && parts[1] === 'domains' && parts.length > 3 ? parts[2] : undefined;
}

const show = (edge: Edge): string => `${edge.from} → ${edge.specifier}`;

/** Pairs of top-level folders that import each other, each with one import line per direction. */
function folderCycles(all: readonly Edge[]): string[] {
  const imports = new Map<string, Edge>();
  for (const edge of all) {
    const from = folderOf(edge.from);
    const to = edge.to && folderOf(edge.to);
    if (from && to && from !== to && !imports.has(`${from}>${to}`)) imports.set(`${from}>${to}`, edge);
  }
  const cycles: string[] = [];
  for (const [pair, edge] of imports) {
    const [from, to] = pair.split('>') as [string, string];
    const back = imports.get(`${to}>${from}`);
    if (back && from < to) cycles.push(`${from} ↔ ${to} (${show(edge)}; ${show(back)})`);
  }
  return cycles.sort();
}

describe('layering', () => {
  it('finds the imports it checks', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((edge) => edge.specifier === 'kafkajs')).toBe(true);
  });

  it('model/ imports only model/, errors/, node built-ins and packages; errors/ nothing from src/', () => {
    const bad = edges.filter((edge) => {
      const to = edge.to && folderOf(edge.to);
      if (folderOf(edge.from) === 'model') return to !== undefined && to !== 'model' && to !== 'errors';
      return folderOf(edge.from) === 'errors' && to !== undefined && to !== 'errors';
    });
    expect(bad.map(show)).toEqual([]);
  });

  it('runtime/ imports no Kafka client (no kafkajs, nothing from src/kafka)', () => {
    const bad = edges.filter(
      (edge) =>
        folderOf(edge.from) === 'runtime' &&
        (edge.specifier === 'kafkajs' || edge.specifier.startsWith('@platformatic/kafka') || (edge.to !== undefined && folderOf(edge.to) === 'kafka')),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it('a domain imports no other domain', () => {
    const bad = edges.filter((edge) => {
      const from = domainOf(edge.from);
      const to = edge.to && domainOf(edge.to);
      return from && to && from !== to;
    });
    expect(bad.map(show)).toEqual([]);
  });

  it('no two top-level folders of src/ import each other', () => {
    expect(folderCycles(productionEdges)).toEqual([]);
  });

  it('no src file imports test/', () => {
    const bad = edges.filter((edge) => edge.to?.startsWith('test/'));
    expect(bad.map(show)).toEqual([]);
  });
});
