/** The hourly measurement columns of the PhysioNet/CinC 2019 format that the score reads. */
export const MEASUREMENTS = ['HR', 'O2Sat', 'Temp', 'SBP', 'MAP', 'DBP', 'Resp', 'EtCO2', 'FiO2'] as const;

export type Measurement = (typeof MEASUREMENTS)[number];

/**
 * One patient-hour as the sepsis score sees it: what was measured in that hour (absent: not
 * measured), demographics, and hours since ICU admission. It has no label field, so nothing that
 * scores a row can read SepsisLabel.
 */
export interface HourlyRow {
  readonly patientId: string;
  /** Hours since ICU admission (ICULOS), 1 for the first hour. */
  readonly iculos: number;
  readonly values: Readonly<Partial<Record<Measurement, number>>>;
  readonly age?: number;
  /** 1 male, 0 female (the Challenge's coding). */
  readonly gender?: number;
  /** Hours between hospital and ICU admission (negative). */
  readonly hospAdmTime?: number;
}
