// Why: a loopback HTTP endpoint the FinalizeTask posts the job summary to, for the testing API (nothing leaves this machine).

import * as http from "node:http";
import type { AddressInfo } from "node:net";

export class CallbackSink {
  private readonly server = http.createServer((request, response) => this.receive(request, response));
  private resolveBody!: (body: unknown) => void;
  private readonly body = new Promise<unknown>((resolve) => (this.resolveBody = resolve));

  async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/summary`;
  }

  /** The first JSON body posted, or an error naming what was waited for once `timeoutMs` have passed. */
  async received(timeoutMs: number, signal: AbortSignal): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the FinalizeTask did not post the job summary within ${timeoutMs} ms`)), timeoutMs);
      signal.addEventListener("abort", () => reject(new Error("the run was aborted before the job summary arrived")), { once: true });
    });
    try {
      return await Promise.race([this.body, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        this.resolveBody(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        response.writeHead(204).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  }
}
