import type { GeneratedEvent } from '../../../../simulate/generator.js';
import { fahrenheitToCelsius, fhirVitalCodes, LOINC_BP_PANEL, SPO2_SCALE_EXTENSION_URL } from '../../fhir/loinc-vitals.js';
import type { Consciousness, VitalSigns } from '../../vitals/vital-signs.js';
import { healthGenerator } from '../health.generator.js';
import { healthParamsSchema } from '../health.params.js';
import { recordSimulation } from '../../../../simulate/testing/record-simulation.js';

/** Test helpers for the health simulator's specs: runs and a reader of its Observations. */

export interface EventAt extends GeneratedEvent {
  /** The simulator's time for the call (when the message is sent). */
  readonly time: number;
}

export const createHealth = (params: Record<string, unknown> = {}, seed = 7) => healthGenerator.create({ seed, params: healthParamsSchema.parse(params) });

/** Events of a simulated period at `rate` per simulated second, paced like `vigil simulate`. */
export function simulateWard(params: Record<string, unknown>, rate: number, startMs: number, durationMs: number, seed = 7): Promise<EventAt[]> {
  return recordSimulation(createHealth(params, seed), rate, startMs, durationMs);
}

/** The parts of a simulated Observation the specs read. */
export interface ObservationJson {
  readonly resourceType: string;
  readonly id: string;
  readonly status: string;
  readonly meta?: { readonly profile: readonly string[] };
  readonly extension: readonly { readonly url: string; readonly valueString?: string; readonly valueInteger?: number }[];
  readonly category: readonly { readonly coding: readonly { readonly system: string; readonly code: string }[] }[];
  readonly code: { readonly coding: readonly { readonly system: string; readonly code: string }[] };
  readonly subject: { readonly reference: string };
  readonly encounter: { readonly reference: string };
  readonly effectiveDateTime: string;
  readonly issued: string;
  readonly device?: { readonly reference: string };
  readonly performer?: readonly { readonly reference: string }[];
  readonly valueQuantity?: Quantity;
  readonly component?: readonly { readonly code: { readonly coding: readonly { readonly code: string }[] }; readonly valueQuantity: Quantity }[];
  readonly valueCodeableConcept?: { readonly text: string; readonly coding: readonly { readonly system: string; readonly code: string }[] };
  readonly _label: { readonly fraud: boolean; readonly scenario?: string };
}

interface Quantity {
  readonly value: number;
  readonly unit: string;
  readonly system: string;
  readonly code: string;
}

export const observation = (event: EventAt): ObservationJson => event.value as unknown as ObservationJson;

export const effectiveMs = (event: EventAt): number => Date.parse(observation(event).effectiveDateTime);
export const loincOf = (event: EventAt): string => observation(event).code.coding[0]!.code;

/**
 * The latest value of each NEWS2 parameter per patient, updated one Observation at a time, the
 * way a reader of the topic would combine them (no validity windows: the simulator's own check).
 */
export class LatestVitals {
  private readonly byPatient = new Map<string, { -readonly [K in keyof VitalSigns]: VitalSigns[K] }>();

  add(event: EventAt): VitalSigns {
    const o = observation(event);
    const vitals = this.byPatient.get(event.key) ?? {};
    this.byPatient.set(event.key, vitals);
    const code = loincOf(event);
    if (code === LOINC_BP_PANEL) {
      vitals.systolicBp = o.component![0]!.valueQuantity.value;
      return vitals;
    }
    const value = o.valueQuantity?.value ?? NaN;
    switch (fhirVitalCodes[code]) {
      case 'pulse':
        vitals.pulse = value;
        break;
      case 'resp_rate':
        vitals.respRate = value;
        break;
      case 'spo2': {
        const scale = o.extension.find((e) => e.url === SPO2_SCALE_EXTENSION_URL);
        vitals.spo2 = value;
        vitals.spo2Scale = scale?.valueInteger === 2 ? 2 : 1;
        break;
      }
      case 'temperature':
        vitals.temperature = o.valueQuantity?.code === '[degF]' ? fahrenheitToCelsius(value) : value;
        break;
      case 'on_oxygen':
        vitals.onOxygen = value > 0;
        break;
      case 'consciousness':
        vitals.consciousness = o.valueCodeableConcept?.text as Consciousness;
        break;
      default:
        throw new Error(`unexpected LOINC code ${code}`);
    }
    return vitals;
  }
}
