import type { ApiRole } from '../../config/api-role.js';

/** Who made a request: the token's name and role, or the local user of an API without tokens. */
export interface ApiCaller {
  readonly name: string;
  readonly role: ApiRole;
}

/** The caller of an open API (loopback, no tokens configured): the person at this machine. */
export const LOCAL_CALLER: ApiCaller = { name: 'local', role: 'admin' };

export interface RequestWithCaller {
  vigilCaller?: ApiCaller;
}
