import { Controller, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import { KafkaBatchContext } from '../kafka/kafka-batch.context.js';
import type { MessageBatch } from '../kafka/kafka.types.js';
import { DetectStage } from './detect.stage.js';

export const DETECT_PATTERN = 'vigil.detect';

@Controller()
export class DetectController {
  constructor(private readonly stage: DetectStage) {}

  @EventPattern<string>(DETECT_PATTERN)
  handle(@Payload() batch: MessageBatch, @Ctx() context: KafkaBatchContext): Promise<void> {
    return this.stage.handle(batch, context.getControl(), context.getConsumer());
  }
}

@Module({})
export class DetectModule {
  static register(core: VigilCore): DynamicModule {
    return {
      module: DetectModule,
      controllers: [DetectController],
      providers: [{ provide: VIGIL_CORE, useValue: core }, DetectStage],
    };
  }
}
