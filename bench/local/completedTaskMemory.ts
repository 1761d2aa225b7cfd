// Why: issues 2 and 11's memory figure: resident memory of the local service holding 100,000 completed tasks (target ≤ 400 MiB).
import * as fs from "node:fs";
import { startLocalService, waitFor } from "../../test/support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

const TASKS = Number(process.env.BENCH_MEMORY_TASKS ?? 100_000);

function residentMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
  return kib / 1024;
}

async function main(): Promise<void> {
  const service = await startLocalService({ nodes: 2 });
  try {
    const client = service.client();
    await client.pool.add({
      id: "mem",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 2,
      taskSlotsPerNode: 4,
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    });
    await client.job.add({ id: "mem-job", poolInfo: { poolId: "mem" } });
    const idle = residentMiB(service.process.pid!);
    for (let i = 0; i < TASKS; i += 500) {
      const batch = [];
      for (let j = i; j < Math.min(i + 500, TASKS); j += 100) {
        batch.push(
          client.task.addCollection(
            "mem-job",
            Array.from({ length: Math.min(100, TASKS - j) }, (_, k) => ({ id: `t${j + k}`, commandLine: "/bin/true" })),
          ),
        );
      }
      await Promise.all(batch);
    }
    await waitFor(
      async () => ((await client.job.getTaskCounts("mem-job")).taskCounts.completed === TASKS ? true : undefined),
      "all tasks completed",
      900_000,
      500,
    );
    const withTasks = residentMiB(service.process.pid!);
    console.log(`service resident memory: ${idle.toFixed(1)} MiB idle, ${withTasks.toFixed(1)} MiB with ${TASKS} completed tasks`);
    console.log(`resident memory per completed task: ${(((withTasks - idle) * 1024) / TASKS).toFixed(2)} KiB`);
    console.log(`local_batch_rss_mib_with_${TASKS}_completed_tasks: ${withTasks.toFixed(1)}`);
  } finally {
    await service.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
