import { parseArgs } from 'node:util';

/** What one `npm run bench` run does; parsed once from argv in main.ts. */
export interface BenchOptions {
  /** Events filled into the input topic and read by every consumer. */
  readonly events: number;
  /** Messages per producer request while filling. */
  readonly fillBatch: number;
  /** Upper bound of each measurement (one consumer, one pipeline run). */
  readonly timeoutMs: number;
  /** Also run the detect stage alone and the sink stage alone, each in its own child. */
  readonly splitStages: boolean;
  /** The pipeline with detect and sink in one process, each in its own (as deployed), or both. */
  readonly pipelineShapes: readonly ('one-process' | 'separate')[];
  /** Write V8 CPU profiles of the pipeline children here (node --cpu-prof). */
  readonly cpuProfDir: string | undefined;
  /** Where the JSON results go. */
  readonly out: string;
  /** Run the state measurement (memory per key, restore rate); --no-state turns it off. */
  readonly state: boolean;
  /** Distinct cards (keys of detector state) in the state measurement. */
  readonly stateKeys: number;
  /** Run the all-in-one memory measurement (one `vigil run`, every service); --no-memory turns it off. */
  readonly memory: boolean;
  /** Distinct cards the memory run's events cycle through (one event per card). */
  readonly memoryCards: number;
  /** Only the memory run: no throughput, state or alert run. */
  readonly memoryOnly: boolean;
  /** Run the alert-latency measurement; --no-alerts turns it off. */
  readonly alerts: boolean;
  /** Background events per second while alert latency is measured. */
  readonly alertRate: number;
  /** How long alert latency is measured (after a 3 s warm-up). */
  readonly alertSeconds: number;
  /** Alert latency with the stages in one process, each in its own (as deployed), or both. */
  readonly alertShapes: readonly ('one-process' | 'separate')[];
  /** Only the alert-latency run: no fill, readers, pipeline or state run. */
  readonly alertsOnly: boolean;
  /** Detect processes in the separate shape (docker compose --scale detect=N); they share the partitions. */
  readonly alertDetectProcesses: number;
  /**
   * Peers to time against Vigil's detect stage on the finance2 template (peer-bench.ts). When
   * non-empty the run does only that: fill, alternating rounds, output diff.
   */
  readonly peers: readonly PeerName[];
  /**
   * Only the sink alone, in `rounds` alternating rounds of the JS decoder and the raw path
   * (sink-paths-bench.ts): fill, then the rounds; nothing else is measured.
   */
  readonly sinkPaths: boolean;
  /** Rounds of the peer comparison (each runs Vigil's detect, then each peer, once) or of --sink-paths. */
  readonly rounds: number;
  /** Where the peers and the finance2 template live (default ../shared/peers beside the repo). */
  readonly peersDir: string | undefined;
  /** Progress on stderr; the last stdout line is the result as one JSON object. */
  readonly json: boolean;
}

export const PEER_NAMES = ['kstreams', 'flink'] as const;
export type PeerName = (typeof PEER_NAMES)[number];

