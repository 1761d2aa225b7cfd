// Why: a local HTTP server standing in for a workload's callback endpoint: records every POSTed JSON body, can fail on purpose.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedCallback {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  /** the body exactly as received (what a signature covers) */
  rawBody: string;
  /** Date.now() when the request ended */
  receivedAt: number;
}

export class CallbackServer {
  readonly received: ReceivedCallback[] = [];
  /** answer the next N requests with this status instead of accepting them */
  failNext: { count: number; status: number } = { count: 0, status: 503 };
  private readonly server = http.createServer((request, response) => this.handle(request, response));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Polls until a callback arrived on `path`. */
  async waitFor(path: string, timeoutMs: number): Promise<ReceivedCallback> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((callback) => callback.path === path);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no callback on ${path} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (this.failNext.count > 0) {
        this.failNext.count--;
        response.writeHead(this.failNext.status).end();
        return;
      }
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        response.writeHead(400).end();
        return;
      }
      this.received.push({ path: request.url ?? "/", headers: request.headers, body, rawBody, receivedAt: Date.now() });
      response.writeHead(204).end();
    });
  }
}
