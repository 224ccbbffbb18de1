/** The stages one process can run; `vigil run --services` picks a subset. */
export const SERVICE_NAMES = ['detect', 'sink', 'notify', 'api'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function parseServices(text: string | undefined): ServiceName[] {
  if (!text || text === 'all') return [...SERVICE_NAMES];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown service(s): ${unknown.join(', ')}; choose from ${SERVICE_NAMES.join(', ')}`);
  return [...new Set(names)] as ServiceName[];
}

/** The embedded engine allows one process per data directory, so it lives with the sink. */
export function needsClickHouse(services: readonly ServiceName[], mode: 'server' | 'embedded'): boolean {
  return services.includes('sink') || (mode === 'server' && services.includes('api'));
}

/**
 * Inserts into ClickHouse are batch work: a process running the sink without detect or notify can
 * give way to the alert path when they share a machine (see VIGIL_SINK_NICE).
 */
export function runsBatchWorkOnly(services: readonly ServiceName[]): boolean {
  return services.includes('sink') && !services.includes('detect') && !services.includes('notify');
}
