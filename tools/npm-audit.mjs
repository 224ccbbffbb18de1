#!/usr/bin/env node
// Supply-chain check for CI: `npm audit --omit=dev` must report no high or critical advisory on
// the packages Vigil ships, except those accepted in audit-exceptions.json (advisory id or URL ->
// { reason, until }: an acceptance expires, so it is looked at again). A registry without the
// audit endpoint (a mirror) cannot answer: that is said loudly, not taken as a pass of the check.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BLOCKING = new Set(['high', 'critical']);

/** Advisories of blocking severity from `npm audit --json` output, less unexpired exceptions. */
export function blockingAdvisories(report, exceptions, now = Date.now()) {
  const found = new Map();
  for (const vulnerability of Object.values(report.vulnerabilities ?? {})) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue;
      const id = via.url ?? String(via.source);
      const accepted = exceptions[id];
      if (accepted && Date.parse(accepted.until) > now) continue;
      found.set(id, { id, package: via.name, severity: via.severity, title: via.title });
    }
  }
  return [...found.values()];
}

/** Why the report cannot be judged (the registry refused the audit), or undefined. */
export function unavailable(report) {
  if (report.statusCode) return `the audit endpoint answered ${report.statusCode}`;
  if (report.error) return report.error.summary || 'npm audit failed';
  return undefined;
}

async function main() {
  const exceptions = JSON.parse(readFileSync(new URL('../audit-exceptions.json', import.meta.url), 'utf8'));
  const stdout = await new Promise((resolve) => {
    execFile('npm', ['audit', '--omit=dev', '--json'], { maxBuffer: 64 * 1024 * 1024 }, (_error, out) => resolve(out));
  });
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    console.log(`npm audit: NOT CHECKED: no JSON answer from npm audit`);
    return;
  }
  const reason = unavailable(report);
  if (reason) {
    console.log(`npm audit: NOT CHECKED: this registry does not answer audits (${reason}); run it where the public registry is reachable`);
    return;
  }
  const blocking = blockingAdvisories(report, exceptions);
  for (const advisory of blocking) console.log(`npm audit: ${advisory.severity}: ${advisory.package}: ${advisory.title} (${advisory.id})`);
  if (blocking.length > 0) {
    console.log(`npm audit: ${blocking.length} high or critical advisories; fix them, or accept one in audit-exceptions.json with a reason and an end date`);
    process.exitCode = 1;
  } else {
    console.log('npm audit: no high or critical advisories in production dependencies');
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
