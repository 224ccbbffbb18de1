import { acvpuSnomed, fhirVitalCodes, fhirVitalUnits, LOINC_BP_PANEL, UCUM_SYSTEM, WARD_EXTENSION_URL, fahrenheitToCelsius } from '../fhir/loinc-vitals.js';
import { scoreNews2 } from '../news2/news2.js';
import { implausibleReason, type VitalName } from '../vitals/plausibility.js';
import { healthParamsSchema } from './health.params.js';
import { createHealth, effectiveMs, type EventAt, LatestVitals, loincOf, observation, simulateWard } from './testing/ward-run.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 5, 1, 9, 30);

describe('health generator', () => {
  it('is deterministic for a seed and the same times', () => {
    const run = (seed: number) => {
      const generator = createHealth({ acuteAtStart: 2 }, seed);
      return JSON.stringify(Array.from({ length: 3_000 }, (_, i) => generator.next(START + i * 500)));
    };
    expect(run(7)).toBe(run(7));
    expect(run(8)).not.toBe(run(7));
  });

  it('sends FHIR R4 vital-sign Observations with LOINC codes, UCUM units, subject, encounter, ward and source', async () => {
    const events = await simulateWard({ wards: 3, fahrenheitShare: 0.3, acuteAtStart: 2 }, 1, START, 6 * HOUR);
    // One expectation over all problems: jest's per-call cost would dominate tens of thousands of them.
    const problems = events.flatMap((event) => shapeProblems(event).map((problem) => `${observation(event).id}: ${problem}`));
    expect(problems.slice(0, 10)).toEqual([]);
    expect(new Set(events.map((e) => observation(e).id)).size).toBe(events.length);
    expect(new Set(events.map(loincOf))).toEqual(new Set(['8867-4', '9279-1', '59408-5', '8310-5', '85354-9', '67775-7', '3151-8']));
    // Monitors send both SpO2 codes; a BP panel carries systolic and diastolic as components.
    const spo2 = events.find((e) => loincOf(e) === '59408-5' && observation(e).device !== undefined)!;
    expect(observation(spo2).code.coding.map((c) => c.code)).toEqual(['59408-5', '2708-6']);
    const bp = observation(events.find((e) => loincOf(e) === LOINC_BP_PANEL)!);
    expect(bp.component!.map((c) => c.code.coding[0]!.code)).toEqual(['8480-6', '8462-4']);
    expect(bp.component![1]!.valueQuantity.value).toBeLessThan(bp.component![0]!.valueQuantity.value);
  });

  it('times every reading at the call, except manual readings charted late: at most lateMax earlier', async () => {
    const events = await simulateWard({ wards: 2, lateShare: 0.3, lateMax: '8m' }, 0.5, START, 24 * HOUR);
    const late = events.filter((e) => effectiveMs(e) !== e.time);
    const lateness = late.map((e) => e.time - effectiveMs(e));
    expect(Math.min(...lateness)).toBeGreaterThan(0);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(8 * MINUTE);
    expect(late.every((e) => observation(e).performer !== undefined && Date.parse(observation(e).issued) === e.time)).toBe(true);
    const manual = events.filter((e) => observation(e).performer !== undefined);
    // About 30% of rounds are charted late (every reading of the round but the last few seconds' worth).
    expect(late.length / manual.length).toBeGreaterThan(0.2);
    expect(late.length / manual.length).toBeLessThan(0.4);
    expect(events.every((e, i) => i === 0 || e.time >= events[i - 1]!.time)).toBe(true);
  });

  it('starts acute patients deteriorating: at the demo rate both reach NEWS2 high within 15 minutes, labelled', async () => {
    // `npm start -- --template health`: 200 events/s at 30x speed is 6.7 events per simulated second.
    const events = await simulateWard({ acuteAtStart: 2 }, 200 / 30, START, 25 * MINUTE);
    const latest = new LatestVitals();
    const firstHigh = new Map<string, { minutes: number; scenario: string | undefined }>();
    for (const event of events) {
      const score = scoreNews2(latest.add(event));
      if (score.risk === 'high' && !firstHigh.has(event.key)) firstHigh.set(event.key, { minutes: (event.time - START) / MINUTE, scenario: event.label.scenario });
    }
    const acute = [...firstHigh.values()].filter((high) => high.scenario !== undefined);
    expect(acute.map((high) => high.scenario).sort()).toEqual(['deterioration', 'sepsis']);
    for (const high of acute) expect(high.minutes).toBeLessThan(15);
    // Every reading of an acute patient is labelled with its scenario; nobody else's is.
    const labelled = new Set(events.filter((e) => e.label.fraud).map((e) => e.key));
    expect(labelled.size).toBe(2);
    expect(events.filter((e) => labelled.has(e.key)).every((e) => e.label.fraud)).toBe(true);
  });

  it('keeps its guarantees at any rate: a slow rate thins the monitors, a ward without monitors sends spot checks', async () => {
    const slow = await simulateWard({ wards: 2 }, 0.05, START, 12 * HOUR);
    const lateness = slow.map((e) => e.time - effectiveMs(e));
    expect(Math.min(...lateness)).toBe(0);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(8 * MINUTE);
    const quiet = { monitoredShare: 0, acuteAtStart: 0, deteriorationPerPatientDay: 0, sepsisPerPatientDay: 0 };
    const unmonitored = await simulateWard(quiet, 1, START, HOUR);
    expect(unmonitored).toHaveLength(3_600);
    expect(unmonitored.every((e) => observation(e).performer !== undefined)).toBe(true);
    // An empty ward admits its first patient early rather than send nothing.
    const empty = createHealth({ ...quiet, occupancy: 0 }).next(START);
    expect(observation({ ...empty, time: START }).subject.reference).toBe(`Patient/${empty.key}`);
  });

  it('validates its params with path-qualified messages', () => {
    expect(healthParamsSchema.parse({})).toMatchObject({ wards: 1, bedsPerWard: 28, acuteAtStart: 1, acuteRamp: 20 * MINUTE, lateMax: 8 * MINUTE });
    const bad = healthParamsSchema.safeParse({ deteriorationMin: '6h', deteriorationMax: '2h' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['deteriorationMax'], message: 'expected a duration >= deteriorationMin' });
    expect(healthParamsSchema.safeParse({ beds: 3 }).success).toBe(false);
  });
});

