import { Controller, Inject, Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { VIGIL_CORE, type VigilCore } from '../core/vigil-core.js';
import { KafkaBatchContext } from '../kafka/kafka-batch.context.js';
import type { MessageBatch } from '../kafka/kafka.types.js';
import type { Stage, StageName } from './stage.js';

/** The Nest event pattern a stage's batches are dispatched under. */
export function stagePattern(name: StageName): string {
  return `vigil.${name}`;
}

/**
 * A stage's Nest module: the stage as a provider with the core (and any adapter it is given, such
 * as the sink's writer), and a controller that hands each
 * batch to `Stage.handle`. One shape for every stage, so the launcher treats them alike.
 */
export function stageModule(name: StageName, stage: Type<Stage>, core: VigilCore, providers: readonly Provider[] = []): DynamicModule {
  @Controller()
  class StageController {
    constructor(@Inject(stage) private readonly target: Stage) {}

    @EventPattern<string>(stagePattern(name))
    handle(@Payload() batch: MessageBatch, @Ctx() context: KafkaBatchContext): Promise<void> {
      return this.target.handle(batch, context.getControl(), context.getConsumer());
    }
  }

  @Module({})
  class StageModule {}

  return {
    module: StageModule,
    controllers: [StageController],
    providers: [{ provide: VIGIL_CORE, useValue: core }, ...providers, stage],
  };
}
