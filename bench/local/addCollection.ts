// Why: issue 11's figure: addCollection of 100,000 tasks (chunks of 100, 8 in flight) to the service vs to a bare Node server that parses and discards.
import { BatchServiceClient, BatchSharedKeyCredentials, type BatchServiceModels } from "@azure/batch";
import { spawn } from "node:child_process";
import * as readline from "node:readline";
import { startLocalService } from "../../test/support/localService";

const TASKS = Number(process.env.BENCH_ADD_TASKS ?? 100_000);
const CHUNK = 100;
const IN_FLIGHT = 8;

/** A plain Node HTTP server in its own process: reads each body, JSON.parses it, answers an empty result. */
const BARE_SERVER = `
const http = require("node:http");
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    response.writeHead(200, { "Content-Type": "application/json; odata=minimalmetadata" });
    response.end('{"value":[]}');
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
`;

function chunks(): BatchServiceModels.TaskAddParameter[][] {
  const all: BatchServiceModels.TaskAddParameter[][] = [];
  for (let i = 0; i < TASKS; i += CHUNK) {
    all.push(Array.from({ length: Math.min(CHUNK, TASKS - i) }, (_, j) => ({ id: `task-${i + j}`, commandLine: `/bin/sh -c "echo ${i + j}"` })));
  }
  return all;
}

/** Tasks per second adding every chunk with `IN_FLIGHT` requests at a time. */
async function addAll(client: BatchServiceClient, jobId: string): Promise<number> {
  const work = chunks();
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const result = await client.task.addCollection(jobId, work[next++]);
      const failed = (result.value ?? []).filter((entry) => entry.status !== "success");
      if (failed.length > 0) throw new Error(`${failed.length} tasks not added: ${JSON.stringify(failed[0])}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return TASKS / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function bareServer(): Promise<number> {
  const child = spawn(process.execPath, ["-e", BARE_SERVER], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout! }).once("line", resolve));
    const client = new BatchServiceClient(new BatchSharedKeyCredentials("bare", Buffer.from("bare-server-key").toString("base64")), `http://127.0.0.1:${port}`);
    return await addAll(client, "bench-job");
  } finally {
    child.kill();
  }
}

async function localService(): Promise<number> {
  const service = await startLocalService({ nodes: 1 });
  try {
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(service.info.accountName, service.info.accountKey), service.info.batchUrl);
    // a job on a pool that does not exist: its tasks stay active, so this measures adding them only
    await client.job.add({ id: "bench-job", poolInfo: { poolId: "no-pool" } });
    const rate = await addAll(client, "bench-job");
    const counts = await client.job.getTaskCounts("bench-job");
    if (counts.taskCounts.active !== TASKS) throw new Error(`expected ${TASKS} active tasks, found ${counts.taskCounts.active}`);
    return rate;
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  const bare = await bareServer();
  const local = await localService();
  console.log(`bare Node HTTP server (parse and discard): ${bare.toFixed(0)} tasks/s`);
  console.log(`local Batch service: ${local.toFixed(0)} tasks/s (${TASKS} tasks, chunks of ${CHUNK}, ${IN_FLIGHT} in flight)`);
  console.log(`local_batch_add_collection_ratio: ${(local / bare).toFixed(3)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
