import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { auditTopic, type AuditAction } from '../../model/audit-record.js';
import type { AuditRecord } from '../../model/audit-record.js';
import { VIGIL_CORE, type VigilCore } from '../../core/vigil-core.js';
import type { Producer } from '../../kafka/kafka.types.js';
import type { ApiCaller } from '../auth/api-caller.js';

export interface AuditedChange {
  readonly action: AuditAction;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Records each change made through the API on the template's audit topic, which the sink stores in
 * `audit_log`. The record is sent after the change was written and before the API answers, so a
 * client that saw success can find its change in the trail.
 */
@Injectable()
export class AuditLogService implements OnApplicationShutdown {
  private producer: Promise<Producer> | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {}

  async record(caller: ApiCaller, change: AuditedChange): Promise<void> {
    const record: AuditRecord = {
      time: Date.now(),
      template: this.core.template.name,
      actor: caller.name,
      role: caller.role,
      action: change.action,
      target: change.target,
      before: change.before === undefined ? '' : JSON.stringify(change.before),
      after: change.after === undefined ? '' : JSON.stringify(change.after),
    };
    this.producer ??= this.core.kafka.producer();
    await (await this.producer).send([{ topic: auditTopic(this.core.template), key: record.target, value: JSON.stringify(record) }]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.then((p) => p.close()).catch(() => undefined);
  }
}
