// Why: reads small task files (progress.json, error.json) through the Batch task-file API, which works for any client and any node.
import type { BatchServiceClient } from "@azure/batch";
import { PROGRESS_TASK_FILE_PATH, parseProgress, type TaskProgress } from "../progress/progressFile";

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The text of a task file, or undefined when the task or file does not exist (404). */
export async function readTaskFile(client: BatchServiceClient, jobId: string, taskId: string, filePath: string): Promise<string | undefined> {
  try {
    const response = await client.file.getFromTask(jobId, taskId, filePath);
    return response.readableStreamBody ? await readStream(response.readableStreamBody) : undefined;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/** The progress a task last reported with reportProgress, if any. */
export async function readTaskProgress(client: BatchServiceClient, jobId: string, taskId: string): Promise<TaskProgress | undefined> {
  const text = await readTaskFile(client, jobId, taskId, PROGRESS_TASK_FILE_PATH);
  return text === undefined ? undefined : parseProgress(text);
}
