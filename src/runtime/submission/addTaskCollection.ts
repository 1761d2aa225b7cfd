// Why: one Add Task Collection request with the body written by JSON.stringify: @azure/batch's model serializer costs more client CPU than the service spends adding the tasks.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";

/** A failed request, shaped like the SDK's RestError where the submitter looks (statusCode, code, message). */
export class AddTaskCollectionError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "AddTaskCollectionError";
  }
}

/** The two TaskAddParameter properties whose REST name differs from the SDK model's (`userName` → `username`). */
function toWire(task: BatchServiceModels.TaskAddParameter): unknown {
  const { userIdentity, containerSettings } = task;
  if (!userIdentity?.userName && !containerSettings?.registry?.userName) return task;
  const renamed = (value: { userName?: string } | undefined) => {
    if (!value?.userName) return value;
    const { userName, ...rest } = value;
    return { ...rest, username: userName };
  };
  return {
    ...task,
    ...(userIdentity ? { userIdentity: renamed(userIdentity) } : {}),
    ...(containerSettings ? { containerSettings: { ...containerSettings, registry: renamed(containerSettings.registry) } } : {}),
  };
}

/**
 * POST {batchUrl}/jobs/{jobId}/addtaskcollection through the client's own pipeline (its credentials, retry and
 * content-length policies), exactly the operation `client.task.addCollection` sends.
 */
export async function addTaskCollection(
  client: BatchServiceClient,
  jobId: string,
  tasks: readonly BatchServiceModels.TaskAddParameter[],
): Promise<BatchServiceModels.TaskAddResult[]> {
  const response = await client.sendRequest({
    method: "POST",
    url: `${client.batchUrl.replace(/\/+$/, "")}/jobs/${encodeURIComponent(jobId)}/addtaskcollection?api-version=${client.apiVersion}`,
    headers: { "content-type": "application/json; odata=minimalmetadata; charset=utf-8" },
    // without a serialization mapper the pipeline writes the body with JSON.stringify
    body: { value: tasks.map(toWire) },
  });
  const body = (() => {
    try {
      return response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  })();
  if (response.status !== 200) {
    const message = (body.message as { value?: string } | undefined)?.value ?? `HTTP ${response.status}`;
    throw new AddTaskCollectionError(response.status, body.code as string | undefined, message);
  }
  return (body.value as BatchServiceModels.TaskAddResult[] | undefined) ?? [];
}
