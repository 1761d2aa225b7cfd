// Why: issue 2's benchmark: 1,000 trivial tasks through the local service vs the same commands from a plain Node loop (concurrency 4).
import { spawn } from "node:child_process";
import { startLocalService, waitFor } from "../../test/support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/defaults";

const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
const SLOTS = 4;
const COMMAND = ["/bin/sh", "-c", "exit 0"];

async function rawLoop(): Promise<number> {
  const started = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < TASKS) {
      next++;
      await new Promise<void>((resolve, reject) => spawn(COMMAND[0], COMMAND.slice(1), { stdio: "ignore" }).once("exit", () => resolve()).once("error", reject));
    }
  };
  await Promise.all(Array.from({ length: SLOTS }, worker));
  return TASKS / (Number(process.hrtime.bigint() - started) / 1e9);
}

async function localService(): Promise<number> {
  const service = await startLocalService({ nodes: 1 });
  try {
    const client = service.client();
    await client.pool.add({
      id: "bench",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      taskSlotsPerNode: SLOTS,
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    });
    await waitFor(async () => ((await client.computeNode.list("bench")).some((node) => node.state === "idle") ? true : undefined), "an idle node", 60_000);
    await client.job.add({ id: "bench-job", poolInfo: { poolId: "bench" } });
    const started = process.hrtime.bigint();
    const chunks = [];
    for (let i = 0; i < TASKS; i += 100) {
      chunks.push(Array.from({ length: Math.min(100, TASKS - i) }, (_, j) => ({ id: `t${i + j}`, commandLine: COMMAND.map((part) => (part.includes(" ") ? `"${part}"` : part)).join(" ") })));
    }
    await Promise.all(chunks.map((chunk) => client.task.addCollection("bench-job", chunk)));
    await waitFor(async () => {
      const counts = await client.job.getTaskCounts("bench-job");
      return counts.taskCounts.completed === TASKS ? counts : undefined;
    }, "all tasks completed", 600_000, 100);
    const rate = TASKS / (Number(process.hrtime.bigint() - started) / 1e9);
    const failed = (await client.job.getTaskCounts("bench-job")).taskCounts.failed;
    if (failed > 0) throw new Error(`${failed} tasks failed`);
    return rate;
  } finally {
    await service.stop();
  }
}

async function main(): Promise<void> {
  const raw = await rawLoop();
  const local = await localService();
  console.log(`plain node loop (concurrency ${SLOTS}): ${raw.toFixed(1)} tasks/s`);
  console.log(`local Batch service (1 node x ${SLOTS} slots, addCollection): ${local.toFixed(1)} tasks/s`);
  console.log(`local_batch_task_throughput_ratio: ${(local / raw).toFixed(3)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
