// Why: a local OTLP/HTTP traces receiver (POST /v1/traces, the JSON encoding the runtime's exporter sends): keeps every span it is sent, with its resource, for tests to check one trace's shape.
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** One span as OTLP/JSON encodes it (ids in hex), with its resource's attributes flattened. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  status?: { code?: number; message?: string };
}

interface OtlpKeyValue {
  key: string;
  value: Record<string, unknown>;
}
interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: (Omit<ReceivedSpan, "attributes" | "resource"> & { attributes?: OtlpKeyValue[] })[] }[];
  }[];
}

const flatten = (values: OtlpKeyValue[] | undefined): Record<string, unknown> =>
  Object.fromEntries((values ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** every request body as received (to check what never appears in telemetry) */
  readonly rawBodies: string[] = [];
  private readonly server = http.createServer((request, response) => this.handle(request, response));

  /** Starts on a free loopback port; returns the base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT). */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      if (request.method !== "POST" || request.url !== "/v1/traces" || !String(request.headers["content-type"]).startsWith("application/json")) {
        response.writeHead(415).end();
        return;
      }
      this.rawBodies.push(raw);
      const traces = JSON.parse(raw) as OtlpTraces;
      for (const resourceSpans of traces.resourceSpans ?? []) {
        const resource = flatten(resourceSpans.resource?.attributes);
        for (const scope of resourceSpans.scopeSpans ?? [])
          for (const span of scope.spans ?? []) this.spans.push({ ...span, attributes: flatten(span.attributes), resource });
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  }
}