export const USAGE = `npm run bench -- [--events N] [--fill-batch N] [--timeout S] [--pipeline-shape S] [--split-stages] [--state-keys N | --no-state] [--memory-cards N | --memory-only | --no-memory] [--alert-shape S | --alerts-only | --no-alerts] [--alert-detect-processes N] [--cpu-prof DIR] [--out FILE]
       npm run bench -- --peers kstreams,flink [--rounds N] [--peers-dir DIR] [--events N] [--json]
       npm run bench -- --sink-paths [--rounds N] [--events N]
  --events N       events in the input topic (default 200000)
  --fill-batch N   messages per producer request while filling (default 5000)
  --timeout S      limit of each measurement in seconds (default max(120, N/1000))
  --pipeline-shape one|separate|both  detect and sink in one child, or each in its own process
                   started together as docker-compose runs them, or both (default both)
  --split-stages   also time detect alone and sink alone (one child each)
  --state-keys N   keys of detector state (distinct cards) in the state run (default 1000000):
                   heap bytes per key, and keys/s restoring the partition from its changelog
  --no-state       skip the state run
  --memory-cards N  distinct cards in the memory run (default 1000000): one \`vigil run\` process with
                   every service (detect, sink into the embedded engine, notify, api), as npm start
                   runs Vigil, through one payment per card; its peak RSS and where the memory is
  --memory-only    run only the memory measurement
  --no-memory      skip the memory run
  --alert-rate N   events/s flowing while alert latency is measured (default 10000)
  --alert-seconds S  how long alert latency is measured (default 30)
  --alert-shape one|separate|both  stages in one child, each in its own process as docker-compose
                   runs them, or both (default both)
  --alerts-only    run only the alert-latency measurement
  --alert-detect-processes N  detect processes in the separate shape, sharing the partitions as
                   \`docker compose up --scale detect=N\` does (default 1)
  --no-alerts      skip the alert-latency run
  --cpu-prof DIR   write CPU profiles of the pipeline and state children into DIR
  --out FILE       JSON results (default bench-results.json)
  --peers LIST     only compare Vigil's detect stage with these peers (kstreams, flink; comma-separated)
                   on one topic of finance2 events: fill, then rounds of Vigil / each peer, then a
                   byte-for-byte diff of their findings and alerts; nothing else is measured
  --sink-paths     only the sink stage alone: rounds of the JS decoder (VIGIL_SINK_RAW=off) and the
                   raw path (auto), alternating, on one filled topic; events/s and CPU per event
  --rounds N       rounds of the peer comparison or of --sink-paths (default 3)
  --peers-dir DIR  the peers and templates/finance2 (default ../shared/peers beside the repo)
  --json           progress on stderr, and the result as one JSON object on the last stdout line`;

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      events: { type: 'string' },
      'fill-batch': { type: 'string' },
      timeout: { type: 'string' },
      'split-stages': { type: 'boolean' },
      'pipeline-shape': { type: 'string' },
      'cpu-prof': { type: 'string' },
      out: { type: 'string' },
      'state-keys': { type: 'string' },
      'no-state': { type: 'boolean' },
      'memory-cards': { type: 'string' },
      'memory-only': { type: 'boolean' },
      'no-memory': { type: 'boolean' },
      'alert-rate': { type: 'string' },
      'alert-seconds': { type: 'string' },
      'no-alerts': { type: 'boolean' },
      'alert-shape': { type: 'string' },
      'alerts-only': { type: 'boolean' },
      'alert-detect-processes': { type: 'string' },
      peers: { type: 'string' },
      rounds: { type: 'string' },
      'sink-paths': { type: 'boolean' },
      'peers-dir': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const events = positiveInteger('--events', values.events ?? '200000');
  const timeoutSeconds = values.timeout === undefined ? Math.max(120, Math.ceil(events / 1000)) : positiveInteger('--timeout', values.timeout);
  return {
    events,
    fillBatch: positiveInteger('--fill-batch', values['fill-batch'] ?? '5000'),
    timeoutMs: timeoutSeconds * 1000,
    splitStages: values['split-stages'] ?? false,
    pipelineShapes: shapes('--pipeline-shape', values['pipeline-shape'] ?? 'both'),
    cpuProfDir: values['cpu-prof'],
    out: values.out ?? 'bench-results.json',
    state: !(values['no-state'] ?? false),
    stateKeys: positiveInteger('--state-keys', values['state-keys'] ?? '1000000'),
    memory: !(values['no-memory'] ?? false),
    memoryCards: positiveInteger('--memory-cards', values['memory-cards'] ?? '1000000'),
    memoryOnly: values['memory-only'] ?? false,
    alerts: !(values['no-alerts'] ?? false),
    alertRate: positiveInteger('--alert-rate', values['alert-rate'] ?? '10000'),
    alertSeconds: positiveInteger('--alert-seconds', values['alert-seconds'] ?? '30'),
    alertShapes: shapes('--alert-shape', values['alert-shape'] ?? 'both'),
    alertsOnly: values['alerts-only'] ?? false,
    alertDetectProcesses: positiveInteger('--alert-detect-processes', values['alert-detect-processes'] ?? '1'),
    peers: values.peers === undefined ? [] : peerList(values.peers),
    sinkPaths: values['sink-paths'] ?? false,
    rounds: positiveInteger('--rounds', values.rounds ?? '3'),
    peersDir: values['peers-dir'],
    json: values.json ?? false,
  };
}

function peerList(raw: string): readonly PeerName[] {
  const names = raw.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new BenchUsageError(`--peers: expected a list of ${PEER_NAMES.join(', ')}, got "${raw}"`);
  const unknown = names.filter((name) => !(PEER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new BenchUsageError(`--peers: unknown peer ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${PEER_NAMES.join(', ')})`);
  return [...new Set(names as PeerName[])];
}

function shapes(flag: string, raw: string): readonly ('one-process' | 'separate')[] {
  if (raw === 'one') return ['one-process'];
  if (raw === 'separate') return ['separate'];
  if (raw === 'both') return ['one-process', 'separate'];
  throw new BenchUsageError(`${flag}: expected one, separate or both, got "${raw}"`);
}

function positiveInteger(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new BenchUsageError(`${flag}: expected a positive integer, got "${raw}"`);
  return n;
}
