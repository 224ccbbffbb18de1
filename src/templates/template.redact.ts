import { redactReceiver } from '../model/template/receivers/receiver.schema.js';
import type { Template } from '../model/template/template.schema.js';

/** A copy safe to show over HTTP or print: receiver secrets replaced, everything else kept. */
export function redactTemplate(template: Template): Template {
  return {
    ...template,
    alerts: {
      ...template.alerts,
      receivers: template.alerts.receivers.map(redactReceiver),
    },
  };
}
