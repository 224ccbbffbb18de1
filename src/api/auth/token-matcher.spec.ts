import { parseApiTokens } from '../../config/api-tokens.js';
import { requestToken } from './token-matcher.js';

const SECRET = 'a-secret-of-enough-length';
const tokens = parseApiTokens(`grafana:viewer:${SECRET}1,ci:admin:${SECRET}2`, 'X');

describe('requestToken', () => {
  it('matches the bearer token of a request, and no token for a missing, malformed or unknown one', () => {
    expect(requestToken(tokens, { headers: { authorization: `Bearer ${SECRET}2` } })).toMatchObject({ name: 'ci', role: 'admin' });
    expect(requestToken(tokens, { headers: { authorization: [`bearer ${SECRET}1`] } })).toMatchObject({ name: 'grafana' });
    expect(requestToken(tokens, { headers: {} })).toBeUndefined();
    expect(requestToken(tokens, { headers: { authorization: `Basic ${SECRET}1` } })).toBeUndefined();
    expect(requestToken(tokens, { headers: { authorization: `Bearer ${SECRET}9` } })).toBeUndefined();
  });

  it('matches once per request, so the rate limit and authentication share one comparison', () => {
    const request = { headers: { authorization: `Bearer ${SECRET}1` as string | undefined } };
    expect(requestToken(tokens, request)?.name).toBe('grafana');
    request.headers.authorization = `Bearer ${SECRET}2`;
    expect(requestToken(tokens, request)?.name).toBe('grafana');
    const unknown = { headers: { authorization: `Bearer ${SECRET}9` } };
    expect(requestToken(tokens, unknown)).toBeUndefined();
    expect(requestToken([], unknown)).toBeUndefined();
  });
});
