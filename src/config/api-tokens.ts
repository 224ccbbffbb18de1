import { createHash } from 'node:crypto';
import { VigilError } from '../errors/vigil-error.js';
import { isApiRole, API_ROLES, type ApiRole } from './api-role.js';

/** A configured token: its name (who, in the audit log) and role; the secret only as a digest. */
export interface ApiToken {
  readonly name: string;
  readonly role: ApiRole;
  readonly digest: Buffer;
}

/** Shorter secrets are guessable over a network in reasonable time, whatever the rate limit. */
export const MIN_TOKEN_LENGTH = 16;

export function tokenDigest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Parses `name:role:token` entries separated by commas or newlines (the same format in
 * VIGIL_API_TOKENS and in the file VIGIL_API_TOKENS_FILE names, for Docker secrets). Several
 * entries may share a role, and a name may appear twice while a token is rotated. An error names
 * the source and the entry by position and name, never the secret.
 */
export function parseApiTokens(text: string, source: string): ApiToken[] {
  const tokens: ApiToken[] = [];
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '' && !entry.startsWith('#'));
  entries.forEach((entry, index) => {
    const first = entry.indexOf(':');
    const second = first < 0 ? -1 : entry.indexOf(':', first + 1);
    const at = `${source}: entry ${index + 1}`;
    if (second < 0) throw invalid(`${at}: expected name:role:token`);
    const name = entry.slice(0, first).trim();
    const role = entry.slice(first + 1, second).trim();
    const secret = entry.slice(second + 1).trim();
    if (!/^[\w.@-]{1,64}$/.test(name)) throw invalid(`${at}: the name must be 1-64 letters, digits or . _ @ -`);
    if (!isApiRole(role)) throw invalid(`${at} (${name}): role must be one of ${API_ROLES.join(', ')}, got "${role}"`);
    if (secret.length < MIN_TOKEN_LENGTH) throw invalid(`${at} (${name}): the token must be at least ${MIN_TOKEN_LENGTH} characters`);
    tokens.push({ name, role, digest: tokenDigest(secret) });
  });
  const digests = new Set(tokens.map((token) => token.digest.toString('hex')));
  if (digests.size !== tokens.length) throw invalid(`${source}: the same token is given twice`);
  return tokens;
}

function invalid(message: string): VigilError {
  return new VigilError('VIGIL_CONFIG_INVALID', message);
}
