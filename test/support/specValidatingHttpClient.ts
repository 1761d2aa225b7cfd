// Why: checks every response the real @azure/batch client receives against the 2022-10-01.16.0 spec; a violation fails the call.
import { DefaultHttpClient, type HttpClient, type HttpOperationResponse, type WebResourceLike } from "@azure/ms-rest-js";
import { BatchSpec } from "../../src/local/protocol/spec";

let sharedSpec: BatchSpec | undefined;
/** Response schemas are closed (no property outside the spec), so leaked internal fields are caught too. */
export const responseSpec = (): BatchSpec => (sharedSpec ??= new BatchSpec());

export class SpecViolation extends Error {}

export interface ValidatedExchange {
  operationId: string;
  status: number;
}

export class SpecValidatingHttpClient implements HttpClient {
  private readonly inner = new DefaultHttpClient();
  /** every exchange validated so far (operation and status), for coverage assertions */
  readonly exchanges: ValidatedExchange[] = [];

  async sendRequest(request: WebResourceLike): Promise<HttpOperationResponse> {
    const response = await this.inner.sendRequest(request);
    this.validate(request, response);
    return response;
  }

  private validate(request: WebResourceLike, response: HttpOperationResponse): void {
    const url = new URL(request.url);
    const segments = url.pathname.split("/").filter(Boolean).map((segment) => decodeURIComponent(segment));
    const spec = responseSpec();
    const found = spec.findOperation(request.method.toUpperCase(), segments);
    if (!found) throw new SpecViolation(`${request.method} ${url.pathname} is not an operation of the spec`);
    const { operation } = found;
    const status = String(response.status);
    if (!(status in operation.responses) && !("default" in operation.responses)) {
      throw new SpecViolation(`${operation.operationId} answered ${status}, which the spec does not define`);
    }
    const isError = !(status in operation.responses);
    const definition = isError ? operation.responses.default : operation.responses[status];
    this.exchanges.push({ operationId: operation.operationId, status: response.status });
    if (!definition || request.method.toUpperCase() === "HEAD") return;
    const contentType = response.headers.get("content-type") ?? "";
    // raw bytes are only for responses whose spec schema is a file (those have no definition and returned above)
    if (!contentType.includes("json")) throw new SpecViolation(`${operation.operationId} answered ${status} with ${contentType || "no content type"} instead of a ${definition} body`);
    if (response.bodyAsText === undefined && response.readableStreamBody) return; // a streamed answer (file download): its body is the caller's to read
    const text = response.bodyAsText ?? "";
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new SpecViolation(`${operation.operationId} ${status}: body is not JSON: ${text.slice(0, 200)}`);
    }
    const validate = spec.validator(definition);
    if (!validate(body)) {
      const problems = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
      throw new SpecViolation(`${operation.operationId} ${status} body violates ${definition}: ${problems.join("; ")}`);
    }
  }
}
