import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, VigilError } from '../errors/vigil-error.js';
import type { Logger } from '../logging/logger.js';
import { alertPayloadSchema, type AlertPayload } from './webhook.payload.js';
import { WebhookSecret } from './webhook.secret.js';
import { verifyWebhook } from './webhook.signer.js';

export interface LocalReceiverOptions {
  /** 0 (the default) picks a free port; read it back from `url`. */
  readonly port?: number;
  readonly host?: string;
  /** Accepted secrets. With none, nothing is verified and alerts are marked unverified. */
  readonly secrets: readonly (string | WebhookSecret)[];
  readonly toleranceSec?: number;
  /** Called once per new webhook-id. A throw answers 500 so the sender retries. */
  readonly onAlert?: (payload: AlertPayload, verified: boolean) => void | Promise<void>;
  readonly log: Logger;
  /** Where the one-line summaries go. Default: process.stdout. */
  readonly out?: NodeJS.WritableStream;
  readonly maxBodyBytes?: number;
}

export interface ReceivedAlert {
  readonly id: string;
  readonly payload: AlertPayload;
  readonly verified: boolean;
  readonly receivedAt: number;
}

export interface LocalReceiver {
  readonly url: string;
  /** Distinct alerts received, oldest first (the latest KEEP_RECEIVED). */
  readonly received: readonly ReceivedAlert[];
  close(): Promise<void>;
}

const KEEP_RECEIVED = 1_000;
/** webhook-ids remembered for deduplication; retries arrive within minutes, not thousands of alerts later. */
const REMEMBER_IDS = 10_000;

/**
 * The receiver behind `vigil receiver` and the demo: a plain node:http server that accepts
 * Vigil's alert webhooks, answers 401 to a bad signature, deduplicates on webhook-id (a repeat
 * gets 200 and is not shown again) and prints one line per alert.
 */
export async function startLocalReceiver(options: LocalReceiverOptions): Promise<LocalReceiver> {
  const host = options.host ?? '127.0.0.1';
  const secrets = options.secrets.map((secret) => WebhookSecret.from(secret));
  const out = options.out ?? process.stdout;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const log = options.log;
  const received: ReceivedAlert[] = [];
  const seen = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return reply(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) return reply(res, 413, { error: 'body_too_large' });

    let verified = false;
    if (secrets.length > 0) {
      const check = verifyWebhook(req.headers, body, secrets, { toleranceSec: options.toleranceSec });
      if (!check.ok) {
        log.warn({ reason: check.reason, remote: req.socket.remoteAddress }, 'rejected webhook: signature check failed');
        return reply(res, 401, { error: check.reason });
      }
      verified = true;
    }
    const id = req.headers['webhook-id'];
    if (typeof id !== 'string' || id === '') return reply(res, 400, { error: 'missing_webhook_id' });
    if (seen.has(id)) return reply(res, 200, { status: 'duplicate' });

    const parsed = alertPayloadSchema.safeParse(parseJson(body));
    if (!parsed.success) {
      log.warn({ id }, 'rejected webhook: not a Vigil alert payload');
      return reply(res, 400, { error: 'invalid_payload' });
    }
    // Remembered first so a concurrent repeat is not shown twice; forgotten again if the hand-off
    // fails, so the sender's retry (answered 500 below) is processed.
    remember(seen, id);
    try {
      await options.onAlert?.(parsed.data, verified);
    } catch (error) {
      seen.delete(id);
      throw error;
    }
    received.push({ id, payload: parsed.data, verified, receivedAt: Date.now() });
    if (received.length > KEEP_RECEIVED) received.shift();
    out.write(summaryLine(parsed.data, verified));
    return reply(res, 200, { status: 'ok' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: describeError(error) }, 'local receiver failed to handle a webhook');
      if (!res.headersSent) reply(res, 500, { error: 'internal' });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(new VigilError('VIGIL_CONFIG_INVALID', `receiver cannot listen on ${host}:${options.port ?? 0}: ${describeError(error)}`, { cause: error })),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Senders keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

/** One line per alert, e.g. `2025-01-01T12:00:05.000Z HIGH finance/card_velocity entity=card-42 score=0.93 "12 payments in 60s" id=a-1`. */
export function summaryLine(payload: AlertPayload, verified: boolean): string {
  const f = payload.finding;
  const parts = [
    payload.created_at,
    f.severity.toUpperCase().padEnd(8),
    `${clean(payload.template)}/${clean(f.detector)}`,
    `entity=${clean(f.entity)}`,
    `score=${Number(f.score.toFixed(3))}`,
    JSON.stringify(clean(f.title)),
    `id=${clean(payload.id)}`,
  ];
  if (!verified) parts.push('(unverified)');
  return `${parts.join(' ')}\n`;
}

/** Entity and title come from event data: drop control characters so one alert stays one line. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function remember(seen: Set<string>, id: string): void {
  seen.add(id);
  if (seen.size > REMEMBER_IDS) {
    const oldest = seen.values().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
}

/** The body, or undefined past `limit` (the rest is drained, not kept, so a 413 can still be sent). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
