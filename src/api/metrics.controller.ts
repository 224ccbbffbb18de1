import { Controller, Get, Header, Inject } from '@nestjs/common';
import { MetricsEndpoint } from './auth/auth.decorators.js';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';

/** GET /metrics in the Prometheus text format. */
@MetricsEndpoint()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.core.metrics.registry.metrics();
  }
}
