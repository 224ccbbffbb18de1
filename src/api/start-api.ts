import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { VigilCore } from '../core/vigil-core.js';
import { ApiModule } from './api.module.js';
import { assertSafeListen } from './auth/listen-policy.js';
import { VigilErrorFilter } from './vigil-error.filter.js';

export interface StartedApi {
  readonly app: NestExpressApplication;
  readonly url: string;
}

/** The HTTP API: refuses an open API on a reachable address, limits request bodies, then listens. */
export async function startApi(core: VigilCore, services: readonly string[], logger: LoggerService): Promise<StartedApi> {
  const { api } = core.config;
  assertSafeListen(api.host, api.auth.tokens.length);
  if (api.auth.tokens.length === 0) core.logger.info({ host: api.host }, 'the API has no tokens (VIGIL_API_TOKENS): open to anyone on this machine, and to no one else');
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.register(core, services), { logger, bodyParser: false });
  // Larger bodies get 413 before they are read whole.
  app.useBodyParser('json', { limit: api.auth.bodyLimitBytes });
  app.useGlobalFilters(new VigilErrorFilter());
  await app.listen(api.port, api.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : api.port;
  return { app, url: `http://${api.host}:${port}` };
}
