// Why: unit tests (plain node) of the explorer's actions, filters, task counts, progress and auto-refresh against a REAL local Batch service.

import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { isActionClient, jobActions, reactivateFailedTasks, taskActions } from "../../../src/extension/actions/batchActions";
import { mapBounded } from "../../../src/extension/common/bounded";
import { countActiveJobs, statusText } from "../../../src/extension/actions/statusSummary";
import { jobOf, taskOf, treeClientOf } from "../../../src/extension/actions/targets";
import type { LocalServiceProbe } from "../../../src/extension/tree/accountNodes";
import { AutoRefresher } from "../../../src/extension/tree/autoRefresh";
import { ExplorerModel } from "../../../src/extension/tree/explorerModel";
import { JOB_FILTERS, TASK_FILTERS } from "../../../src/extension/tree/filters";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { type LocalServiceHandle, startLocalService, waitFor } from "../../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";

const vm = LOCAL_POOL_VM_CONFIGURATION;
const PROGRESS = `{\\"percent\\":45,\\"message\\":\\"transforming\\",\\"updatedAt\\":\\"2026-01-01T00:00:00Z\\"}`;
const labels = (nodes: TreeNode[]) => nodes.map((n) => n.label).sort();
const taskFilter = (label: string) => TASK_FILTERS.find((f) => f.label === label)!;

