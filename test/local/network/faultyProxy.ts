// Why: a TCP proxy in front of the local service that fails the way networks do: a lost response, a 5xx from a gateway, a body cut short.
import assert from "node:assert/strict";
import * as net from "node:net";

/**
 * What to do to the next `times` requests whose request line matches `match`:
 * - dropResponse: the request reaches the service whole; the connection is cut before any response byte reaches the client;
 * - gateway503: the request reaches the service whole; the client gets a 503 instead of the service's answer;
 * - cutBody: only the headers and the first half of the body reach the service, then both connections are cut.
 */
export interface Fault {
  kind: "dropResponse" | "gateway503" | "cutBody";
  match: RegExp;
  times: number;
}

export interface FaultyProxy {
  url: string;
  /** request lines that were failed, in order */
  readonly failed: string[];
  close(): Promise<void>;
}

export async function startFaultyProxy(target: string, fault: Fault): Promise<FaultyProxy> {
  const upstreamUrl = new URL(target);
  const failed: string[] = [];
  let remaining = fault.times;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(upstreamUrl.port), upstreamUrl.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
    }
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    // set once a request to fail is seen on this connection: what to do with the service's answer
    let armed: Fault["kind"] | undefined;
    // cutBody: how many more bytes of the request reach the service before both connections are cut
    let budget: number | undefined;
    const forwardWithin = (chunk: Buffer) => {
      const part = chunk.subarray(0, budget);
      budget! -= part.length;
      upstream.write(part, () => (budget === 0 ? cut() : undefined));
    };
    client.on("data", (chunk: Buffer) => {
      if (budget !== undefined) return forwardWithin(chunk);
      const line = /^[A-Z]+ \S+ HTTP\/1\.1/m.exec(chunk.toString("latin1"))?.[0];
      if (line && remaining > 0 && fault.match.test(line)) {
        remaining--;
        failed.push(line);
        armed = fault.kind;
        if (fault.kind === "cutBody") {
          const headerEnd = chunk.indexOf("\r\n\r\n") + 4;
          const length = Number(/content-length: *(\d+)/i.exec(chunk.toString("latin1"))?.[1] ?? 0);
          assert(headerEnd > 3 && length > 1, "cutBody needs a request with a body whose headers arrive in one piece");
          budget = headerEnd + Math.floor(length / 2);
          return forwardWithin(chunk);
        }
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (armed === "dropResponse") return cut();
      if (armed === "gateway503") {
        client.end("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on("end", () => upstream.end());
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    failed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
