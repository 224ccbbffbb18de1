import { Controller, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import { KafkaBatchContext } from '../kafka/kafka-batch.context.js';
import type { MessageBatch } from '../kafka/kafka.types.js';
import { NotifyStage } from './notify.stage.js';

export const NOTIFY_PATTERN = 'vigil.notify';

@Controller()
export class NotifyController {
  constructor(private readonly stage: NotifyStage) {}

  @EventPattern<string>(NOTIFY_PATTERN)
  handle(@Payload() batch: MessageBatch, @Ctx() context: KafkaBatchContext): Promise<void> {
    return this.stage.handle(batch, context.getControl(), context.getConsumer());
  }
}

@Module({})
export class NotifyModule {
  static register(core: VigilCore): DynamicModule {
    return {
      module: NotifyModule,
      controllers: [NotifyController],
      providers: [{ provide: VIGIL_CORE, useValue: core }, NotifyStage],
    };
  }
}
