import { REDACTED, redactReceiver } from '../model/template/receivers/receiver.schema.js';
import type { Template } from '../model/template/template.schema.js';

/** A copy safe to show over HTTP or print: receiver secrets and the pseudonym key replaced, everything else kept. */
export function redactTemplate(template: Template): Template {
  return {
    ...template,
    event: template.event.pseudonymKey === undefined ? template.event : { ...template.event, pseudonymKey: REDACTED },
    alerts: {
      ...template.alerts,
      receivers: template.alerts.receivers.map(redactReceiver),
    },
  };
}
