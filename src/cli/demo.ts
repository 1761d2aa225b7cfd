// Why: `batch-manager local demo`: a sample job end to end on the local service (inputs from blob storage, fan-out, gather, outputs back).
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import { BlobServiceClient, ContainerSASPermissions, StorageSharedKeyCredential, generateBlobSASQueryParameters } from "@azure/storage-blob";
import * as os from "node:os";
import * as path from "node:path";
import * as fs from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { silentLogger } from "../local/logger";
import { LocalBatchService, type LocalBatchInfo } from "../local/service";
import { LOCAL_POOL_VM_CONFIGURATION } from "../local/defaults";

const INPUTS: Record<string, string> = {
  "chapter-1.txt": "It was the best of times, it was the worst of times.",
  "chapter-2.txt": "It was the age of wisdom, it was the age of foolishness, it was the epoch of belief.",
  "chapter-3.txt": "We had everything before us, we had nothing before us.",
};

function containerSas(info: LocalBatchInfo, container: string, permissions: string): string {
  const credential = new StorageSharedKeyCredential(info.storageAccountName, info.storageAccountKey);
  const sas = generateBlobSASQueryParameters(
    { containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3600_000) },
    credential,
  ).toString();
  return `${info.blobEndpoint}/${container}?${sas}`;
}

async function uploadInputs(info: LocalBatchInfo): Promise<void> {
  const blobs = new BlobServiceClient(info.blobEndpoint, new StorageSharedKeyCredential(info.storageAccountName, info.storageAccountKey));
  const input = blobs.getContainerClient("demo-input");
  await input.createIfNotExists();
  await blobs.getContainerClient("demo-output").createIfNotExists();
  for (const [name, text] of Object.entries(INPUTS)) await input.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
}

function jobSpec(info: LocalBatchInfo): { job: BatchServiceModels.JobAddParameter; tasks: BatchServiceModels.TaskAddParameter[] } {
  const inputUrl = containerSas(info, "demo-input", "rl");
  const outputUrl = containerSas(info, "demo-output", "rwl");
  const tasks: BatchServiceModels.TaskAddParameter[] = Object.keys(INPUTS).map((name, index) => ({
    id: `count-${index + 1}`,
    commandLine: `/bin/sh -c "wc -w < input/${name} | tr -d ' ' > words.txt && echo ${name}: $(cat words.txt) words"`,
    resourceFiles: [{ storageContainerUrl: inputUrl, blobPrefix: name, filePath: "input" }],
    outputFiles: [
      {
        filePattern: "words.txt",
        destination: { container: { containerUrl: outputUrl, path: `counts/${name}.words` } },
        uploadOptions: { uploadCondition: "tasksuccess" },
      },
    ],
  }));
  tasks.push({
    id: "gather",
    commandLine: `/bin/sh -c "cat counts/* | awk '{ t += $1 } END { print t }' > total.txt && echo total words: $(cat total.txt)"`,
    resourceFiles: [{ storageContainerUrl: outputUrl, blobPrefix: "counts/" }],
    outputFiles: [
      {
        filePattern: "total.txt",
        destination: { container: { containerUrl: outputUrl, path: "total.txt" } },
        uploadOptions: { uploadCondition: "tasksuccess" },
      },
    ],
    dependsOn: { taskIds: tasks.map((task) => task.id) },
  });
  return { job: { id: `demo-${Date.now()}`, poolInfo: { poolId: "demo-pool" }, usesTaskDependencies: true }, tasks };
}

async function waitForJob(client: BatchServiceClient, jobId: string, print: (line: string) => void): Promise<void> {
  let last = "";
  for (let waited = 0; waited < 120_000; waited += 250) {
    const job = await client.job.get(jobId);
    const counts = await client.job.getTaskCounts(jobId);
    const line = `job ${job.state}: ${counts.taskCounts.active} active, ${counts.taskCounts.running} running, ${counts.taskCounts.completed} completed`;
    if (line !== last) print(line);
    last = line;
    if (job.state === "completed") return;
    await delay(250);
  }
  throw new Error(`job ${jobId} did not complete within 2 minutes`);
}

/** Runs the demo against a fresh local service in `dataDir` and prints what happens; returns the process exit code. */
export async function runDemo(
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "batch-manager-demo-")),
  print = (line: string) => process.stdout.write(`${line}\n`),
): Promise<number> {
  print(`starting the local Batch service (data in ${dataDir}) …`);
  const service = await LocalBatchService.start({ dataDir, port: 0, logger: silentLogger });
  const { info } = service;
  try {
    print(`local Batch account '${info.accountName}' at ${info.batchUrl}; blob storage (Azurite) at ${info.blobEndpoint}`);
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(info.accountName, info.accountKey), info.batchUrl);
    await uploadInputs(info);
    print(`uploaded ${Object.keys(INPUTS).length} input files to container demo-input`);
    await client.pool.add({
      id: "demo-pool",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 2,
      taskSlotsPerNode: 2,
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    });
    const { job, tasks } = jobSpec(info);
    await client.job.add(job);
    const added = await client.task.addCollection(job.id, tasks);
    // as on Azure: a job without tasks counts as complete, so it ends itself only once its tasks are in
    await client.job.patch(job.id, { onAllTasksComplete: "terminatejob" });
    print(`job ${job.id}: added ${added.value?.filter((r) => r.status === "success").length} tasks (3 word counts, 1 gather depending on them)`);
    await waitForJob(client, job.id, print);
    let failures = 0;
    for (const task of await client.task.list(job.id)) {
      const exit = task.executionInfo?.exitCode;
      print(`task ${task.id}: ${task.state}, exit code ${exit}, node ${task.nodeInfo?.nodeId}`);
      print(`  stdout: ${(await taskFile(client, job.id, task.id!, "stdout.txt")).trim().replace(/\n/g, "\n          ")}`);
      if (task.executionInfo?.result !== "success") {
        failures++;
        print(`  stderr: ${(await taskFile(client, job.id, task.id!, "stderr.txt")).trim()}`);
        if (task.executionInfo?.failureInfo) print(`  failure: ${task.executionInfo.failureInfo.code}: ${task.executionInfo.failureInfo.message}`);
      }
    }
    if (failures > 0) return 1;
    const blobs = new BlobServiceClient(info.blobEndpoint, new StorageSharedKeyCredential(info.storageAccountName, info.storageAccountKey));
    print("output blobs in container demo-output:");
    for await (const blob of blobs.getContainerClient("demo-output").listBlobsFlat()) print(`  ${blob.name} (${blob.properties.contentLength} bytes)`);
    const total = await blobs.getContainerClient("demo-output").getBlobClient("total.txt").downloadToBuffer();
    print(`result: ${total.toString().trim()}`);
    return 0;
  } finally {
    await service.stop();
  }
}

async function taskFile(client: BatchServiceClient, jobId: string, taskId: string, name: string): Promise<string> {
  const stream = (await client.file.getFromTask(jobId, taskId, name)).readableStreamBody;
  return stream ? streamText(stream) : "";
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
