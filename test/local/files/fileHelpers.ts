// Why: small shared steps of the file tests: read a download, collect all pages of a file list, check a download's error.
import { BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import { WebResource } from "@azure/ms-rest-js";
import { API_VERSION } from "../../../src/local/protocol/spec";
import type { LocalServiceHandle } from "../../support/localService";

/** The whole body of a File_GetFrom… response. */
export async function bodyOf(response: { readableStreamBody?: NodeJS.ReadableStream }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response.readableStreamBody!) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const textOf = async (response: { readableStreamBody?: NodeJS.ReadableStream }): Promise<string> => (await bodyOf(response)).toString("utf8");

type Page = BatchServiceModels.NodeFileListResult;

/** Follows odata.nextLink until the last page; returns every entry. */
export async function allPages(first: Page, next: (link: string) => Promise<Page>): Promise<BatchServiceModels.NodeFile[]> {
  const files = [...first];
  for (let link = first.odatanextLink; link; ) {
    const page = await next(link);
    files.push(...page);
    link = page.odatanextLink;
  }
  return files;
}

export const names = (files: BatchServiceModels.NodeFile[]): string[] => files.map((file) => file.name!);

/**
 * A signed GET of a file URL whose body is buffered (not streamed) and checked by the spec-validating client. Used for
 * error answers: the SDK streams File_GetFrom… responses, so it reports their errors without the body's code (as it does
 * against Azure), and the validating client cannot read a streamed error body.
 */
export async function getBuffered(
  service: LocalServiceHandle,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code?: string; text: string }> {
  const request = new WebResource(`${service.info.batchUrl}${urlPath}${urlPath.includes("?") ? "&" : "?"}api-version=${API_VERSION}`, "GET");
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
  await new BatchSharedKeyCredentials(service.info.accountName, service.info.accountKey).signRequest(request);
  const response = await service.httpClient.sendRequest(request);
  const text = response.bodyAsText ?? "";
  const json = (response.headers.get("content-type") ?? "").includes("json") ? (JSON.parse(text) as { code?: string }) : undefined;
  return { status: response.status, code: json?.code, text };
}

/** The status and error code of an answer, to compare in one assertion. */
export const pick = ({ status, code }: { status: number; code?: string }): { status: number; code?: string } => ({ status, code });

export const taskFileUrl = (jobId: string, taskId: string, filePath: string): string =>
  `/jobs/${encodeURIComponent(jobId)}/tasks/${encodeURIComponent(taskId)}/files/${encodeURIComponent(filePath)}`;

export const nodeFileUrl = (poolId: string, nodeId: string, filePath: string): string =>
  `/pools/${encodeURIComponent(poolId)}/nodes/${encodeURIComponent(nodeId)}/files/${encodeURIComponent(filePath)}`;
