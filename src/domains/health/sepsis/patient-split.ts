/**
 * Which half a patient belongs to: a hash of the id, so the split is fixed, needs no list, and
 * does not follow the ids' order or parity (the shared file holds even-numbered patients only).
 */
export type PatientHalf = 'fit' | 'evaluation';

export function patientHalf(patientId: string): PatientHalf {
  return (fnv1a(patientId) & 1) === 0 ? 'fit' : 'evaluation';
}

/** 32-bit FNV-1a. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche so the low bit depends on every character.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
