// @ts-expect-error: a plain ES module of the CI tooling, without types
import { blockingAdvisories, unavailable } from '../../../tools/npm-audit.mjs';

const report = {
  vulnerabilities: {
    a: { via: [{ source: 1, name: 'a', severity: 'critical', title: 'RCE', url: 'https://github.com/advisories/GHSA-1' }] },
    b: { via: [{ source: 2, name: 'b', severity: 'moderate', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-2' }, 'a'] },
    c: { via: [{ source: 3, name: 'c', severity: 'high', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-3' }] },
  },
};

describe('tools/npm-audit.mjs', () => {
  it('blocks high and critical advisories, not moderate ones, and not transitive mentions twice', () => {
    expect(blockingAdvisories(report, {}).map((a: { id: string }) => a.id)).toEqual(['https://github.com/advisories/GHSA-1', 'https://github.com/advisories/GHSA-3']);
  });

  it('lets an accepted advisory through only until its end date', () => {
    const exceptions = { 'https://github.com/advisories/GHSA-3': { reason: 'not reachable from our code', until: '2027-01-01' } };
    expect(blockingAdvisories(report, exceptions, Date.parse('2026-12-01')).map((a: { id: string }) => a.id)).toEqual(['https://github.com/advisories/GHSA-1']);
    expect(blockingAdvisories(report, exceptions, Date.parse('2027-02-01'))).toHaveLength(2);
  });

  it('tells a registry that cannot audit from a clean report', () => {
    expect(unavailable({ message: '405 Method Not Allowed', statusCode: 405 })).toBe('the audit endpoint answered 405');
    expect(unavailable({ vulnerabilities: {} })).toBeUndefined();
  });
});
