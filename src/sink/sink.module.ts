import { Controller, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { VIGIL_CORE, type VigilCore } from '../app/vigil-core.js';
import { KafkaBatchContext } from '../kafka/kafka-batch.context.js';
import type { MessageBatch } from '../kafka/kafka.types.js';
import { SinkStage } from './sink.stage.js';

export const SINK_PATTERN = 'vigil.sink';

@Controller()
export class SinkController {
  constructor(private readonly stage: SinkStage) {}

  @EventPattern<string>(SINK_PATTERN)
  handle(@Payload() batch: MessageBatch, @Ctx() context: KafkaBatchContext): Promise<void> {
    return this.stage.handle(batch, context.getConsumer(), context.getControl());
  }
}

@Module({})
export class SinkModule {
  static register(core: VigilCore): DynamicModule {
    return {
      module: SinkModule,
      controllers: [SinkController],
      providers: [{ provide: VIGIL_CORE, useValue: core }, SinkStage],
    };
  }
}
