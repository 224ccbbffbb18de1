/** Replaces every secret value in a text with `[redacted]`. */
export type Redactor = (text: string) => string;

/** Values shorter than this are not treated as secrets (they would redact ordinary words). */
const MIN_REDACT_LENGTH = 6;

/**
 * A redactor for a receiver's secrets: the values themselves and the parts of a URL that carry
 * credentials (user info, query values, and for URLs that ARE secrets, like Slack's incoming
 * webhooks, the whole URL and its path). Longest first, so a secret containing another is removed whole.
 */
export function redactorFor(values: readonly string[], secretUrls: readonly string[] = []): Redactor {
  const all = new Set<string>(values);
  for (const text of secretUrls) {
    all.add(text);
    const url = new URL(text);
    all.add(url.pathname);
    for (const segment of url.pathname.split('/')) all.add(segment);
  }
  const sensitive = [...all].filter((value) => value.length >= MIN_REDACT_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const value of sensitive) result = result.split(value).join('[redacted]');
    return result;
  };
}

/** URL parts that may carry credentials: user, password and query values. */
export function urlCredentials(text: string): string[] {
  const url = new URL(text);
  return [url.username, url.password, ...url.searchParams.values()];
}
