import type { DynamicConfigValue } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * Table cell links that open a template's dashboard filtered to the clicked entity, in the same
 * URL shape as an alert's `dashboard` link (CONTRACTS: `/d/vigil-<template>?var-entity=…`), keeping
 * the current time range. `template` is a literal name or a `${__data.fields.<column>}` reference.
 */
export function entityLink(template: string, detectorField?: string): DynamicConfigValue {
  const detector = detectorField ? `&var-detector=\${__data.fields.${detectorField}}` : '';
  return {
    id: 'links',
    value: [{ title: 'Open the entity', url: `/d/vigil-${template}?var-entity=\${__value.raw}${detector}&\${__url_time_range}` }],
  };
}
