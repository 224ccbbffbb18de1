#!/usr/bin/env node
// Entry point of the compiled CLI (npm run build writes dist/).
// First, before anything that breaks on an older Node is imported.
import './check-node.js';
// kafkajs schedules a negative timeout once per process on Node >= 23; the warning is noise.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'TimeoutNegativeWarning' || warning?.name === 'TimeoutNegativeWarning') return;
  emitWarning(warning, ...rest);
};
await import('../dist/cli/main.js');
