import { isIP } from 'node:net';
import { VigilError } from '../../errors/vigil-error.js';

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare.startsWith('::ffff:127.');
  return false;
}

/**
 * An API without tokens lets anyone who reaches it silence alerts and rewrite rules, so it may
 * listen only where nobody else can reach it.
 */
export function assertSafeListen(host: string, tokenCount: number): void {
  if (tokenCount > 0 || isLoopbackHost(host)) return;
  throw new VigilError(
    'VIGIL_CONFIG_INVALID',
    `VIGIL_API_HOST=${host} is reachable from other machines, and no VIGIL_API_TOKENS (or VIGIL_API_TOKENS_FILE) is set: ` +
      'anyone could silence alerts or change rules. Set tokens as name:role:token entries (roles viewer, operator, admin), ' +
      'or listen on 127.0.0.1',
  );
}
