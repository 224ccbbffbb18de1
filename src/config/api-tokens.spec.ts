import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { matchToken, bearerToken } from '../api/auth/token-matcher.js';
import { roleAllows } from './api-role.js';
import { parseApiTokens } from './api-tokens.js';
import { loadConfig } from './vigil-config.js';

const SECRET = 'a-secret-of-enough-length';

describe('API tokens', () => {
  it('parses name:role:token entries and matches a presented token to its name and role', () => {
    const tokens = parseApiTokens(`grafana:viewer:${SECRET}1, oncall:operator:${SECRET}2\nci:admin:${SECRET}3`, 'X');
    expect(tokens.map(({ name, role }) => [name, role])).toEqual([['grafana', 'viewer'], ['oncall', 'operator'], ['ci', 'admin']]);
    expect(matchToken(tokens, `${SECRET}2`)).toMatchObject({ name: 'oncall', role: 'operator' });
    expect(matchToken(tokens, `${SECRET}4`)).toBeUndefined();
    expect(matchToken(tokens, '')).toBeUndefined();
  });

  it('keeps several tokens of one name for rotation, and a secret never in an error', () => {
    expect(parseApiTokens(`ci:admin:${SECRET}-old,ci:admin:${SECRET}-new`, 'X')).toHaveLength(2);
    const problems = [`ci:root:${SECRET}`, 'ci:admin:short', `:admin:${SECRET}`, 'justatoken', `a:viewer:${SECRET},b:admin:${SECRET}`].map((text) => {
      try {
        parseApiTokens(text, 'VIGIL_API_TOKENS');
        return 'accepted';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(problems).toEqual([
      'VIGIL_API_TOKENS: entry 1 (ci): role must be one of viewer, operator, admin, got "root"',
      'VIGIL_API_TOKENS: entry 1 (ci): the token must be at least 16 characters',
      'VIGIL_API_TOKENS: entry 1: the name must be 1-64 letters, digits or . _ @ -',
      'VIGIL_API_TOKENS: entry 1: expected name:role:token',
      'VIGIL_API_TOKENS: the same token is given twice',
    ]);
    for (const message of problems) expect(message).not.toContain(SECRET);
  });

  it('reads tokens from the variable and from a file (a Docker secret) together', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-tokens-'));
    const file = path.join(dir, 'tokens');
    writeFileSync(file, `# rotated monthly\nci:admin:${SECRET}-file\n`);
    const config = loadConfig({ VIGIL_API_TOKENS: `grafana:viewer:${SECRET}`, VIGIL_API_TOKENS_FILE: file });
    expect(config.api.auth.tokens.map((token) => token.name)).toEqual(['grafana', 'ci']);
    expect(() => loadConfig({ VIGIL_API_TOKENS_FILE: path.join(dir, 'missing') })).toThrow(/VIGIL_API_TOKENS_FILE: cannot read .*missing: ENOENT/);
  });

  it('orders roles: admin can do what operator can, operator what viewer can', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'operator')).toBe(false);
    expect(roleAllows('operator', 'admin')).toBe(false);
  });

  it('reads only a well-formed Bearer header', () => {
    expect(bearerToken(`Bearer ${SECRET}`)).toBe(SECRET);
    expect(bearerToken(`bearer  ${SECRET} `)).toBe(SECRET);
    expect(bearerToken(`Basic ${SECRET}`)).toBeUndefined();
    expect(bearerToken(`Bearer a b`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
