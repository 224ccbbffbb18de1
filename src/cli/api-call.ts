import type { VigilConfig } from '../config/vigil-config.js';
import { describeError, VigilError, type ErrorCode } from '../errors/vigil-error.js';

export interface ApiAnswer {
  readonly status: number;
  /** The JSON body, or undefined when there was none or it was not JSON. */
  readonly body: unknown;
}

/**
 * One request to a running Vigil's API (`VIGIL_API_URL`), with `VIGIL_API_TOKEN` as the bearer
 * token when set. Node's own fetch, so no HTTP package is loaded. An API that cannot be reached is
 * a VIGIL_API_UNREACHABLE (exit 3); every answer, refusals included, is the caller's to read.
 */
export async function callApi(config: VigilConfig, method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer> {
  let response: Response;
  try {
    response = await fetch(`${config.api.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(config.api.clientToken === undefined ? {} : { authorization: `Bearer ${config.api.clientToken}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new VigilError('VIGIL_API_UNREACHABLE', `no Vigil API answered at ${config.api.url} (set VIGIL_API_URL): ${describeError(error)}`, { cause: error, retryable: true });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json };
}

/**
 * The typed error for an answer the caller did not expect, saying what to fix: a refused token is
 * configuration (exit 2), a request the API found invalid is `invalid` (exit 2, with its
 * problems), an API that is overloaded or failing is VIGIL_API_UNREACHABLE (exit 3).
 */
export function refusal(config: VigilConfig, answer: ApiAnswer, invalid: ErrorCode): VigilError {
  const body = (answer.body ?? {}) as { message?: unknown; problems?: unknown };
  const problems = Array.isArray(body.problems) ? body.problems.map(String) : [];
  const message = problems.length > 0 ? problems.join('; ') : typeof body.message === 'string' ? body.message : `HTTP ${answer.status}`;
  if (answer.status === 401 || answer.status === 403) {
    const hint = config.api.clientToken === undefined ? 'set VIGIL_API_TOKEN to a token of VIGIL_API_TOKENS' : 'VIGIL_API_TOKEN was refused';
    return new VigilError('VIGIL_CONFIG_INVALID', `the API at ${config.api.url} answered ${answer.status} (${message}): ${hint}`);
  }
  if (answer.status === 404) return new VigilError('VIGIL_TEMPLATE_NOT_FOUND', message);
  if (answer.status === 429 || answer.status >= 500) return new VigilError('VIGIL_API_UNREACHABLE', `the API at ${config.api.url} answered ${answer.status}: ${message}`, { retryable: true });
  return new VigilError(invalid, message);
}
