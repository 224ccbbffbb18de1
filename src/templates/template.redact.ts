import type { Template } from './template.schema.js';

/** A copy safe to show over HTTP or print: receiver secrets replaced, everything else kept. */
export function redactTemplate(template: Template): Template {
  return {
    ...template,
    alerts: {
      ...template.alerts,
      receivers: template.alerts.receivers.map((r) => (r.secret === undefined ? r : { ...r, secret: '[redacted]' })),
    },
  };
}
