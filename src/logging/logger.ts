import { pino, type Logger } from 'pino';

export type { Logger };

/** One root logger; components take children named after themselves. */
export function createLogger(level: string, name = 'vigil'): Logger {
  return pino({ name, level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination(2));
}
