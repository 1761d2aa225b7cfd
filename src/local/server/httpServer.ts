// Why: the HTTP front of the local Batch service: auth, api-version, body checks, dispatch to handlers, the service's error shape.
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { requestApiVersion } from "../protocol/apiVersions";
import { BatchServiceError, errorBody } from "../protocol/batchError";
import type { Logger } from "../common/logger";
import { authenticate, pathSegments } from "./authenticate";
import { MAX_BODY_BYTES, parseRequestBody } from "./requestBody";
import type { Reply, RequestContext, Router } from "./router";

export interface HttpServerOptions {
  host: string;
  port: number;
  /** account name → base64 key */
  accounts: ReadonlyMap<string, string>;
  router: Router;
  logger: Logger;
  /** the management endpoint (`/subscriptions/...`, `/localArm/...`), set once the port is known */
  management?: ManagementEndpoint;
}

/** A request to the management endpoint: its own paths, its own auth (bearer tokens), its own error shape. */
export interface ManagementRequest {
  method: string;
  rawPath: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface ManagementEndpoint {
  /** true for the paths it answers (the Batch data plane has none of them) */
  handles(rawPath: string): boolean;
  /** an answer refusing the request when its credentials are wrong, decided from its headers before its body is read */
  refuse(request: Omit<ManagementRequest, "body">): { status: number; body?: unknown } | undefined;
  answer(request: ManagementRequest): Promise<{ status: number; body?: unknown }>;
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
    // names are case-insensitive, as on the service: the newer SDKs send `timeOut`, older ones `timeout`
    const name = decode(eq >= 0 ? part.slice(0, eq) : part).toLowerCase();
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

/** The Content-Length the client declared (and signed), or undefined for a body without one (chunked). */
function declaredBodyLength(request: http.IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  if (header === undefined) return undefined;
  const length = Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * Refusing a request whose body was not read: the connection is closed once the answer is sent, so the unread body is
 * neither buffered nor drained (a client may have declared gigabytes).
 */
function closeAfterReply(request: http.IncomingMessage, response: http.ServerResponse): void {
  if (request.complete) return;
  response.shouldKeepAlive = false;
  response.setHeader("Connection", "close");
  response.once("finish", () => request.socket.destroySoon());
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
      const queryStart = rawUrl.indexOf("?");
      const rawPath = queryStart >= 0 ? rawUrl.slice(0, queryStart) : rawUrl;
      const { management } = this.options;
      if (management?.handles(rawPath)) {
        // its bearer token is checked before the body is read (the token request itself carries its credentials in the body)
        const refused = management.refuse({ method, rawPath, headers: request.headers });
        const reply = refused ?? (await management.answer({ method, rawPath, headers: request.headers, body: (await readBody(request)).content }));
        status = reply.status;
        if (refused) closeAfterReply(request, response);
        return this.send(response, method, { status, body: reply.body, headers: { "x-ms-request-id": requestId } }, {});
      }
      const query = decodeQuery(queryStart >= 0 ? rawUrl.slice(queryStart + 1) : "");
      // authenticated before a byte of the body is read: the signature covers Content-Length, so the header is what was signed
      const declaredLength = declaredBodyLength(request);
      try {
        authenticate({ method, rawUrl, headers: request.headers, bodyLength: declaredLength ?? 0 }, this.options.accounts);
      } catch (error) {
        closeAfterReply(request, response);
        throw error;
      }
      const received = await readBody(request);
      const apiVersion = requestApiVersion(query);
      const segments = pathSegments(rawPath);
      const { operation, params, handler, spec } = this.options.router.resolve(apiVersion, method, segments);
      const body = parseRequestBody(spec, operation.bodyDefinition, received, operation.bodyRequired);
      const context: RequestContext = { method, apiVersion, operation, params, query, headers: request.headers, body, requestId, baseUrl, rawUrl };
      const reply = await handler(context);
      status = reply.status;
      this.send(response, method, this.options.router.shapeReply(apiVersion, operation, reply), headers);
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
