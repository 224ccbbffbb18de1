import type { GeneratorLookup } from '../simulate/generators.js';
import type { Template } from '../model/template/template.schema.js';
import type { SourceFormatLookup } from '../model/source-format.js';
import { CORE_TABLES } from '../model/core-tables.js';
import type { TemplateProblem } from '../model/template/template-problems.js';
import { didYouMean, ZOD_PARSE_OPTIONS, zodProblems } from '../model/template/zod-problems.js';

/**
 * Checks that need more than one part of a schema-valid template: fields named by `event`, topics
 * that must differ, routes pointing at receivers and detectors, the simulator's generator. Each
 * returns every problem it finds. Detector checks need module loading: see detector-resolver.ts.
 */

export function checkEvent(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const { fields } = template.event;
  const names = Object.keys(fields);
  const mustBeField = (role: 'time' | 'key' | 'id'): void => {
    const name = template.event[role];
    if (name !== undefined && fields[name] === undefined) {
      problems.push({ path: `event.${role}`, message: `"${name}" is not a field in event.fields${didYouMean(name, names)}` });
    }
  };
  mustBeField('time');
  const timeField = fields[template.event.time];
  if (timeField !== undefined && timeField.type !== 'timestamp') {
    problems.push({
      path: 'event.time',
      message: `field "${template.event.time}" has type ${timeField.type}; the event-time field must have type timestamp`,
    });
  }
  mustBeField('key');
  mustBeField('id');
  const pseudonymized = names.filter((name) => fields[name]!.pseudonymize);
  for (const name of pseudonymized) {
    if (fields[name]!.type !== 'string') {
      problems.push({ path: `event.fields.${name}.pseudonymize`, message: `only string fields can be pseudonymized; "${name}" has type ${fields[name]!.type}` });
    }
  }
  if (pseudonymized.length > 0 && template.event.pseudonymKey === undefined) {
    problems.push({ path: 'event.pseudonymKey', message: `required: ${pseudonymized.join(', ')} ${pseudonymized.length === 1 ? 'is' : 'are'} marked pseudonymize` });
  }
  return problems;
}

/** `event.format` must name a known source format. */
export function checkFormat(template: Template, formats: SourceFormatLookup): TemplateProblem[] {
  const name = template.event.format;
  if (formats.get(name) !== undefined) return [];
  return [{ path: 'event.format', message: `unknown source format "${name}"${didYouMean(name, formats.names())}; known: ${knownList(formats.names())}` }];
}

export function checkTopics(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const seen = new Map<string, string>();
  for (const role of ['input', 'findings', 'alerts', 'deadLetter', 'feedback'] as const) {
    const topic = template.topics[role];
    if (topic === undefined) continue;
    const first = seen.get(topic);
    if (first !== undefined) {
      problems.push({ path: `topics.${role}`, message: `same topic as topics.${first} ("${topic}"); each role needs its own topic` });
    } else {
      seen.set(topic, role);
    }
  }
  return problems;
}

export function checkAlerts(template: Template): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const { receivers, routes } = template.alerts;
  const receiverNames: string[] = [];
  receivers.forEach((receiver, index) => {
    if (receiverNames.includes(receiver.name)) {
      problems.push({ path: `alerts.receivers[${index}].name`, message: `duplicate receiver name "${receiver.name}"` });
    } else {
      receiverNames.push(receiver.name);
    }
  });
  receivers.forEach((receiver, index) => {
    if (receiver.fallback === undefined) return;
    const path = `alerts.receivers[${index}].fallback`;
    if (receiver.fallback === receiver.name) problems.push({ path, message: 'a receiver cannot be its own fallback' });
    else if (!receiverNames.includes(receiver.fallback)) {
      problems.push({ path, message: `unknown receiver "${receiver.fallback}"; known: ${knownList(receiverNames)}` });
    }
  });
  // Rules put at runtime are not known here; name them in routes after adding them to the template.
  const detectorIds = [...template.detectors.map((detector) => detector.id), ...template.rules.map((rule) => rule.id)];
  routes.forEach((route, index) => {
    if (!receiverNames.includes(route.receiver)) {
      problems.push({
        path: `alerts.routes[${index}].receiver`,
        message: `unknown receiver "${route.receiver}"; known: ${knownList(receiverNames)}`,
      });
    }
    route.match.detector?.forEach((id, position) => {
      if (!detectorIds.includes(id)) {
        problems.push({
          path: `alerts.routes[${index}].match.detector[${position}]`,
          message: `unknown detector id "${id}"; known: ${knownList(detectorIds)}`,
        });
      }
    });
  });
  return problems;
}

/** The simulator is checked at load time too, so `vigil validate` catches a typo in its params. */
export function checkSimulator(template: Template, generators: GeneratorLookup): TemplateProblem[] {
  const simulator = template.simulator;
  if (simulator === undefined) return [];
  const generator = generators.get(simulator.generator);
  if (generator === undefined) {
    return [{ path: 'simulator.generator', message: `unknown generator "${simulator.generator}"; known: ${knownList(generators.names())}` }];
  }
  const parsed = generator.params.safeParse(simulator.params, ZOD_PARSE_OPTIONS);
  return parsed.success ? [] : zodProblems(parsed.error, generator.params, 'simulator.params');
}

/** `a, b, c` sorted, or `(none)`. */
export function knownList(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : [...new Set(names)].sort().join(', ');
}

/** Names of Vigil's own tables; a template's table and views must take others. */
const RESERVED: readonly string[] = CORE_TABLES;

export function checkViews(template: Template): TemplateProblem[] {
  const events = template.tables.events;
  const problems: TemplateProblem[] = RESERVED.includes(events)
    ? [{ path: 'tables.events', message: `"${events}" is a Vigil table or view; choose another name, e.g. "${template.name}_${events}"` }]
    : [];
  return problems.concat(
    Object.keys(template.tables.views)
      .filter((name) => name === events || RESERVED.includes(name))
      .map((name) => ({ path: `tables.views.${name}`, message: `"${name}" is already a table; choose another view name` })),
  );
}
