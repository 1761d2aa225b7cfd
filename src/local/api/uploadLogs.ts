// Why: ComputeNode_UploadBatchServiceLogs: a local node's logs (the service log's lines about it, its start task output) go to the caller's container.
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";
import { invalidPropertyValue } from "../protocol/batchError";
import type { RequestContext, Reply } from "../server/router";
import { containerClient } from "../storage/clients";
import { scrubText, stripSas } from "../storage/secrets";
import type { ComputeNodeIdentityReference } from "../storage/types";
import type { NodeRecord } from "../store/model";
import type { HandlerDeps } from "./context";
import { requireNode } from "./nodes";

interface UploadConfiguration {
  containerUrl: string;
  startTime: string;
  endTime?: string;
  identityReference?: ComputeNodeIdentityReference;
}

/** One log file to upload: its name below the virtual directory and its content. */
interface LogFile {
  name: string;
  content: Buffer;
}

const ISO_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s/;

/**
 * The node's agent log: every line of the service's log files (`<data>/logs/*.log`, as `local start` writes them) that
 * names the node. Uploaded whole when one of its lines falls in [from, to], as the service uploads whole log files.
 */
async function agentLog(dataDir: string, nodeId: string, from: number, to: number): Promise<LogFile | undefined> {
  const logDir = path.join(dataDir, "logs");
  let names: string[];
  try {
    names = fs.readdirSync(logDir).filter((name) => name.endsWith(".log"));
  } catch {
    return undefined;
  }
  const lines: string[] = [];
  let inRange = false;
  for (const name of names.sort()) {
    const input = fs.createReadStream(path.join(logDir, name), { encoding: "utf8" });
    for await (const line of readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (!line.includes(nodeId)) continue;
      lines.push(line);
      const stamp = ISO_PREFIX.exec(line);
      const at = stamp ? Date.parse(stamp[1]) : Number.NaN;
      if (at >= from && at <= to) inRange = true;
    }
  }
  return inRange ? { name: "agent.log", content: Buffer.from(`${lines.join("\n")}\n`) } : undefined;
}

/** The start task's stdout.txt and stderr.txt, when written during [from, to]. */
function startupLogs(node: NodeRecord, from: number, to: number): LogFile[] {
  const files: LogFile[] = [];
  for (const name of ["stdout.txt", "stderr.txt"]) {
    const file = path.join(node.rootDir, "startup", name);
    try {
      const stats = fs.statSync(file);
      const created = stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.ctimeMs;
      if (stats.isFile() && stats.mtimeMs >= from && created <= to) files.push({ name: `startup/${name}`, content: fs.readFileSync(file) });
    } catch {
      // the node has no start task, or it has not written this file
    }
  }
  return files;
}

function checkConfiguration(body: UploadConfiguration): { url: URL; from: number; to: number } {
  let url: URL;
  try {
    url = new URL(body.containerUrl);
  } catch {
    throw invalidPropertyValue("containerUrl", stripSas(body.containerUrl), "It must be the URL of a blob container with a SAS granting write access.");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw invalidPropertyValue("containerUrl", stripSas(body.containerUrl), "It must be an http or https URL of a blob container.");
  const from = Date.parse(body.startTime);
  const to = body.endTime === undefined ? Number.POSITIVE_INFINITY : Date.parse(body.endTime);
  if (Number.isNaN(from)) throw invalidPropertyValue("startTime", body.startTime, "It must be a date and time.");
  if (Number.isNaN(to)) throw invalidPropertyValue("endTime", body.endTime, "It must be a date and time.");
  if (to < from) throw invalidPropertyValue("endTime", body.endTime, "endTime must not be before startTime.");
  return { url, from, to };
}

export async function uploadBatchServiceLogs(deps: HandlerDeps, context: RequestContext): Promise<Reply> {
  const node = requireNode(deps, context.params.poolId, context.params.nodeId);
  const body = context.body as UploadConfiguration;
  const { from, to } = checkConfiguration(body);
  const files = [...startupLogs(node, from, to)];
  const agent = await agentLog(deps.account.dataDir, node.wire.id, from, to);
  if (agent) files.unshift(agent);
  const virtualDirectoryName = `${node.poolId}/${node.wire.id}/${randomUUID()}`;
  const container = containerClient({ url: body.containerUrl, identityReference: body.identityReference, autoStorage: deps.account.storage });
  try {
    for (const file of files) await container.getBlockBlobClient(`${virtualDirectoryName}/${file.name}`).uploadData(file.content);
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    const reason = status
      ? `The container answered ${status} (${scrubText(String((error as { code?: string }).code ?? (error as Error).message))}): it must exist and the SAS must grant write and create.`
      : `The container could not be reached: ${scrubText((error as Error).message)}.`;
    deps.logger.warn(`uploading the logs of node ${node.wire.id} to ${stripSas(body.containerUrl)} failed: ${reason}`);
    throw invalidPropertyValue("containerUrl", stripSas(body.containerUrl), reason);
  }
  deps.logger.info(`uploaded ${files.length} log file(s) of node ${node.wire.id} to ${stripSas(body.containerUrl)}/${virtualDirectoryName}`);
  return { status: 200, body: { virtualDirectoryName, numberOfFilesUploaded: files.length } };
}
