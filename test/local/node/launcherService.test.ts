// Why: the spawn launcher inside the real local service: its death is survived (tasks requeued and run), and no task outlives a SIGKILLed service.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { startLocalService, tempDir, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForTask } from "../jobs/helpers";

const marks = tempDir("launcher-marks");
after(() => fs.rmSync(marks, { recursive: true, force: true }));

/** parent pid and state from /proc; undefined once the process is gone */
function stat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}
const isAlive = (pid: number) => (stat(pid)?.state ?? "Z") !== "Z";
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** the pid of the launcher the service last started, from its log */
const launcherPid = (service: LocalServiceHandle, not?: number) =>
  waitFor(() => {
    const pids = [...service.log().matchAll(/spawn launcher started, pid (\d+)/g)].map((match) => Number(match[1]));
    const last = pids.at(-1);
    return last !== undefined && last !== not ? last : undefined;
  }, "a spawn launcher in the service log");

/** a task that sleeps on its first run (writing its pid to marks/<name>.pid) and succeeds at once on the next */
const firstRunSleeps = (name: string) => sh(`test -f ${marks}/${name}.ran || { touch ${marks}/${name}.ran; echo $$ > ${marks}/${name}.pid; exec sleep 60; }`);
const pidOf = (name: string) => waitFor(() => Number(fs.readFileSync(path.join(marks, `${name}.pid`), "utf8").trim()) || undefined, `${name}.pid`);

describe("spawn launcher in the local service", () => {
  it("survives the launcher's death: the running task is requeued and completes, new tasks run under a new launcher", async () => {
    const service = await startLocalService({ nodes: 1 });
    try {
      const client = service.client();
      await poolWithIdleNodes(client, "lp", 1, 2);
      await client.job.add({ id: "lj", poolInfo: { poolId: "lp" } });
      await client.task.add("lj", { id: "victim", commandLine: firstRunSleeps("victim") });
      const taskPid = await pidOf("victim");
      const first = await launcherPid(service);
      // the task's parent is the launcher, or the small dash wrapper the launcher started to measure its CPU and I/O
      const parent = stat(taskPid)?.ppid;
      assert.ok(parent === first || (parent !== undefined && stat(parent)?.ppid === first), "the task process runs under the launcher, not the service");
      process.kill(first, "SIGKILL");

      const victim = await waitForTask(client, "lj", "victim", (task) => task.state === "completed", "to complete after the launcher died", 30_000);
      assert.equal(victim.executionInfo?.exitCode, 0);
      assert.equal(victim.executionInfo?.requeueCount, 1);
      await waitFor(() => (isAlive(taskPid) ? undefined : true), "the orphaned first run to be stopped", 10_000);
      const second = await launcherPid(service, first);
      await client.task.add("lj", { id: "after", commandLine: sh("exit 7") });
      const after = await waitForTask(client, "lj", "after", (task) => task.state === "completed", "to complete", 30_000);
      assert.equal(after.executionInfo?.exitCode, 7);
      assert.match(service.log(), new RegExp(`spawn launcher \\(pid ${first}\\) exited with SIGKILL`));
      assert.ok(isAlive(second));
    } finally {
      await service.stop();
    }
  });

  it("no task process outlives a SIGKILLed service; after a restart the task is requeued and completes", async () => {
    const first = await startLocalService({ nodes: 1 });
    let second: LocalServiceHandle | undefined;
    try {
      const client = first.client();
      await poolWithIdleNodes(client, "kp", 1, 1);
      await client.job.add({ id: "kj", poolInfo: { poolId: "kp" } });
      await client.task.add("kj", { id: "sleeper", commandLine: firstRunSleeps("sleeper") });
      const taskPid = await pidOf("sleeper");
      const launcher = await launcherPid(first);
      await first.kill();
      await waitFor(() => (!isAlive(launcher) && !groupAlive(taskPid) ? true : undefined), "the launcher and the task's process group to be gone", 15_000);

      second = await startLocalService({ nodes: 1, dataDir: first.dataDir });
      const sleeper = await waitForTask(second.client(), "kj", "sleeper", (task) => task.state === "completed", "to complete after the restart", 30_000);
      assert.equal(sleeper.executionInfo?.exitCode, 0);
      assert.equal(sleeper.executionInfo?.requeueCount, 1);
    } finally {
      await second?.stop();
      await first.kill();
    }
  });
});
