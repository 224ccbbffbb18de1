import type { Command } from 'commander';

export function registerAnomalyCommand(program: Command): void {
  program
    .command('anomaly')
    .description('score a timestamp,value CSV (NAB format) point by point with the volume-anomaly core; writes timestamp,value,anomaly_score')
    .requiredOption('-i, --input <file.csv>', 'CSV with a header and timestamp,value rows')
    .action(async (options: { input: string }) => {
      // A reader that stops early (`| head`) is not an error: stop scoring quietly.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      const { scoreCsvFile } = await import('../detectors/volume-anomaly/score-csv.js');
      await scoreCsvFile(options.input, process.stdout);
    });
}
