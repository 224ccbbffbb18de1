import { applyConditionalAll, expandTimeMacros, interpolatePanelSql, substituteVariables } from './grafana-sql.js';

const request = { fromMs: 1_700_000_000_123, toMs: 1_700_003_600_456, intervalMs: 30_000, variables: {} };

describe('Grafana + ClickHouse plugin SQL expansion (test helper)', () => {
  it('expands the backend macros as the reference table says', () => {
    expect(expandTimeMacros('WHERE $__timeFilter(time) AND $__timeFilter_ms(t)', request)).toBe(
      'WHERE time >= toDateTime(1700000000) AND time <= toDateTime(1700003600) AND t >= fromUnixTimestamp64Milli(1700000000123) AND t <= fromUnixTimestamp64Milli(1700003600456)',
    );
    expect(expandTimeMacros('$__timeInterval(toDateTime(x)) / $__interval_s', request)).toBe(
      'toStartOfInterval(toDateTime(toDateTime(x)), INTERVAL 30 second) / 30',
    );
    expect(expandTimeMacros('$__timeInterval_ms(t), $__fromTime, $__toTime_ms, $__dateFilter(d)', { ...request, intervalMs: 250 })).toBe(
      "toStartOfInterval(toDateTime64(t, 3), INTERVAL 250 millisecond), toDateTime(1700000000), fromUnixTimestamp64Milli(1700003600456), d >= toDate('2023-11-14') AND d <= toDate('2023-11-14')",
    );
    expect(expandTimeMacros('$__interval_s', { ...request, intervalMs: 200 })).toBe('1');
    expect(() => expandTimeMacros('$__nope', request)).toThrow('unknown macro $__nope');
  });

  it('drops a conditionalAll condition for All or an empty value and keeps it otherwise', () => {
    const sql = 'WHERE $__conditionalAll(d IN (${d:singlequote}), $d) AND $__conditionalAll(e = ${e:singlequote}, $e)';
    expect(applyConditionalAll(sql, { d: { current: ['$__all'] }, e: { current: '' } })).toBe('WHERE 1=1 AND 1=1');
    expect(applyConditionalAll(sql, { d: { current: ['a', 'b'] }, e: { current: 'x' } })).toBe('WHERE d IN (${d:singlequote}) AND e = ${e:singlequote}');
  });

  it('substitutes variables in Grafana formats, All as every option', () => {
    const variables = { d: { current: ['$__all'], options: ['a', "o'k"] }, t: { current: 'finance' } };
    expect(substituteVariables('${d:singlequote} | ${t:singlequote} | $t | [[t]] | $__timeFilter(x)', variables)).toBe(
      "'a','o\\'k' | 'finance' | finance | finance | $__timeFilter(x)",
    );
  });

  it('runs the steps in the plugin order', () => {
    const sql = 'SELECT $__timeInterval(time) AS time FROM f WHERE template = ${template:singlequote} AND $__conditionalAll(entity = ${entity:singlequote}, $entity)';
    expect(interpolatePanelSql(sql, { ...request, variables: { template: { current: 'finance' }, entity: { current: 'card_1' } } })).toBe(
      "SELECT toStartOfInterval(toDateTime(time), INTERVAL 30 second) AS time FROM f WHERE template = 'finance' AND entity = 'card_1'",
    );
  });
});
