import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { PublicEndpoint } from './auth/auth.decorators.js';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';

/** GET /health: 200 when Kafka answers a metadata request and ClickHouse answers a ping. */
@PublicEndpoint()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(VIGIL_CORE) private readonly core: VigilCore,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () =>
        this.indicators
          .check('kafka')
          .attempt(async () => {
            const admin = await this.core.kafka.admin();
            try {
              await admin.ping();
            } finally {
              await admin.close();
            }
          })
          .withTimeout(5_000),
      () =>
        this.indicators
          .check('clickhouse')
          .attempt(async () => {
            const client = this.core.clickhouse;
            if (!client) return { mode: 'not in this process' };
            const result = await client.ping();
            if (!result.success) throw result.error;
            return { mode: this.core.config.clickhouse.mode };
          })
          .withTimeout(5_000),
    ]);
  }
}
