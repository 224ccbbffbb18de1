import { JSON_FORMAT, type SourceFormat, type SourceFormatLookup } from './source-format.js';

/**
 * Source formats by the name templates use in `event.format`: `json`, and every domain's own
 * (assembled in src/domains/domains.ts, no folder scanning).
 */
export class SourceFormatRegistry implements SourceFormatLookup {
  private readonly byName = new Map<string, SourceFormat>();

  constructor(formats: readonly SourceFormat[]) {
    for (const format of [JSON_FORMAT, ...formats]) {
      if (this.byName.has(format.name)) throw new Error(`source format "${format.name}" registered twice`);
      this.byName.set(format.name, format);
    }
  }

  get(name: string): SourceFormat | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
