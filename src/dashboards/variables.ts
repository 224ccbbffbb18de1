import { ConstantVariableBuilder, QueryVariableBuilder, TextBoxVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { CLICKHOUSE_DATASOURCE } from './clickhouse.datasource.js';
import { TEMPLATE_IS } from './sql-filters.js';

/**
 * The dashboard variables of the link contract (/work CONTRACTS: `var-entity`, `var-detector`),
 * so an alert's `dashboard` URL opens its dashboard filtered to the entity and detector.
 */

const ALL = { text: 'All', value: '$__all' };

/** Overview: the templates with findings in the time range, several at once or All. */
export function templateVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('template')
    .label('Template')
    .datasource(CLICKHOUSE_DATASOURCE)
    .query('SELECT DISTINCT template FROM findings WHERE $__timeFilter(time) ORDER BY template')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .current({ text: ALL.text, value: [ALL.value] });
}

/**
 * A template's own dashboard: `template` is fixed (hidden), so its SQL reads the same as the
 * overview's and a renamed deployment of the template needs only this value changed.
 */
export function templateConstant(name: string): ConstantVariableBuilder {
  return new ConstantVariableBuilder('template').value(name);
}

export function detectorVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('detector')
    .label('Detector')
    .datasource(CLICKHOUSE_DATASOURCE)
    .query(`SELECT DISTINCT detector FROM findings WHERE ${TEMPLATE_IS} AND $__timeFilter(time) ORDER BY detector`)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allowCustomValue(true)
    .current({ text: ALL.text, value: [ALL.value] });
}

/** Free text: entities are too many to list (a million cards); empty means every entity. */
export function entityVariable(description: string): TextBoxVariableBuilder {
  return new TextBoxVariableBuilder('entity').label('Entity').description(description).defaultValue('');
}
