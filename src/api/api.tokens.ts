/** Names of the stages running in this process, shown by GET /status. */
export const RUNNING_SERVICES = Symbol('RUNNING_SERVICES');
export const API_AUTH = Symbol('vigil.api.auth');
