/** ACVPU: Alert, new Confusion, responds to Voice, to Pain, Unresponsive. */
export type Consciousness = 'A' | 'C' | 'V' | 'P' | 'U';

export type Spo2Scale = 1 | 2;

/**
 * One set of observations as NEWS2 reads it. Every parameter is optional: an absent one is missing
 * (scored as missing, never as zero). Units: breaths/min, %, mmHg, beats/min, °C.
 */
export interface VitalSigns {
  readonly respRate?: number;
  readonly spo2?: number;
  /** The patient's SpO2 target scale (2: hypercapnic respiratory failure, target 88–92 %); 1 when absent. */
  readonly spo2Scale?: Spo2Scale;
  readonly onOxygen?: boolean;
  readonly systolicBp?: number;
  readonly pulse?: number;
  readonly consciousness?: Consciousness;
  readonly temperature?: number;
}

/** The seven NEWS2 parameters, named as in the `vigil news2` JSON lines. */
export const NEWS2_PARAMETERS = ['resp_rate', 'spo2', 'on_oxygen', 'systolic_bp', 'pulse', 'consciousness', 'temperature'] as const;

export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];
