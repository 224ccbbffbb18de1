import { Controller, Get, Inject } from '@nestjs/common';
import { dataIdentity } from '../config/data-identity.js';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import { RUNNING_SERVICES } from './api.tokens.js';

/** GET /status: what runs here and how much it has done, for humans and the progress display. */
@Controller('status')
export class StatusController {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(VIGIL_CORE) private readonly core: VigilCore,
    @Inject(RUNNING_SERVICES) private readonly services: readonly string[],
  ) {}

  @Get()
  async status() {
    const { metrics, template } = this.core;
    const labels = { template: template.name };
    return {
      template: template.name,
      version: template.version,
      services: this.services,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      clickhouse: this.core.config.clickhouse.mode,
      // Which data this API serves (config/data-identity.ts): `vigil query` compares it with its own.
      data: dataIdentity(this.core.config.clickhouse),
      counts: {
        processed: await metrics.total(metrics.processed, labels),
        findings: await metrics.total(metrics.findings, labels),
        alerts: await metrics.total(metrics.alerts, labels),
        deadLetters: await metrics.total(metrics.deadLetters, labels),
        sinkRows: await metrics.total(metrics.sinkRows),
        webhooksDelivered: await metrics.total(metrics.webhookDeliveries, { reason: 'ok' }),
      },
    };
  }
}
