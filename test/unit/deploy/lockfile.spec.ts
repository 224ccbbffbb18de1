import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm ci` (the Dockerfile's install, and .ci/run's lock check) refuses a lock file that lacks an
 * entry for any dependency a locked package declares, optional platform builds included, even those
 * it would never install on this machine. `npm install` does not mind, so nothing else notices.
 */
interface LockEntry {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
const packages = lock.packages;

/** Node's lookup: node_modules/<name> beside the dependant, then in each folder above it. */
function resolves(dependant: string, name: string): boolean {
  let dir = dependant;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return true;
    if (dir === '') return false;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent < 0 ? '' : dir.slice(0, parent);
  }
}

function unresolved(kind: 'dependencies' | 'optionalDependencies'): string[] {
  const missing: string[] = [];
  for (const [location, entry] of Object.entries(packages)) {
    for (const name of Object.keys(entry[kind] ?? {})) {
      if (!resolves(location, name)) missing.push(`${location || '(root)'} -> ${name}`);
    }
  }
  return missing;
}

describe('package-lock.json can be installed with npm ci', () => {
  it('has an entry for every dependency of every locked package', () => {
    expect(unresolved('dependencies')).toEqual([]);
  });

  it('has an entry for every optional dependency, other platforms included', () => {
    expect(unresolved('optionalDependencies')).toEqual([]);
  });

  it('locks the versions package.json asks for at the top level', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const root = packages[''] as LockEntry & { devDependencies?: Record<string, string> };
    expect(root.dependencies).toEqual(manifest.dependencies);
    expect(root.devDependencies).toEqual(manifest.devDependencies);
    for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]) {
      expect({ name, locked: Boolean(packages[path.posix.join('node_modules', name)]) }).toEqual({ name, locked: true });
    }
  });
});
