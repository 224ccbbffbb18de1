import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataIdentity } from './data-identity.js';

describe('data identity', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-identity-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the same for one embedded directory and database, reached directly or through a symlink', () => {
    const link = path.join(os.tmpdir(), `vigil-identity-link-${process.pid}`);
    symlinkSync(dir, link);
    try {
      expect(dataIdentity({ mode: 'embedded', path: link, database: 'vigil' })).toBe(dataIdentity({ mode: 'embedded', path: dir, database: 'vigil' }));
    } finally {
      rmSync(link);
    }
  });

  it('differs with the directory, the database or the server, and names no path', () => {
    const server = { mode: 'server', url: 'http://ch:8123', user: 'u', password: 'p', database: 'vigil' } as const;
    const ids = [
      dataIdentity({ mode: 'embedded', path: dir, database: 'vigil' }),
      dataIdentity({ mode: 'embedded', path: path.join(dir, 'other'), database: 'vigil' }),
      dataIdentity({ mode: 'embedded', path: dir, database: 'other' }),
      dataIdentity(server),
      dataIdentity({ ...server, url: 'http://ch2:8123' }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(dataIdentity({ ...server, url: 'http://ch:8123/' })).toBe(ids[3]);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });
});
