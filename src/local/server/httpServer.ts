// Why: the HTTP front of the local Batch service: auth, api-version, body checks, dispatch to handlers, the service's error shape.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { BatchServiceError, errorBody, invalidQueryParameter } from "../protocol/batchError";
import { verifySharedKey } from "../protocol/sharedKey";
import { API_VERSION } from "../protocol/spec";
import type { Logger } from "../logger";
import { MAX_BODY_BYTES, parseRequestBody } from "./requestBody";
import type { Reply, RequestContext, Router } from "./router";
import { LocalArmEndpoint } from "../arm/armEndpoint";

export interface HttpServerOptions {
  host: string;
  port: number;
  /** account name → base64 key */
  accounts: ReadonlyMap<string, string>;
  router: Router;
  logger: Logger;
  /** the management endpoint (`/subscriptions/...`, `/localArm/...`), set once the port is known */
  arm?: LocalArmEndpoint;
}

function decodeQuery(rawQuery: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text.replace(/\+/g, " "));
      } catch {
        return text;
      }
    };
    const name = decode(eq >= 0 ? part.slice(0, eq) : part);
    if (!query.has(name)) query.set(name, decode(eq >= 0 ? part.slice(eq + 1) : ""));
  }
  return query;
}

/** The body, buffered up to the service's limit; past it only its size is kept (the request is refused anyway). */
interface ReceivedBody {
  content: Buffer;
  size: number;
}

function readBody(request: http.IncomingMessage): Promise<ReceivedBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve({ content: size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : Buffer.alloc(0), size }));
    request.on("error", reject);
  });
}

export class BatchHttpServer {
  private readonly server: http.Server;

  constructor(private readonly options: HttpServerOptions) {
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        options.logger.error(`unhandled error answering ${request.method} ${request.url?.split("?")[0]}: ${(error as Error).stack ?? error}`);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    const rawUrl = request.url ?? "/";
    const method = (request.method ?? "GET").toUpperCase();
    const host = request.headers.host ?? `${this.options.host}`;
    const baseUrl = `http://${host}`;
    const clientRequestId = (request.headers["client-request-id"] ?? request.headers["x-ms-client-request-id"]) as string | undefined;
    const headers: Record<string, string> = { "request-id": requestId, DataServiceVersion: "3.0" };
    if (clientRequestId) headers["client-request-id"] = clientRequestId;
    let status = 500;
    try {
      const received = await readBody(request);
      const queryStart = rawUrl.indexOf("?");
      const rawPath = queryStart >= 0 ? rawUrl.slice(0, queryStart) : rawUrl;
      if (this.options.arm && LocalArmEndpoint.handles(rawPath)) {
        const reply = await this.options.arm.answer({ method, rawPath, headers: request.headers, body: received.content });
        status = reply.status;
        return this.send(response, method, { status, body: reply.body, headers: { "x-ms-request-id": requestId } }, {});
      }
      const query = decodeQuery(queryStart >= 0 ? rawUrl.slice(queryStart + 1) : "");
      const auth = verifySharedKey({ method, rawUrl, headers: request.headers, bodyLength: received.size }, this.options.accounts);
      if (!auth.ok) {
        throw new BatchServiceError(
          403,
          "AuthenticationFailed",
          `Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature. ${auth.reason}`,
          [{ key: "AuthenticationErrorDetail", value: auth.reason }],
        );
      }
      const apiVersion = query.get("api-version");
      if (!apiVersion) {
        throw new BatchServiceError(
          400,
          "MissingRequiredQueryParameter",
          "A query parameter that's mandatory for this request is not specified: api-version.",
          [{ key: "QueryParameterName", value: "api-version" }],
        );
      }
      if (apiVersion !== API_VERSION)
        throw invalidQueryParameter(
          "api-version",
          apiVersion,
          `The local Batch service speaks api-version ${API_VERSION} (the one @azure/batch 10.2.0 sends).`,
        );
      const segments = rawPath
        .split("/")
        .filter(Boolean)
        .map((segment) => {
          try {
            return decodeURIComponent(segment);
          } catch {
            return segment;
          }
        });
      const { operation, params, handler } = this.options.router.resolve(method, segments);
      const body = parseRequestBody(this.options.router.spec, operation.bodyDefinition, received, operation.bodyRequired);
      const context: RequestContext = { method, operation, params, query, headers: request.headers, body, requestId, baseUrl, rawUrl };
      const reply = await handler(context);
      status = reply.status;
      this.send(response, method, reply, headers);
    } catch (error) {
      const batchError =
        error instanceof BatchServiceError
          ? error
          : new BatchServiceError(500, "InternalServerError", `The local Batch service failed: ${(error as Error).message}`);
      if (!(error instanceof BatchServiceError)) this.options.logger.error(`${method} ${rawUrl.split("?")[0]} failed: ${(error as Error).stack ?? error}`);
      status = batchError.statusCode;
      this.send(response, method, { status, body: errorBody(batchError, requestId) }, headers);
    } finally {
      this.options.logger.debug(`${method} ${rawUrl.split("?")[0]} → ${status} (${Date.now() - started} ms)`);
    }
  }

  private send(response: http.ServerResponse, method: string, reply: Reply, common: Record<string, string>): void {
    const headers: Record<string, string> = { ...common, ...reply.headers };
    if (reply.content !== undefined) {
      if (Buffer.isBuffer(reply.content)) {
        headers["Content-Length"] = String(reply.content.length);
        response.writeHead(reply.status, headers);
        response.end(method === "HEAD" ? undefined : reply.content);
      } else {
        response.writeHead(reply.status, headers);
        if (method === "HEAD") {
          reply.content.destroy();
          response.end();
        } else {
          (reply.content as Readable).pipe(response);
        }
      }
      return;
    }
    if (reply.body === undefined) {
      headers["Content-Length"] = "0";
      response.writeHead(reply.status, headers);
      response.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    headers["Content-Type"] = "application/json;odata=minimalmetadata";
    headers["Content-Length"] = String(Buffer.byteLength(text));
    response.writeHead(reply.status, headers);
    response.end(method === "HEAD" ? undefined : text);
  }
}
