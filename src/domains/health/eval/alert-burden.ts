interface PatientRange {
  readonly from: number;
  readonly to: number;
}

export interface AlertBurden {
  /** Hours in alert per patient-day (24 patient-hours). */
  readonly alertHoursPerPatientDay: number;
  /** Alert episodes (an hour in alert after one that was not) per patient-day: what would notify. */
  readonly alertEpisodesPerPatientDay: number;
}

export function alertBurden(alerts: ArrayLike<number>, patients: readonly PatientRange[]): AlertBurden {
  let hours = 0;
  let alertHours = 0;
  let episodes = 0;
  for (const { from, to } of patients) {
    hours += to - from;
    for (let i = from; i < to; i++) {
      if (alerts[i] !== 1) continue;
      alertHours++;
      if (i === from || alerts[i - 1] !== 1) episodes++;
    }
  }
  const days = hours / 24;
  return { alertHoursPerPatientDay: alertHours / days, alertEpisodesPerPatientDay: episodes / days };
}
