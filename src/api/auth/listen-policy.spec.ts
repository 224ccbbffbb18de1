import { assertSafeListen, isLoopbackHost } from './listen-policy.js';

describe('listen policy', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('refuses an open API on a reachable address, saying why and what to set', () => {
    expect(() => assertSafeListen('0.0.0.0', 0)).toThrow(/VIGIL_API_HOST=0\.0\.0\.0 .*no VIGIL_API_TOKENS/);
    expect(() => assertSafeListen('0.0.0.0', 1)).not.toThrow();
    expect(() => assertSafeListen('127.0.0.1', 0)).not.toThrow();
  });
});
