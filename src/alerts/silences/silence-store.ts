import type { IncomingMessage } from '../../kafka/kafka.types.js';
import type { Alert } from '../../model/records.js';
import { silenceSchema, silences, type Silence } from './silence.js';

/**
 * The silences in force, as the compacted silences topic says: a message per silence keyed by
 * its id, a tombstone (null value) deletes it. Unreadable messages are skipped (and reported), so
 * one bad record cannot stop notification.
 */
export class SilenceStore {
  private readonly byId = new Map<string, Silence>();

  apply(message: Pick<IncomingMessage, 'key' | 'value'>): { ok: true } | { ok: false; reason: string } {
    const id = message.key?.toString('utf8');
    if (!id) return { ok: false, reason: 'silence message without a key' };
    if (message.value === null) {
      this.byId.delete(id);
      return { ok: true };
    }
    let json: unknown;
    try {
      json = JSON.parse(message.value.toString('utf8'));
    } catch {
      return { ok: false, reason: `silence ${id} is not JSON` };
    }
    const parsed = silenceSchema.safeParse(json);
    if (!parsed.success || parsed.data.id !== id) return { ok: false, reason: `silence ${id} does not fit the silence schema` };
    this.byId.set(id, parsed.data);
    return { ok: true };
  }

  /** The first silence (by id) that silences the alert. */
  silencing(alert: Alert): Silence | undefined {
    for (const silence of this.byId.values()) if (silences(silence, alert)) return silence;
    return undefined;
  }

  list(): Silence[] {
    return [...this.byId.values()].sort((a, b) => a.starts_at - b.starts_at || a.id.localeCompare(b.id));
  }

  get(id: string): Silence | undefined {
    return this.byId.get(id);
  }
}
