import { timingSafeEqual } from 'node:crypto';
import { tokenDigest, type ApiToken } from '../../config/api-tokens.js';

/**
 * Finds the configured token a request presents. Digests have one length whatever the secret's,
 * and every configured token is compared every time, so the time taken tells nothing about how
 * much of a guess was right or which entry it nearly matched.
 */
export function matchToken(tokens: readonly ApiToken[], presented: string): ApiToken | undefined {
  const digest = tokenDigest(presented);
  let found: ApiToken | undefined;
  for (const token of tokens) {
    if (timingSafeEqual(token.digest, digest) && found === undefined) found = token;
  }
  return found;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

interface HeaderedRequest {
  readonly headers: Record<string, string | string[] | undefined>;
}

const matched = new WeakMap<object, ApiToken | null>();

/**
 * The configured token a request's Authorization header presents, matched once per request: the
 * rate limit and authentication both need it, and each match compares against every token.
 */
export function requestToken(tokens: readonly ApiToken[], request: HeaderedRequest): ApiToken | undefined {
  const known = matched.get(request);
  if (known !== undefined) return known ?? undefined;
  const header = request.headers.authorization;
  const presented = bearerToken(Array.isArray(header) ? header[0] : header);
  const token = presented === undefined ? undefined : matchToken(tokens, presented);
  matched.set(request, token ?? null);
  return token;
}
