import { existsSync } from 'node:fs';
import path from 'node:path';
import { evaluateNab, formatNab } from '../../../backtest/nab/nab-eval.js';
import { evaluateMatch, formatMatch } from '../../../backtest/trend/munliv-eval.js';
import type { SocialEvalPart } from './eval-part.js';

/** The volume-anomaly detector on the whole NAB corpus, scored by NAB's own rules. */
export const nabEvalPart: SocialEvalPart = {
  name: 'nab',
  missingData(dataDir) {
    const root = path.join(dataDir, 'nab');
    return existsSync(path.join(root, 'labels', 'combined_windows.json'))
      ? undefined
      : `no NAB corpus at ${root} (NAB v1.1, github numenta/NAB: data/, labels/, config/, results/); pass --data <dir>`;
  },
  run(dataDir) {
    return formatNab(evaluateNab(path.join(dataDir, 'nab'))).trimEnd();
  },
};

/** Labelled events of a football match on Twitter against the published volume baseline. */
export const matchEventsEvalPart: SocialEvalPart = {
  name: 'munliv',
  missingData(dataDir) {
    const file = path.join(dataDir, 'trend', 'MUNLIV_window_volume_labels.csv');
    return existsSync(file) ? undefined : `no ${file} (the TED data set's MUNLIV match); pass --data <dir>`;
  },
  run(dataDir) {
    return formatMatch(evaluateMatch(path.join(dataDir, 'trend', 'MUNLIV_window_volume_labels.csv'))).trimEnd();
  },
};
