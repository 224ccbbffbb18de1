import { limitError, limitSettingsClause, DEFAULT_QUERY_LIMITS } from './query-limits.js';

describe('query limits', () => {
  it('puts readonly last, after the limits it must not refuse', () => {
    expect(limitSettingsClause(DEFAULT_QUERY_LIMITS)).toMatch(/^max_execution_time = 30, max_result_bytes = \d+, max_memory_usage = \d+, readonly = 1$/);
    // A server's read-only user has readonly from its profile and may not set it again.
    expect(limitSettingsClause(DEFAULT_QUERY_LIMITS, { readOnlyUser: true })).toMatch(/^max_execution_time = 30, max_result_bytes = \d+, max_memory_usage = \d+$/);
  });

  it('names the limit a ClickHouse error reports, from the client error code or the raw message', () => {
    const fromClient = Object.assign(new Error('Query memory limit exceeded: would use 3.00 GiB, maximum: 2.00 GiB. '), { code: '241' });
    expect(limitError(fromClient.message, fromClient)).toMatchObject({ code: 'VIGIL_QUERY_LIMIT', message: expect.stringMatching(/max_memory_usage limit \(Query memory limit exceeded/) });
    const raw = 'Code: 159. DB::Exception: Timeout exceeded: elapsed 30.1 seconds, maximum: 30. (TIMEOUT_EXCEEDED)';
    expect(limitError(raw, new Error(raw))?.message).toBe('query stopped: the query broke the max_execution_time limit (Timeout exceeded: elapsed 30.1 seconds, maximum: 30.)');
    const readonly = 'Code: 164. DB::Exception: default: Cannot execute query in readonly mode. (READONLY)';
    expect(limitError(readonly, undefined)?.message).toMatch(/tried to write or to reach outside the database/);
    expect(limitError('Code: 60. DB::Exception: Unknown table', undefined)).toBeUndefined();
  });
});
