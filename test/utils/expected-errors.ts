import { pino, type Logger } from 'pino';

/** One pino record as written (JSON), with the fields the tests read. */
export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

const ERROR = 50;

/**
 * A logger for a test that provokes errors on purpose (a dead receiver, a missing table). Error
 * records whose message matches one of `expected` are kept in `errors`, for the test to assert on,
 * instead of being printed among passing tests; everything else, any other error included, is
 * printed as createLogger prints it.
 */
export function expectingErrors(expected: readonly RegExp[], name = 'pipeline-test'): { logger: Logger; errors: LogRecord[] } {
  const errors: LogRecord[] = [];
  const destination = {
    write(line: string) {
      const record = JSON.parse(line) as LogRecord;
      if (record.level >= ERROR && expected.some((pattern) => pattern.test(record.msg))) errors.push(record);
      else process.stderr.write(line);
    },
  };
  return { logger: pino({ name, level: 'warn', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination), errors };
}
