// Why: issues 2 and 11: trivial tasks through the local service vs the same commands from a plain Node loop (concurrency 4, a fresh process), at 1,000 and 10,000 tasks, each the median of 3 side-by-side pairs.
import { BatchServiceClient, BatchSharedKeyCredentials } from "@azure/batch";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalService, waitFor } from "../../test/support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

/** the job sizes, each measured side by side with the plain loop in this run */
const SIZES = (process.env.BENCH_TASKS ?? "1000,10000").split(",").map(Number);
const SLOTS = 4;
/** pairs (plain loop, then the service) per size: the figure is the median of their ratios, so one disturbed run does not decide it */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const COMMAND = ["/bin/sh", "-c", "exit 0"];

/**
 * The baseline: the same commands from a plain Node loop (concurrency SLOTS) in a fresh, minimal Node process. Run
 * inside this benchmark's process instead, each spawn would copy the page tables of its SDKs and of the garbage the
 * service runs leave behind, so the baseline would slow down from pair to pair (by 20–45% on the 2-core machine).
 */
function plainNodeLoop(count: number): number {
  const script = path.join(__dirname, "..", "support", "plainNodeLoop.js");
  const output = execFileSync(process.execPath, [script, String(count), String(SLOTS), ...COMMAND], { encoding: "utf8" });
  return Number(output.trim());
}

/**
 * Kernel time to make what one task needs where the service keeps its data (os.tmpdir()), in µs: its folder with `wd/`
 * and `certs/` and two empty files, which the plain loop does not make. On this VM's ext4 (no journal) the kernel skips
 * every inode freed in the last 1–5 minutes when it allocates one, so this cost moves 5- to 20-fold with what was deleted
 * just before the run (measured 25 µs to 0.7 ms per folder on the 2-core VM); each pair prints it next to its ratio.
 */
function taskFoldersCostUs(): number {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), "fs-probe-"));
  try {
    const before = process.cpuUsage();
    for (let i = 0; i < 100; i++) {
      const task = path.join(probe, `t${i}`);
      for (const folder of [task, path.join(task, "wd"), path.join(task, "certs")]) fs.mkdirSync(folder);
      for (const file of ["stdout.txt", "stderr.txt"]) fs.closeSync(fs.openSync(path.join(task, file), "w"));
    }
    return process.cpuUsage(before).system / 100;
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}

/** user + system CPU time of a process so far, in ms (Linux /proc; 0 where it cannot be read) */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

/** the spawn launcher's pid, from the service log (undefined when the service spawns directly) */
const launcherPid = (log: string) => Number([...log.matchAll(/spawn launcher started, pid (\d+)/g)].at(-1)?.[1]) || undefined;

/** CPU time of the launcher and of the account launchers it forked (the Python launcher's, for tasks run as another user), in ms */
function launchersCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // no such file: the launcher alone
  }
  const forks = children.filter((child) => {
    try {
      return fs.readFileSync(`/proc/${child}/cmdline`, "utf8").includes("spawn_launcher");
    } catch {
      return false;
    }
  });
  return [pid, ...forks].reduce((sum, each) => sum + cpuMs(each), 0);
}

async function localService(count: number): Promise<number> {
  const service = await startLocalService({ nodes: 1 });
  try {
    // the plain SDK client, as a workload's would be: the tests' spec-validating one spends 0.1–0.2 ms of CPU per task in
    // this process, on the same 2 cores the service and its tasks need
    const client = new BatchServiceClient(new BatchSharedKeyCredentials(service.info.accountName, service.info.accountKey), service.info.batchUrl);
    await client.pool.add({
      id: "bench",
      vmSize: "standard_d2s_v3",
      targetDedicatedNodes: 1,
      taskSlotsPerNode: SLOTS,
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
    });
    await waitFor(async () => ((await client.computeNode.list("bench")).some((node) => node.state === "idle") ? true : undefined), "an idle node", 60_000);
    await client.job.add({ id: "bench-job", poolInfo: { poolId: "bench" } });
    const serviceCpuBefore = cpuMs(service.process.pid);
    const started = process.hrtime.bigint();
    const chunks = [];
    for (let i = 0; i < count; i += 100) {
      chunks.push(
        Array.from({ length: Math.min(100, count - i) }, (_, j) => ({
          id: `t${i + j}`,
          commandLine: COMMAND.map((part) => (part.includes(" ") ? `"${part}"` : part)).join(" "),
        })),
      );
    }
    await Promise.all(chunks.map((chunk) => client.task.addCollection("bench-job", chunk)));
    await waitFor(
      async () => {
        const counts = await client.job.getTaskCounts("bench-job");
        return counts.taskCounts.completed === count ? counts : undefined;
      },
      "all tasks completed",
      600_000,
      // the run ends when the last task does: a coarser poll would add its own latency to short runs
      20,
    );
    const rate = count / (Number(process.hrtime.bigint() - started) / 1e9);
    // CPU per task is what the launcher changes, and unlike the ratios it hardly moves with the machine's other load
    const serviceCpu = (cpuMs(service.process.pid) - serviceCpuBefore) / count;
    const launcherCpu = launchersCpuMs(launcherPid(service.log())) / count;
    console.log(`${count} tasks: service CPU ${serviceCpu.toFixed(3)} ms/task, spawn launcher CPU ${launcherCpu.toFixed(3)} ms/task`);
    const failed = (await client.job.getTaskCounts("bench-job")).taskCounts.failed;
    if (failed > 0) throw new Error(`${failed} tasks failed`);
    return rate;
  } finally {
    await service.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  for (const tasks of SIZES) {
    const ratios: number[] = [];
    for (let pair = 1; pair <= PAIRS; pair++) {
      const folderUs = taskFoldersCostUs();
      const raw = plainNodeLoop(tasks);
      const local = await localService(tasks);
      ratios.push(local / raw);
      console.log(
        `${tasks} tasks, pair ${pair}: plain node loop (concurrency ${SLOTS}) ${raw.toFixed(1)} tasks/s; local Batch service (1 node x ${SLOTS} slots, addCollection) ${local.toFixed(1)} tasks/s; ratio ${(local / raw).toFixed(3)}; making one task's folders and files in ${os.tmpdir()} costs ${folderUs.toFixed(0)} µs of kernel time`,
      );
    }
    console.log(`local_batch_task_throughput_ratio_${tasks}: ${median(ratios).toFixed(3)}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
