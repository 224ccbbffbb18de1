/**
 * The embedded engine (libchdb) brings its own jemalloc, built to keep freed pages for five
 * seconds before giving them back to the system (dirty_decay_ms:5000). A server has the memory for
 * that; in a process that also holds the V8 heap and the detectors' state it is resident memory
 * doing nothing: every insert's column buffers, once freed, stay resident until the decay returns
 * them, and at a steady insert rate that is a few hundred MiB (docs/performance.md). Returning
 * them at once costs a little CPU (the pages are faulted in again by the next insert).
 *
 * This jemalloc reads its options from JE_MALLOC_CONF (its prefix's MALLOC_CONF), once, when the
 * library loads, so this must run before `chdb` is first imported. A value the operator set wins.
 * The one place Vigil writes the environment: the library reads it, not vigil-config.ts.
 */
export const ENGINE_MALLOC_CONF = 'dirty_decay_ms:0';

export function configureEngineAllocator(env: NodeJS.ProcessEnv = process.env): void {
  env.JE_MALLOC_CONF ??= ENGINE_MALLOC_CONF;
}
