import { loadConfig } from './vigil-config.js';

describe('CLICKHOUSE_QUERY_USER', () => {
  const server = { CLICKHOUSE_URL: 'http://clickhouse:8123', CLICKHOUSE_USER: 'vigil', CLICKHOUSE_PASSWORD: 'p' };

  it('names the read-only user user SQL runs as on a server, apart from the stages’ own user', () => {
    const config = loadConfig({ ...server, CLICKHOUSE_QUERY_USER: 'vigil_reader', CLICKHOUSE_QUERY_PASSWORD: 'r' });
    expect(config.clickhouse).toMatchObject({ mode: 'server', user: 'vigil', queryUser: { user: 'vigil_reader', password: 'r' } });
  });

  it('is absent unless set, and means nothing for the embedded engine', () => {
    expect(loadConfig(server).clickhouse).not.toHaveProperty('queryUser');
    expect(loadConfig({ CLICKHOUSE_QUERY_USER: 'vigil_reader' }).clickhouse).toEqual(expect.objectContaining({ mode: 'embedded' }));
    expect(loadConfig({ CLICKHOUSE_QUERY_USER: 'vigil_reader' }).clickhouse).not.toHaveProperty('queryUser');
  });
});