/** What is wrong with one event as a FHIR R4 vital-signs Observation the template can read. */
function shapeProblems(event: EventAt): string[] {
  const o = observation(event);
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(o.resourceType === 'Observation' && o.status === 'final', 'resourceType/status');
  check(o.category[0]?.coding[0]?.system === 'http://terminology.hl7.org/CodeSystem/observation-category' && o.category[0]?.coding[0]?.code === 'vital-signs', 'category');
  check(o.subject.reference === `Patient/${event.key}`, 'subject is not the key');
  check(/^Encounter\/enc-[0-9a-f]{8}$/.test(o.encounter.reference), 'encounter');
  check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(o.effectiveDateTime), 'effectiveDateTime');
  check(o.extension[0]?.url === WARD_EXTENSION_URL && /^ward-0[1-3]$/.test(o.extension[0]?.valueString ?? ''), 'ward extension');
  check((o.device === undefined) !== (o.performer === undefined), 'exactly one of device and performer');
  check(JSON.stringify(o._label) === JSON.stringify(event.label), '_label');
  check(o.code.coding.every((coding) => coding.system === 'http://loinc.org'), 'code system');
  const code = loincOf(event);
  if (code === LOINC_BP_PANEL) {
    const [systolic, diastolic] = o.component ?? [];
    check(o.valueQuantity === undefined && systolic?.code.coding[0]?.code === '8480-6' && diastolic?.code.coding[0]?.code === '8462-4', 'BP components');
    for (const part of [systolic, diastolic]) check(part?.valueQuantity.system === UCUM_SYSTEM && part.valueQuantity.code === 'mm[Hg]', 'BP unit');
    check(implausibleReason('systolic_bp', systolic?.valueQuantity.value) === undefined, 'systolic');
    check(implausibleReason('diastolic_bp', diastolic?.valueQuantity.value) === undefined, 'diastolic');
    return problems;
  }
  const parameter = fhirVitalCodes[code];
  if (parameter === undefined) return [...problems, `unknown LOINC ${code}`];
  if (parameter === 'consciousness') {
    const answer = acvpuSnomed[o.valueCodeableConcept?.text as keyof typeof acvpuSnomed];
    check(answer !== undefined && o.valueCodeableConcept?.coding[0]?.system === 'http://snomed.info/sct' && o.valueCodeableConcept.coding[0].code === answer.code, 'ACVPU');
    return problems;
  }
  const quantity = o.valueQuantity;
  if (quantity === undefined) return [...problems, 'no valueQuantity'];
  check(quantity.system === UCUM_SYSTEM && fhirVitalUnits[parameter].includes(quantity.code), `unit ${quantity.code} for ${parameter}`);
  const value = quantity.code === '[degF]' ? fahrenheitToCelsius(quantity.value) : quantity.value;
  if (parameter === 'on_oxygen') check(value >= 0 && value <= 15, 'oxygen flow');
  else check(implausibleReason(parameter as VitalName, value) === undefined, `${parameter} ${value}`);
  return problems;
}
