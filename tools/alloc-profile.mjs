// Where a script allocates, garbage included (issue 18, docs/performance.md "Detect: fewer
// allocations per event"): runs the script under V8's sampling heap profiler with the objects
// collected by GC kept in the samples (`node --heap-prof` keeps only what is still alive at the
// end), writes the profile (open it in Chrome DevTools, Memory tab) and prints the sampled bytes by
// allocating function, within the calls of `--under <function>` when given.
// Usage: node tools/alloc-profile.mjs <out.heapprofile> [--under name] <script> [args...]
//   e.g. node tools/alloc-profile.mjs /tmp/detect.heapprofile --under process tools/changelog-probe.mjs dist 200000
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [out, ...rest] = process.argv.slice(2);
const under = rest[0] === '--under' ? rest[1] : undefined;
const [script, ...args] = under === undefined ? rest : rest.slice(2);
if (!out || !script) throw new Error('usage: node tools/alloc-profile.mjs <out.heapprofile> [--under name] <script> [args...]');

const session = new inspector.Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(path.resolve(script)).href);
const { profile } = await session.post('HeapProfiler.stopSampling');
fs.writeFileSync(out, JSON.stringify(profile));

const bytes = new Map();
let total = 0;
const walk = (node, inside) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const within = inside || under === undefined || functionName === under;
  if (within && node.selfSize > 0) {
    const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
    total += node.selfSize;
  }
  for (const child of node.children) walk(child, within);
};
walk(profile.head, false);
process.stdout.write(`sampled ${(total / 1e6).toFixed(1)} MB${under === undefined ? '' : ` under ${under}`}\n`);
for (const [site, size] of [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  process.stdout.write(`${((100 * size) / total).toFixed(1).padStart(6)} %  ${site}\n`);
}
