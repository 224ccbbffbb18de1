import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers one request; `hang` never answers (the sender times out). */
export type Answer = { readonly status: number; readonly headers?: Readonly<Record<string, string>> } | 'hang';

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A webhook receiver like a careful user writes one: it deduplicates on webhook-id (a repeat is
 * answered 200 and not processed again) and can go down and come back on the same port. While up
 * it answers requests from `script` in order (500s, 429 with Retry-After, hangs) and then 200.
 */
export class OutageReceiver {
  readonly accepted: ReceivedRequest[] = [];
  readonly duplicates: ReceivedRequest[] = [];
  private readonly seen = new Set<string>();
  private server: Server | undefined;
  private requests = 0;
  private port = 0;

  constructor(private readonly script: readonly Answer[] = []) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Listens (again) on the same port. */
  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.answer(res, { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening; connection attempts are refused until `up`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private answer(res: ServerResponse, request: ReceivedRequest): void {
    const scripted = this.script[this.requests++];
    if (scripted === 'hang') return;
    if (scripted !== undefined) {
      res.writeHead(scripted.status, scripted.headers).end();
      return;
    }
    const id = String(request.headers['webhook-id']);
    if (this.seen.has(id)) this.duplicates.push(request);
    else {
      this.seen.add(id);
      this.accepted.push(request);
    }
    res.writeHead(200).end('ok');
  }
}
