import type { Command } from 'commander';

/**
 * `vigil news2`: NEWS2 for one JSON object per stdin line, one JSON object per stdout line in the
 * same order. A bad line answers `{"error": …}` in its place and the stream goes on. Output is
 * written a read chunk at a time and waits for stdout to drain, so it streams at full speed
 * without buffering the whole input.
 */
export function registerNews2Command(program: Command): void {
  program
    .command('news2')
    .description('score NEWS2 (RCP 2017 chart) for JSON lines on stdin: total, risk band and points per parameter on stdout')
    .action(async () => {
      const { news2Line } = await import('../domains/health/news2/news2-line.js');
      let rest = '';
      const answer = (lines: string[], out: string[]) => {
        for (const line of lines) if (line.trim() !== '') out.push(news2Line(line), '\n');
      };
      process.stdin.setEncoding('utf8');
      for await (const chunk of process.stdin as AsyncIterable<string>) {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        const out: string[] = [];
        answer(lines, out);
        if (out.length > 0 && !process.stdout.write(out.join(''))) await drained();
      }
      const out: string[] = [];
      answer([rest], out);
      if (out.length > 0) process.stdout.write(out.join(''));
    });
}

function drained(): Promise<void> {
  return new Promise((resolve) => process.stdout.once('drain', resolve));
}
