/**
 * What a token may do. Each role can do everything the roles before it can: a viewer reads
 * (status, templates, metrics, read-only query), an operator also silences and acknowledges, an
 * admin also changes detection rules.
 */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: string): value is ApiRole {
  return (API_ROLES as readonly string[]).includes(value);
}

export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return API_ROLES.indexOf(held) >= API_ROLES.indexOf(needed);
}
