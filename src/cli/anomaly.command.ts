import type { Command } from 'commander';

export function registerAnomalyCommand(program: Command): void {
  program
    .command('anomaly')
    .description('score a timestamp,value CSV (NAB format) point by point with the volume-anomaly core; writes timestamp,value,anomaly_score')
    .requiredOption('-i, --input <file.csv>', 'CSV with a header and timestamp,value rows')
    .action(async (options: { input: string }) => {
      const { scoreCsvFile } = await import('../detectors/volume-anomaly/score-csv.js');
      await scoreCsvFile(options.input, process.stdout);
    });
}
