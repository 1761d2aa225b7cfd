// Why: a task's or node's file read (streamed, `ocp-range`), described (HEAD headers) or deleted, confined to its directory.
import * as fs from "node:fs";
import { Readable, type Writable } from "node:stream";
import { BatchServiceError } from "../protocol/batchError";
import type { Reply, RequestContext } from "../server/router";
import { CONTENT_TYPE, creationTime, fileMode, recursiveParameter, type FileScope } from "./fileListing";
import { checkConditions } from "./replies";
import { confine, pathRefused, type ConfinedPath } from "./safePath";

/** The File_GetFrom… / File_GetPropertiesFrom… response headers of the spec. */
function fileHeaders(scope: FileScope, file: ConfinedPath): Record<string, string> {
  const created = creationTime(file.stats);
  return {
    "Content-Type": CONTENT_TYPE,
    "Last-Modified": file.stats.mtime.toUTCString(),
    ...(created ? { "ocp-creation-time": created.toUTCString() } : {}),
    "ocp-batch-file-isdirectory": String(file.stats.isDirectory()),
    "ocp-batch-file-url": scope.urlOf(file.name),
    "ocp-batch-file-mode": fileMode(file.stats),
  };
}

const invalidRangeHeader = (value: string, reason: string): BatchServiceError =>
  new BatchServiceError(400, "InvalidHeaderValue", `The value for one of the HTTP headers is not in the correct format: ocp-range. ${reason}`, [
    { key: "HeaderName", value: "ocp-range" },
    { key: "HeaderValue", value },
    { key: "Reason", value: reason },
  ]);

/**
 * `ocp-range: bytes=a-b` (inclusive, end clamped to the file), `bytes=a-` (to the end) or `bytes=-n` (the last n bytes).
 * A start at or past the end of the file is 416 InvalidRange. Returns undefined for the whole file.
 */
export function parseRange(header: string | string[] | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(value);
  if (!match || (match[1] === "" && match[2] === "")) throw invalidRangeHeader(value, "The format is bytes=startRange-endRange.");
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
    if (suffix === 0) throw new BatchServiceError(416, "InvalidRange", "The range specified is invalid for the current size of the resource.");
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) throw invalidRangeHeader(value, "The end of the range is before its start.");
  }
  if (start >= size) {
    throw new BatchServiceError(416, "InvalidRange", `The range specified is invalid for the current size of the resource: the file has ${size} bytes.`);
  }
  return { start, end };
}

/**
 * A file stream that, once piped into the response, closes the file when the client goes away and cuts the response
 * when reading fails (a plain pipe would leave both hanging).
 */
function responseSafe(stream: fs.ReadStream): Readable {
  const pipe = stream.pipe.bind(stream);
  stream.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
    const writable = destination as unknown as Writable;
    writable.once("close", () => stream.destroy());
    stream.once("error", (error) => writable.destroy(error));
    return pipe(destination, options);
  };
  stream.on("error", () => undefined); // answered by cutting the response (above)
  return stream;
}

/** File_GetFrom… (raw bytes, streamed, honouring ocp-range) and File_GetPropertiesFrom… (HEAD: the same headers, no body). */
export async function fileReply(context: RequestContext, scope: FileScope, filePath: string): Promise<Reply> {
  const file = await confine(scope.root, filePath, scope.where);
  checkConditions(context, { id: file.name, lastModified: file.stats.mtime.toISOString() });
  const headers = fileHeaders(scope, file);
  if (context.method === "HEAD") {
    // an empty stream keeps our Content-Length (the file's size); the server sends no body for HEAD
    return { status: 200, headers: { ...headers, "Content-Length": String(file.stats.isDirectory() ? 0 : file.stats.size) }, content: Readable.from([]) };
  }
  if (file.stats.isDirectory()) {
    throw pathRefused(filePath, `it is a directory of the ${scope.where}; list it instead (recursive=true lists what it holds)`);
  }
  const handle = await fs.promises.open(file.real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const opened = await handle.stat();
    if (opened.ino !== file.stats.ino || opened.dev !== file.stats.dev) throw pathRefused(filePath, "it was replaced while being opened");
    const { size } = opened; // of the file actually opened
    const range = parseRange(context.headers["ocp-range"], size);
    const start = range?.start ?? 0;
    const end = range?.end ?? size - 1;
    const length = size === 0 ? 0 : end - start + 1;
    if (length === 0) {
      await handle.close();
      return { status: 200, headers, content: Buffer.alloc(0) };
    }
    const stream = handle.createReadStream({ start, end, autoClose: true });
    return { status: 200, headers: { ...headers, "Content-Length": String(length) }, content: responseSafe(stream) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** File_DeleteFrom…: a file or symlink is removed (the link, not its target); a directory only when empty or with recursive=true. */
export async function deleteFileReply(context: RequestContext, scope: FileScope, filePath: string): Promise<Reply> {
  const recursive = recursiveParameter(context);
  const file = await confine(scope.root, filePath, scope.where);
  const entry = await fs.promises.lstat(file.entry);
  if (!entry.isDirectory()) {
    await fs.promises.unlink(file.entry);
  } else if (recursive) {
    await fs.promises.rm(file.entry, { recursive: true, force: true });
  } else {
    try {
      await fs.promises.rmdir(file.entry);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOTEMPTY" && (error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      throw new BatchServiceError(
        409,
        "DirectoryNotEmpty",
        `The directory '${file.name}' is not empty; delete it with recursive=true to remove what it holds.`,
        [{ key: "FilePath", value: file.name }],
      );
    }
  }
  return { status: 200 };
}
