import type { Command } from 'commander';

export function registerSentimentCommand(program: Command): void {
  program
    .command('sentiment')
    .description('score text read from stdin, one text per line: one JSON line {"score": -1..1, "label"} per input line')
    .action(async () => {
      // Loaded here so `vigil --help` and other commands do not pay for the lexicon.
      const { scoreLines } = await import('./sentiment-lines.js');
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        // The reader went away (`| head`): stop quietly, as Unix filters do.
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      await scoreLines(process.stdin, process.stdout);
    });
}
