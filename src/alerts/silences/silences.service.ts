import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { silencesTopic } from '../../model/topics.js';
import { VIGIL_CORE, type VigilCore } from '../../core/vigil-core.js';
import { groupId } from '../../model/topics.js';
import type { Producer } from '../../kafka/kafka.types.js';
import type { Silence } from './silence.js';
import { SilenceFollower } from './silence-follower.js';

/**
 * Silences for the API: written to the compacted silences topic (durable, replicated, and read by
 * every notify process), read back through a follower. A write is visible to GET once the
 * follower has read it (usually within milliseconds).
 */
@Injectable()
export class SilencesService implements OnModuleInit, OnApplicationShutdown {
  private readonly follower: SilenceFollower;
  private producer: Promise<Producer> | undefined;

  constructor(@Inject(VIGIL_CORE) private readonly core: VigilCore) {
    this.follower = new SilenceFollower(core.kafka, silencesTopic(core.template), `${groupId(core.template, 'api')}.silences`, core.logger.child({ component: 'silences' }));
  }

  async onModuleInit(): Promise<void> {
    await this.follower.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.follower.stop();
    await this.producer?.then((p) => p.close()).catch(() => undefined);
  }

  list(): Silence[] {
    return this.follower.store.list();
  }

  get(id: string): Silence | undefined {
    return this.follower.store.get(id);
  }

  async create(silence: Silence): Promise<void> {
    await (await this.producerOnce()).send([{ topic: silencesTopic(this.core.template), key: silence.id, value: JSON.stringify(silence) }]);
  }

  /** Deletes the silence (a tombstone: compaction removes it for good). */
  async expire(id: string): Promise<void> {
    await (await this.producerOnce()).send([{ topic: silencesTopic(this.core.template), key: id, value: null }]);
  }

  private producerOnce(): Promise<Producer> {
    this.producer ??= this.core.kafka.producer();
    return this.producer;
  }
}
