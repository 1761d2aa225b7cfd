// Why: the Job Schedules branch in the REAL extension host against the local service: schedules → their jobs, and enable / disable / terminate (confirmed, with progress).

import type { BatchServiceClient } from "@azure/batch";
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { EditorUi } from "../../../src/extension/common/editorUi";
import type { BatchManagerApi } from "../../../src/extension/extension";
import { CommandId } from "../../../src/extension/common/ids";
import { JOB_SCHEDULES_LABEL } from "../../../src/extension/tree/scheduleNodes";
import { localBatchClient, openExplorer, poll, scriptedUi, treeLookup, vm } from "./harness";

const SCHEDULE = "nightly";
const POOL = "schedule-pool";

suite("Job schedules in the explorer of a real extension host", () => {
  let api: BatchManagerApi;
  let client: BatchServiceClient;
  let original: EditorUi;
  const progressTitles: string[] = [];
  const { label, child } = treeLookup(() => api);
  const schedulesNode = async () => child(await child(await child(undefined, "Accounts"), "Local"), JOB_SCHEDULES_LABEL);
  const scheduleNode = async () => child(await schedulesNode(), SCHEDULE);
  /** runs a schedule command with these confirmation answers; progress goes to the real UI and its title is recorded */
  const run = async (command: string, confirms: boolean[]) => {
    api.ui.current = scriptedUi(
      original,
      { confirms },
      {
        progress: (title, body, options) => {
          progressTitles.push(title);
          return original.progress(title, body, options);
        },
      },
    );
    try {
      return await vscode.commands.executeCommand<string | undefined>(command, await scheduleNode());
    } finally {
      api.ui.current = original;
    }
  };
  const scheduleState = async () => (await client.jobSchedule.get(SCHEDULE)).state;

  suiteSetup(async () => {
    api = await openExplorer();
    original = api.ui.current;
    assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
    client = localBatchClient(api);
    await client.pool.add({ id: POOL, vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1, taskSlotsPerNode: 2 });
    await client.jobSchedule.add({ id: SCHEDULE, schedule: { recurrenceInterval: "PT1H" }, jobSpecification: { poolInfo: { poolId: POOL } } });
    await poll(async () => ((await client.jobSchedule.get(SCHEDULE)).executionInfo?.recentJob?.id ? true : undefined), "the schedule's first job");
  });

  suiteTeardown(async () => {
    api.ui.current = original;
    await client?.jobSchedule.deleteMethod(SCHEDULE).catch(() => undefined);
    await client?.pool.deleteMethod(POOL).catch(() => undefined);
    await vscode.commands.executeCommand(CommandId.localStop);
  });

  test("an account shows Job Schedules: each schedule with its state and next run, and under it the jobs it created", async () => {
    await vscode.commands.executeCommand(CommandId.refresh);
    const local = await child(await child(undefined, "Accounts"), "Local");
    assert.deepEqual((await api.treeProvider.getChildren(local)).map(label), ["Pools", "Jobs", JOB_SCHEDULES_LABEL]);
    const item = api.treeProvider.getTreeItem(await scheduleNode());
    assert.equal(item.contextValue, "jobSchedule active local");
    assert.match(String(item.description), new RegExp(`^active · next \\S+.* · ${POOL}$`));
    const recentJob = (await client.jobSchedule.get(SCHEDULE)).executionInfo!.recentJob!.id!;
    assert.match(String(item.tooltip), new RegExp(`most recent job: ${recentJob}`));
    const jobs = await api.treeProvider.getChildren(await scheduleNode());
    assert.deepEqual(jobs.map(label), [recentJob]);
    assert.equal(api.treeProvider.getTreeItem(jobs[0]).contextValue, "job active local", "the job has the job actions");
    assert.match(String(api.treeProvider.getTreeItem(jobs[0]).description), /^active · no tasks · schedule-pool$/);
  });

  test("disable asks first (declined: nothing happens), then disables with progress; enable enables", async () => {
    assert.equal(await run(CommandId.scheduleDisable, [false]), undefined);
    assert.equal(await scheduleState(), "active");
    assert.equal(await run(CommandId.scheduleDisable, [true]), "disabled");
    assert.equal(await scheduleState(), "disabled");
    assert.equal(progressTitles.at(-1), `Disabling job schedule ${SCHEDULE}`);
    await poll(async () => ((await scheduleNode()).contextValue === "jobSchedule disabled local" ? true : undefined), "the tree to show it disabled");
    assert.equal(await run(CommandId.scheduleEnable, []), "enabled", "enable asks nothing");
    assert.equal(await scheduleState(), "active");
    await poll(async () => ((await scheduleNode()).contextValue === "jobSchedule active local" ? true : undefined), "the tree to show it active");
  });

  test("terminate (confirmed) ends the schedule and its active job", async () => {
    const recentJob = (await client.jobSchedule.get(SCHEDULE)).executionInfo!.recentJob!.id!;
    assert.equal(await run(CommandId.scheduleTerminate, [true]), "terminated");
    assert.equal(progressTitles.at(-1), `Terminating job schedule ${SCHEDULE}`);
    await poll(async () => ((await scheduleState()) === "completed" ? true : undefined), "the schedule completed");
    await poll(async () => ((await client.job.get(recentJob)).state === "completed" ? true : undefined), "its job completed");
    await poll(async () => ((await scheduleNode()).contextValue === "jobSchedule completed local" ? true : undefined), "the tree to show it completed");
  });
});
