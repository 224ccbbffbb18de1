/**
 * WHERE-clause pieces shared by panels. Variables go through `$__conditionalAll`, which the plugin
 * turns into `1=1` when the variable is All or empty, so an unset entity or "All detectors" costs
 * nothing; multi-value variables use Grafana's `:singlequote` format (`'a','b'`), the only one
 * that is valid SQL for strings.
 */

/** Per-template dashboards pin `template` with a constant variable; the overview lets users pick. */
export const TEMPLATE_IS = 'template = ${template:singlequote}';

export function templateIn(column = 'template'): string {
  return `$__conditionalAll(${column} IN (\${template:singlequote}), $template)`;
}

export function detectorIn(column = 'detector'): string {
  return `$__conditionalAll(${column} IN (\${detector:singlequote}), $detector)`;
}

/** `columns` are alternatives: a finance entity is a card or a terminal. */
export function entityIs(...columns: string[]): string {
  const condition = columns.map((column) => `${column} = \${entity:singlequote}`).join(' OR ');
  return `$__conditionalAll(${columns.length > 1 ? `(${condition})` : condition}, $entity)`;
}
