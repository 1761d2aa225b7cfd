// Why: issue 3's benchmark: 10,000 tasks submitted from a job manager via the runtime (chunked, parallel addCollection) vs one task.add at a time.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { startLocalService } from "../../test/support/localService";
import { localWorkloadSettings } from "../../test/runtime/support/localWorkloadEnvironment";
import { BatchClientFactory, BatchClientSettings, getLogger, JobManager, StorageAccess, WorkloadTask, type TaskContext } from "../../src/runtime";
import { EntryPointsRepository } from "../../src/runtime/workload/entryPointsRepository";
import { taskParameterContext, toTaskAddParameter } from "../../src/runtime/submission/taskParameters";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const POOL_ID = "bench-pool";
const vm = LOCAL_POOL_VM_CONFIGURATION;

class NoopTask extends WorkloadTask<{ index: number }> {
  override run(_context: TaskContext<{ index: number }>): void {}
}

/** A job manager whose plan is TASKS independent tasks. */
class FanOutJobManager extends JobManager<null> {
  override async createJob(): Promise<void> {
    for (let index = 0; index < TASKS; index++) this.addWorkloadTask(NoopTask, { index });
  }
}

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

async function addOneByOne(client: BatchServiceClient, jobId: string, tasks: BatchServiceModels.TaskAddParameter[]): Promise<number> {
  const started = process.hrtime.bigint();
  for (const task of tasks) await client.task.add(jobId, task);
  return seconds(started);
}

async function main(): Promise<void> {
  const service = await startLocalService({ nodes: 1 });
  try {
    const settings = BatchClientSettings.load({
      env: localWorkloadSettings(service.info, { BATCH_POOL_ID: POOL_ID, BATCH_APPLICATION_ID: "bench", BATCH_APPLICATION_VERSION: "1" }),
      purpose: "submit",
    });
    const client = await BatchClientFactory.create(settings);
    const storage = new StorageAccess(settings);
    // no nodes: the tasks stay queued, so only submission is measured
    await client.pool.add({ id: POOL_ID, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 0 });
    for (const id of ["bench-runtime", "bench-one-by-one"]) await client.job.add({ id, poolInfo: { poolId: POOL_ID }, usesTaskDependencies: true });
    const entryPoints = new EntryPointsRepository().registerEntryPoint(NoopTask);

    const jobManager = new FanOutJobManager({ jobId: "bench-runtime", args: null, client, settings, storage, logger: getLogger("bench"), entryPoints });
    await jobManager.createJob();

    // baseline first (so the runtime is measured with the service already holding its tasks): the same Batch tasks,
    // built beforehand (not timed), added with one task.add request each
    const shared = await taskParameterContext({ storage, settings }, "bench-one-by-one");
    const parameters = await Promise.all(jobManager.tasks.map((spec) => toTaskAddParameter(spec, shared)));
    const oneByOneSeconds = await addOneByOne(client, "bench-one-by-one", parameters);

    // the runtime's path, timed from the job manager's task specifications: build, sign, submit
    const started = process.hrtime.bigint();
    const result = await jobManager.submitPendingTasks();
    const runtimeSeconds = seconds(started);
    if (result.added.length !== TASKS) throw new Error(`runtime added ${result.added.length} of ${TASKS}: ${JSON.stringify(result.failed.slice(0, 3))}`);
    const counts = await Promise.all(["bench-runtime", "bench-one-by-one"].map(async (id) => (await client.job.getTaskCounts(id)).taskCounts.active));
    if (counts.some((count) => count !== TASKS)) throw new Error(`expected ${TASKS} active tasks per job, got ${counts.join(", ")}`);

    console.log(
      `runtime (addCollection x${result.requests}, chunks of 100, 8 in flight): ${TASKS} tasks in ${runtimeSeconds.toFixed(2)} s (${(TASKS / runtimeSeconds).toFixed(0)} tasks/s)`,
    );
    console.log(`task.add one by one: ${TASKS} tasks in ${oneByOneSeconds.toFixed(2)} s (${(TASKS / oneByOneSeconds).toFixed(0)} tasks/s)`);
    console.log(`runtime_task_submission_speedup: ${(oneByOneSeconds / runtimeSeconds).toFixed(1)}`);
  } finally {
    await service.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
