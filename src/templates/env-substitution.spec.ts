import { parseDocument } from 'yaml';
import { expandVariables, substituteEnv } from './env-substitution.js';

describe('expandVariables', () => {
  const env = { HOST: 'kafka', PORT: '9092', EMPTY: '' };

  it.each([
    ['plain text', 'plain text'],
    ['${HOST}:${PORT}', 'kafka:9092'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'kafka'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['[${EMPTY}]', '[]'],
    ['${MISSING:-}', ''],
    ['${URL:-http://127.0.0.1:4000/a}', 'http://127.0.0.1:4000/a'],
    ['cost: $5 and $${HOST}', 'cost: $5 and ${HOST}'],
  ])('%s -> %s', (text, expected) => {
    expect(expandVariables(text, env)).toEqual({ ok: true, value: expected });
  });

  it('reports every unresolvable reference in a string', () => {
    expect(expandVariables('${A}-${B:-b}-${C}', {})).toEqual({
      ok: false,
      messages: [
        'environment variable A is not set and has no default (write ${A:-default} to give one)',
        'environment variable C is not set and has no default (write ${C:-default} to give one)',
      ],
    });
  });

  it('rejects malformed references', () => {
    expect(expandVariables('${ HOST }', env)).toEqual({
      ok: false,
      messages: ['malformed variable reference "${ HOST }"; expected ${NAME} or ${NAME:-default}'],
    });
    expect(expandVariables('x ${HOST', env)).toEqual({
      ok: false,
      messages: ['unterminated variable reference "${HOST"; expected ${NAME} or ${NAME:-default}'],
    });
  });
});

describe('substituteEnv', () => {
  const substitute = (yaml: string, env: Record<string, string>) => {
    const doc = parseDocument(yaml);
    const problems = substituteEnv(doc, env);
    return { problems, value: doc.toJS() as unknown };
  };

  it('substitutes string values at any depth, never keys', () => {
    const yaml = ['${KEY}: ${VALUE}', 'list:', '  - a: "${VALUE}"', '  - ["${VALUE}x"]'].join('\n');
    expect(substitute(yaml, { KEY: 'k', VALUE: 'v' })).toEqual({
      problems: [],
      value: { '${KEY}': 'v', list: [{ a: 'v' }, ['vx']] },
    });
  });

  it('types an unquoted whole-value reference like YAML would; quoted values stay strings', () => {
    const yaml = ['rate: ${RATE:-200}', 'quoted: "${RATE:-200}"', 'on: ${ON}', 'mixed: ${RATE}/s', 'text: ${NAME}'].join('\n');
    expect(substitute(yaml, { RATE: '50', ON: 'true', NAME: 'fifty' }).value).toEqual({
      rate: 50,
      quoted: '50',
      on: true,
      mixed: '50/s',
      text: 'fifty',
    });
  });

  it('cannot inject YAML structure: a value is only ever a scalar', () => {
    expect(substitute('a: "${V}"\nb: ${V}', { V: 'x\nc: [1, 2]' }).value).toEqual({ a: 'x\nc: [1, 2]', b: 'x\nc: [1, 2]' });
  });

  it('substitutes anchored values once, and aliases see the result', () => {
    expect(substitute('a: &s ${S}\nb: *s', { S: 'secret' }).value).toEqual({ a: 'secret', b: 'secret' });
  });

  it('names the path and the variable of every missing one', () => {
    const yaml = ['alerts:', '  receivers:', '    - url: ${URL}', '      secret: "${SECRET}"', 'ok: ${SET}'].join('\n');
    expect(substitute(yaml, { SET: 'yes' }).problems).toEqual([
      { path: 'alerts.receivers[0].url', message: 'environment variable URL is not set and has no default (write ${URL:-default} to give one)' },
      {
        path: 'alerts.receivers[0].secret',
        message: 'environment variable SECRET is not set and has no default (write ${SECRET:-default} to give one)',
      },
    ]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    expect(substitute('headers:\n  x-api-key: ${KEY}', {}).problems[0]?.path).toBe('headers["x-api-key"]');
  });
});
