import { BaseRpcContext } from '@nestjs/microservices';
import type { BatchConsumer, BatchControl, MessageBatch } from './kafka.types.js';

type KafkaBatchContextArgs = [batch: MessageBatch, control: BatchControl, consumer: BatchConsumer];

/**
 * Second argument of a KafkaBatchTransport handler (`@Ctx()`): the batch's control (heartbeat,
 * staleness) and the consumer, for handlers that commit themselves (commit: 'by-handler').
 */
export class KafkaBatchContext extends BaseRpcContext<KafkaBatchContextArgs> {
  getBatch(): MessageBatch {
    return this.args[0];
  }

  getControl(): BatchControl {
    return this.args[1];
  }

  getConsumer(): BatchConsumer {
    return this.args[2];
  }
}
