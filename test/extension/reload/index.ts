// Why: issue 11: a real window reload (workbench.action.reloadWindow) in the real extension host does not stop the local service or its running task, and the reloaded window's explorer reattaches to it.
//
// An extensionTestsPath module of its own (scripts/test-extension.sh runs it after the suite): a reload ends this
// extension host and VS Code runs this module again in the new one, so it runs in two phases, told apart by the state
// file $RELOAD_TEST_STATE. Phase 1 starts the service and a task, notes their pids and this host's, and reloads;
// phase 2 (the new host) checks that the same service and task went on and that the explorer adopted the service.

import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { CommandId } from "../../../src/extension/common/ids";
import { isSameProcess } from "../../../src/core/localService/serviceFile";
import { localBatchClient, openExplorer, poll, resetLocalDataFolder, treeLookup, vm } from "../suite/harness";

interface ReloadState {
  hostPid: number;
  servicePid: number;
  taskStartTime: string;
}

const JOB = "reload-job";
const TASK = "spans-reload";
/** how long the task runs: long enough to still run after the reload, short enough to finish in phase 2 */
const TASK_SECONDS = 20;

const stateFile = () => {
  const file = process.env.RELOAD_TEST_STATE;
  assert.ok(file, "scripts/test-extension.sh sets RELOAD_TEST_STATE for the reload test");
  return file;
};

async function beforeReload(): Promise<void> {
  const api = await openExplorer();
  await resetLocalDataFolder(api);
  assert.equal(await vscode.commands.executeCommand(CommandId.localStart), "running");
  const client = localBatchClient(api);
  await client.pool.add({ id: "reload-pool", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 1 });
  await client.job.add({ id: JOB, poolInfo: { poolId: "reload-pool" } });
  await client.task.add(JOB, { id: TASK, commandLine: `/bin/sh -c "sleep ${TASK_SECONDS}; echo survived"` });
  const running = await poll(
    async () => {
      const task = await client.task.get(JOB, TASK);
      return task.state === "running" ? task : undefined;
    },
    "the task to run",
    60_000,
  );
  const state: ReloadState = {
    hostPid: process.pid,
    servicePid: api.localService.pid!,
    taskStartTime: String(running.executionInfo?.startTime?.toISOString()),
  };
  fs.writeFileSync(stateFile(), JSON.stringify(state));
  console.log(`phase 1: service pid ${state.servicePid}, task running since ${state.taskStartTime}; reloading the window (extension host pid ${process.pid})`);
  await vscode.commands.executeCommand("workbench.action.reloadWindow");
}

async function afterReload(state: ReloadState): Promise<void> {
  assert.notEqual(process.pid, state.hostPid, "a new extension host runs after the reload");
  const api = await openExplorer();
  assert.equal(isSameProcess(state.servicePid, undefined), true, "the service outlived the reloaded window's extension host");
  // activation reattaches without a Start (extension.ts)
  await poll(() => (api.localService.state === "running" && api.localService.pid === state.servicePid ? true : undefined), "the explorer to reattach", 30_000);
  assert.equal(api.localService.adoptedService, true, "the reloaded window adopted the service as its own");
  const { child } = treeLookup(() => api);
  const local = await child(await child(undefined, "Accounts"), "Local");
  assert.equal(api.treeProvider.getTreeItem(local).description, `running · ${api.localService.connection!.batchUrl}`);
  const client = localBatchClient(api);
  const task = await poll(
    async () => {
      const current = await client.task.get(JOB, TASK);
      return current.state === "completed" ? current : undefined;
    },
    "the task started before the reload to complete",
    (TASK_SECONDS + 30) * 1000,
  );
  assert.equal(task.executionInfo?.exitCode, 0, JSON.stringify(task.executionInfo));
  assert.equal(task.executionInfo?.startTime?.toISOString(), state.taskStartTime, "the same attempt went on: it was not restarted");
  assert.equal(task.executionInfo?.retryCount, 0);
  assert.equal(task.executionInfo?.requeueCount, 0);
  const stdout = await client.file.getFromTask(JOB, TASK, "stdout.txt");
  const chunks: Buffer[] = [];
  for await (const chunk of stdout.readableStreamBody!) chunks.push(Buffer.from(chunk));
  assert.equal(Buffer.concat(chunks).toString(), "survived\n");
  await vscode.commands.executeCommand(CommandId.localStop);
  assert.equal(isSameProcess(state.servicePid, undefined), false, "Stop stops the adopted service");
}

export async function run(): Promise<void> {
  const file = stateFile();
  if (!fs.existsSync(file)) {
    try {
      await beforeReload();
    } catch (error) {
      console.log("0 passed, 1 failed");
      throw error;
    }
    // the reload ends this host; VS Code runs this module again in the next one (phase 2), whose end ends the run
    return new Promise<void>(() => undefined);
  }
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as ReloadState;
  fs.rmSync(file, { force: true });
  try {
    await afterReload(state);
    console.log("phase 2: the same service and task went on through the reload, and the explorer reattached");
    console.log("1 passed, 0 failed");
  } catch (error) {
    console.log("0 passed, 1 failed");
    throw error;
  }
}
