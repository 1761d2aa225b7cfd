// Why: maps Batch REST operations (by spec operationId, whatever the api-version) to local handlers, and names the ones not implemented locally.
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { BatchServiceError } from "../protocol/batchError";
import type { ApiVersion } from "../protocol/apiVersions";
import type { BatchSpec, SpecOperation } from "../protocol/spec";
import { BatchSpecs } from "../protocol/specRegistry";
import { VersionAdapter } from "../protocol/versionAdapter";

export interface RequestContext {
  method: string;
  /** the api-version the request names; its body was checked, and its reply is shaped, by that version's spec */
  apiVersion: ApiVersion;
  operation: SpecOperation;
  /** decoded path parameters, e.g. jobId, taskId, filePath */
  params: Record<string, string>;
  /** first value of each query parameter, decoded */
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  /** parsed and schema-checked JSON body, if the operation takes one */
  body: unknown;
  requestId: string;
  /** the base URL clients use to reach this service, for odata.nextLink and metadata */
  baseUrl: string;
  /** the raw request target (path + query), used to build paging links */
  rawUrl: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** raw content for file downloads (takes precedence over body) */
  content?: Buffer | Readable;
}

export type Handler = (context: RequestContext) => Reply | Promise<Reply>;

export class Router {
  private readonly handlers = new Map<string, Handler>();
  /** one spec per api-version, each read when a request first names it */
  readonly specs: BatchSpecs;
  private readonly replies: VersionAdapter;

  /** `spec`: the default version's, already read (the others are read on demand). */
  constructor(readonly spec: BatchSpec) {
    this.specs = new BatchSpecs(spec);
    this.replies = new VersionAdapter(this.specs);
  }

  /** Registers the handler of a spec operation, e.g. `router.on("Job_Get", …)`, for every api-version that has it. */
  on(operationId: string, handler: Handler): void {
    if (!this.specs.definesOperation(operationId)) {
      throw new Error(`Unknown Batch operation ${operationId}`);
    }
    this.handlers.set(operationId, handler);
  }

  implemented(): string[] {
    return [...this.handlers.keys()];
  }

  /** The operation of the request's api-version, its path parameters, its handler and that version's spec. */
  resolve(
    apiVersion: ApiVersion,
    method: string,
    segments: string[],
  ): { operation: SpecOperation; params: Record<string, string>; handler: Handler; spec: BatchSpec } {
    const spec = this.specs.get(apiVersion);
    const found = spec.findOperation(method, segments);
    if (!found) {
      // e.g. Pool_GetAllLifetimeStatistics, which 2023-05-01.17.0 removed: say which version has it (among those already read)
      const elsewhere = this.specs
        .loaded()
        .filter((other) => other !== spec && other.findOperation(method, segments))
        .map((other) => other.apiVersion);
      const hint =
        elsewhere.length > 0 ? ` api-version ${apiVersion} has no such operation; ${elsewhere.join(", ")} ${elsewhere.length > 1 ? "have" : "has"} it.` : "";
      throw new BatchServiceError(
        400,
        "InvalidUri",
        `The requested URI does not represent any resource on the server: ${method} /${segments.join("/")}.${hint}`,
      );
    }
    const handler = this.handlers.get(found.operation.operationId);
    if (!handler) {
      throw new BatchServiceError(
        501,
        "NotImplementedLocally",
        `The operation ${found.operation.operationId} (${method} ${found.operation.template}) is not implemented by the local Batch service. Run it against an Azure Batch account.`,
        [{ key: "OperationId", value: found.operation.operationId }],
      );
    }
    return { ...found, handler, spec };
  }

  /** A handler's reply in the shape of the request's api-version (src/local/protocol/versionAdapter.ts); content and empty replies as they are. */
  shapeReply(apiVersion: ApiVersion, operation: SpecOperation, reply: Reply): Reply {
    const definition = operation.responses[String(reply.status)];
    if (reply.body === undefined || reply.content !== undefined || !definition) return reply;
    const body = this.replies.adapt(apiVersion, definition, reply.body);
    return body === reply.body ? reply : { ...reply, body };
  }
}
