import type { LoggerService } from '@nestjs/common';
import type { Logger } from '../logging/logger.js';

/** Routes Nest's own messages into our pino logger, so all output has one format. */
export class NestPinoLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(logger: Logger) {
    this.pino = logger.child({ component: 'nest' });
  }

  private write(level: 'debug' | 'info' | 'warn' | 'error', message: unknown, context: unknown[]): void {
    this.pino[level]({ context: context.at(-1) }, String(message));
  }

  log(message: unknown, ...context: unknown[]): void {
    // Nest's start-up chatter (modules, routes) is debug detail for Vigil's users.
    this.write('debug', message, context);
  }

  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }

  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }

  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }

  verbose(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
}
