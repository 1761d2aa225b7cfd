// Why: plays the Python Debugger extension's part without VS Code: a raw DAP client (Content-Length framing over TCP) that attaches to debugpy.
import type { DebugProtocol } from "@vscode/debugprotocol";
import * as net from "node:net";

export class RawDapClient {
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (response: DebugProtocol.Response) => void>();
  private readonly events: DebugProtocol.Event[] = [];
  private readonly waiters: { event: string; resolve: (e: DebugProtocol.Event) => void }[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  static connect(host: string, port: number, timeoutMs = 10_000): Promise<RawDapClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve(new RawDapClient(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Sends a request; the promise settles with its response (success or not), bounded by timeoutMs. */
  request(command: string, args?: unknown, timeoutMs = 30_000): Promise<DebugProtocol.Response> {
    const seq = ++this.seq;
    const body = Buffer.from(JSON.stringify({ seq, type: "request", command, arguments: args }));
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no response to ${command} within ${timeoutMs} ms`)), timeoutMs);
      this.pending.set(seq, (response) => {
        clearTimeout(timer);
        resolve(response);
      });
    });
  }

  /** The first event of that name (already received or still to come), bounded by timeoutMs. */
  waitForEvent(event: string, timeoutMs = 30_000): Promise<DebugProtocol.Event> {
    const seen = this.events.findIndex((e) => e.event === event);
    if (seen >= 0) return Promise.resolve(this.events.splice(seen, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        event,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as DebugProtocol.ProtocolMessage;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      if (message.type === "response") this.pending.get((message as DebugProtocol.Response).request_seq)?.(message as DebugProtocol.Response);
      if (message.type === "event") this.dispatch(message as DebugProtocol.Event);
    }
  }

  private dispatch(event: DebugProtocol.Event): void {
    const index = this.waiters.findIndex((w) => w.event === event.event);
    if (index >= 0) this.waiters.splice(index, 1)[0].resolve(event);
    else this.events.push(event);
  }
}