describe("explorer actions against a real local Batch service", () => {
  let service: LocalServiceHandle;
  let model: ExplorerModel;
  const client = () => service.client();
  const jobsBranch = async () => {
    const [local] = await model.children(model.roots()[0]);
    return (await model.children(local))[1];
  };
  const jobNode = async (jobId: string) => (await model.children(await jobsBranch())).find((n) => n.label === jobId)!;
  const taskNodes = async (jobId: string) => model.children(await jobNode(jobId));
  const taskState = async (jobId: string, taskId: string) => (await client().task.get(jobId, taskId)).state;

  before(async () => {
    service = await startLocalService({ nodes: 2 });
    const probe: LocalServiceProbe = {
      getStatus: async () => ({ state: "running", endpoint: service.info.batchUrl, accountName: "localbatch", client: client() }),
    };
    model = new ExplorerModel({ localService: probe });
    await client().pool.add({ id: "pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2, taskSlotsPerNode: 4 });
    await client().job.add({ id: "job-a", poolInfo: { poolId: "pool" } });
    await client().task.add("job-a", { id: "ok", commandLine: `/bin/sh -c "echo fine"` });
    await client().task.add("job-a", { id: "fail-1", commandLine: `/bin/sh -c "exit 3"` });
    await client().task.add("job-a", { id: "fail-2", commandLine: `/bin/sh -c "exit 4"` });
    await client().task.add("job-a", { id: "long", commandLine: `/bin/sh -c 'echo "${PROGRESS}" > progress.json; sleep 120'` });
    await waitFor(
      async () => {
        const tasks = await client().task.list("job-a");
        const byId = new Map(tasks.map((t) => [t.id, t.state]));
        return byId.get("long") === "running" && ["ok", "fail-1", "fail-2"].every((id) => byId.get(id) === "completed") ? true : undefined;
      },
      "three tasks completed and one running",
      60_000,
    );
  });

  after(async () => {
    await service?.stop();
  });

  it("jobs show task counts; a running task shows the workload's progress file", async () => {
    const job = await jobNode("job-a");
    assert.match(job.description ?? "", /^active · 1 running · 1 ✓ · 2 ✗ · pool$/);
    assert.equal(job.contextValue, "job active local");
    assert.equal(job.active, true);
    const tasks = new Map((await taskNodes("job-a")).map((t) => [t.label, t]));
    const long = await waitFor(async () => {
      model.refresh(await jobNode("job-a"));
      const node = (await taskNodes("job-a")).find((t) => t.label === "long")!;
      return /%/.test(node.description ?? "") ? node : undefined;
    }, "the progress file to show");
    assert.equal(long.description, "running · 45% transforming");
    assert.equal(long.contextValue, "task running local");
    assert.equal(tasks.get("fail-1")!.contextValue, "task completed failed local");
    assert.equal(tasks.get("fail-1")!.icon, "error");
    assert.deepEqual(jobOf(job), { jobId: "job-a" });
    assert.deepEqual(taskOf(long), { jobId: "job-a", taskId: "long" });
    assert.ok(isActionClient(treeClientOf(long)), "actions on an item use its account's client");
    assert.equal(isActionClient({ job: {} }), false);
  });

  it("filters: tasks by state or failure, jobs by state; the parent's description names the filter", async () => {
    model.filters.setTasks("job-a", taskFilter("failed"));
    model.refresh(await jobsBranch());
    assert.deepEqual(labels(await taskNodes("job-a")), ["fail-1", "fail-2"]);
    assert.match((await jobNode("job-a")).description ?? "", /filter: failed$/);
    model.filters.setTasks("job-a", taskFilter("running"));
    model.refresh(await jobsBranch());
    assert.deepEqual(labels(await taskNodes("job-a")), ["long"]);
    model.filters.setTasks("job-a", undefined);
    model.refresh(await jobsBranch());
    assert.equal((await taskNodes("job-a")).length, 4);

    model.filters.setJobs(JOB_FILTERS.find((f) => f.label === "completed"));
    model.refresh();
    assert.deepEqual(labels(await model.children(await jobsBranch())), ['No jobs match the filter "completed"']);
    assert.equal((await jobsBranch()).description, "filter: completed");
    model.filters.setJobs(undefined);
    model.refresh();
  });

  it("auto-refresh reloads only the branches with something active, and redraws nothing when nothing changed", async () => {
    const job = await jobNode("job-a");
    const tasks = await model.children(job);
    const branches = model.activeBranches().map((n) => n.id);
    assert.deepEqual(branches, ["accounts/local/jobs"], "the Jobs branch (an active job) covers the job's own running task");
    const changed: (string | undefined)[] = [];
    const subscription = model.onDidChange((n) => changed.push(n?.id));
    let recounts = 0;
    const refresher = new AutoRefresher(model, { intervalSeconds: () => 0.05, onRefreshed: () => recounts++ });
    refresher.setVisible(false);
    await refresher.tick();
    assert.deepEqual(changed, [], "the jobs, tasks and progress read again are what the tree shows: nothing is redrawn");
    assert.equal(recounts, 1, "the branch was reloaded");
    assert.equal(refresher.running, false, "hidden: no timer");
    // a task added to the active job: its list changed, so the job (only) is redrawn
    await client().task.add("job-a", { id: "late", commandLine: `/bin/sh -c "sleep 120"` });
    await refresher.tick();
    assert.deepEqual(changed, [job.id], "the job is redrawn (its task list and counts changed), not the Jobs list");
    assert.equal(
      (await model.children(job)).find((t) => t.label === "ok"),
      tasks.find((t) => t.label === "ok"),
      "the job's tasks stay the same nodes",
    );
    refresher.setVisible(true);
    assert.equal(refresher.running, true);
    refresher.dispose();
    assert.equal(refresher.running, false);
    subscription.dispose();
  });

  it("the status bar counts active jobs", async () => {
    assert.equal(await countActiveJobs(client()), 1);
    assert.equal(statusText("running", 1), "$(vm-running) Batch: 1 active job");
    assert.equal(statusText("stopped", undefined), "$(debug-stop) Batch: stopped");
  });

  it("terminate a running task: it completes with a failure", async () => {
    await taskActions.terminate(client(), { jobId: "job-a", taskId: "long" });
    const task = await waitFor(async () => {
      const t = await client().task.get("job-a", "long");
      return t.state === "completed" ? t : undefined;
    }, "the terminated task to complete");
    assert.equal(task.executionInfo?.result, "failure");
  });

  it("reactivate all failed tasks: lists them by $filter, reactivates with bounded concurrency, reports n of N", async () => {
    const before = (await client().task.get("job-a", "fail-1")).stateTransitionTime!;
    const reports: string[] = [];
    const result = await reactivateFailedTasks(client(), { jobId: "job-a" }, { concurrency: 2, onProgress: (done, total) => reports.push(`${done}/${total}`) });
    assert.equal(result.total, 3, "fail-1, fail-2 and the terminated long");
    assert.equal(result.reactivated, 3);
    assert.deepEqual(reports, ["0/3", "1/3", "2/3", "3/3"]);
    const after = await client().task.get("job-a", "fail-1");
    assert.ok(after.state !== "completed" || after.stateTransitionTime! > before, "fail-1 ran again");
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(reactivateFailedTasks(client(), { jobId: "job-a" }, { signal: aborted.signal }), { name: /UserCancelledError|AbortError/ });
  });

  it("mapBounded keeps at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (n === 3) throw new Error("three");
      return n * 2;
    });
    assert.equal(peak, 2);
    assert.deepEqual(
      results.map((r) => r?.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"],
    );
  });

  it("disable (requeue) and enable a job, reactivate and delete a task, terminate and delete a job", async () => {
    await jobActions.disable(client(), { jobId: "job-a" }, "requeue");
    await waitFor(async () => ((await client().job.get("job-a")).state === "disabled" ? true : undefined), "the job to be disabled");
    await jobActions.enable(client(), { jobId: "job-a" });
    await waitFor(async () => ((await client().job.get("job-a")).state === "active" ? true : undefined), "the job to be active");
    await client().task.add("job-a", { id: "again", commandLine: `/bin/sh -c "exit 1"` });
    await waitFor(async () => ((await taskState("job-a", "again")) === "completed" ? true : undefined), "the task to fail");
    await taskActions.reactivate(client(), { jobId: "job-a", taskId: "again" });
    await taskActions.delete(client(), { jobId: "job-a", taskId: "again" });
    await assert.rejects(client().task.get("job-a", "again"), { statusCode: 404 });
    await jobActions.terminate(client(), { jobId: "job-a" });
    await waitFor(async () => ((await client().job.get("job-a")).state === "completed" ? true : undefined), "the job to complete");
    await jobActions.delete(client(), { jobId: "job-a" });
    await waitFor(async () => ((await client().job.list()).some((j) => j.id === "job-a") ? undefined : true), "the job to be gone");
  });
});
