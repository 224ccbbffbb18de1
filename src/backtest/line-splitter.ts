/** Where node:readline ends a line: \r\n, \n, or a \r not followed by \n. */
const LINE_ENDING = /\r?\n|\r(?!\n)/;
const LF = 10;

/**
 * Cuts decoded text, chunk by chunk, into lines, exactly as node:readline does with
 * `crlfDelay: Infinity` (a \r ending one chunk and a \n starting the next are one line end; a last
 * line without a line end still counts; no empty line after a final line end). It hands over all
 * the lines a chunk completes at once: readline emits an event and resolves a promise per line,
 * which was a visible share of a million-line replay.
 */
export class LineSplitter {
  private rest = '';
  private endedWithReturn = false;

  /** The lines this chunk of text completes, in order. */
  push(text: string): string[] {
    // Nothing to do for an empty chunk (or a lone piece of a UTF-8 sequence): a \r before it still
    // pairs with a \n after it.
    if (text === '') return [];
    if (this.endedWithReturn) {
      this.endedWithReturn = false;
      if (text.charCodeAt(0) === LF) text = text.slice(1);
      if (text === '') return [];
    }
    const joined = this.rest === '' ? text : this.rest + text;
    // Most files end lines with \n alone: splitting on a string is much cheaper than on the pattern.
    const lines = joined.includes('\r') ? joined.split(LINE_ENDING) : joined.split('\n');
    this.rest = lines.pop()!;
    this.endedWithReturn = joined.endsWith('\r');
    return lines;
  }

  /** The last line, when the text did not end with a line end. */
  end(): string[] {
    const last = this.rest;
    this.rest = '';
    return last === '' ? [] : [last];
  }
}
