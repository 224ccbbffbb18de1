import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import { SilencesService } from '../alerts/silences/silences.service.js';
import { AcknowledgementsController } from './acknowledgements.controller.js';
import { AuditLogService } from './audit/audit-log.service.js';
import { API_AUTH, RUNNING_SERVICES } from './api.tokens.js';
import { BearerAuthGuard } from './auth/bearer-auth.guard.js';
import { RateLimitGuard } from './auth/rate-limit.guard.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { QueryController } from './query.controller.js';
import { RulesController } from './rules.controller.js';
import { SilencesController } from './silences.controller.js';
import { StatusController } from './status.controller.js';
import { TemplatesController } from './templates.controller.js';

@Module({})
export class ApiModule {
  static register(core: VigilCore, services: readonly string[]): DynamicModule {
    return {
      module: ApiModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController, StatusController, TemplatesController, RulesController, QueryController, SilencesController, AcknowledgementsController],
      providers: [
        { provide: VIGIL_CORE, useValue: core },
        { provide: RUNNING_SERVICES, useValue: services },
        { provide: API_AUTH, useValue: core.config.api.auth },
        // Guards run in this order: rate first (guessing tokens counts too), then authenticate.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        SilencesService,
        AuditLogService,
      ],
    };
  }
}
