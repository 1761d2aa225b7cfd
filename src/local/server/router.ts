// Why: maps Batch REST operations (by spec operationId) to local handlers, and names the ones not implemented locally.
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { BatchServiceError } from "../protocol/batchError";
import type { BatchSpec, SpecOperation } from "../protocol/spec";

export interface RequestContext {
  method: string;
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

  constructor(readonly spec: BatchSpec) {}

  /** Registers the handler of a spec operation, e.g. `router.on("Job_Get", …)`. */
  on(operationId: string, handler: Handler): void {
    if (!this.spec.operations.some((operation) => operation.operationId === operationId)) {
      throw new Error(`Unknown Batch operation ${operationId}`);
    }
    this.handlers.set(operationId, handler);
  }

  implemented(): string[] {
    return [...this.handlers.keys()];
  }

  resolve(method: string, segments: string[]): { operation: SpecOperation; params: Record<string, string>; handler: Handler } {
    const found = this.spec.findOperation(method, segments);
    if (!found) {
      throw new BatchServiceError(400, "InvalidUri", `The requested URI does not represent any resource on the server: ${method} /${segments.join("/")}.`);
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
    return { ...found, handler };
  }
}
