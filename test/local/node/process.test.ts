// Why: runs real processes through the node agent: no-shell argv semantics, PATH, exit codes, wall clock, kills of process trees, retries, orphans.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { TaskLaunch } from "../../../src/local/node/nodeAgent";
import type { NodeRecord, Wire } from "../../../src/local/store/model";
import { harness, launch, never, readText, readyNode, waitFor, type Harness } from "./helpers";

/** Alive = exists and is not a zombie (the container's init may not reap orphans at once). */
function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

describe("running processes", () => {
  let h: Harness;
  let node: NodeRecord;
  let pool: Wire;
  let sequence = 0;
  const task = (spec: Record<string, unknown>, rest: Partial<TaskLaunch> = {}): TaskLaunch => {
    const taskId = (spec.id as string | undefined) ?? `p${++sequence}`;
    return launch(node, pool, { kind: "task", jobId: "pj", taskId, job: { id: "pj" }, spec: { id: taskId, ...spec }, ...rest });
  };
  const stdout = (taskId: string) => readText(path.join(node.rootDir, "workitems", "pj", "job-1", taskId, "stdout.txt"));

  before(async () => {
    h = harness({ killGraceMs: 1000 });
    node = await readyNode(h, "procpool");
    pool = h.state.getPool("procpool")!.wire;
  });
  after(() => h.close());

  it("does not use a shell: $HOME stays literal, so do pipes", async () => {
    const result = await h.agent.run(task({ id: "lit", commandLine: "echo $HOME | tr a b" }), never);
    assert.equal(result.exitCode, 0);
    assert.equal(stdout("lit"), "$HOME | tr a b\n");
  });

  it("/bin/sh -c gets shell features, with HOME = working directory", async () => {
    const result = await h.agent.run(task({ id: "sh", commandLine: '/bin/sh -c "echo $HOME; pwd"' }), never);
    const wd = path.join(node.rootDir, "workitems", "pj", "job-1", "sh", "wd");
    assert.equal(result.exitCode, 0);
    assert.equal(stdout("sh"), `${wd}\n${wd}\n`);
  });

  it("splits quoted arguments and removes the quotes", async () => {
    await h.agent.run(task({ id: "quotes", commandLine: `/usr/bin/printf "%s|" "a b" 'c  d' e "" 'it"s'` }), never);
    assert.equal(stdout("quotes"), 'a b|c  d|e||it"s|');
  });

  it("reports the exit code and the stderr file", async () => {
    const result = await h.agent.run(task({ id: "exit3", commandLine: `/bin/sh -c "echo oops >&2; exit 3"` }), never);
    assert.equal(result.exitCode, 3);
    assert.equal(result.failureKind, undefined);
    assert.equal(readText(path.join(result.taskDir, "stderr.txt")), "oops\n");
  });

  it("finds programs through PATH, which ends with the shared and working directories", async () => {
    const script = path.join(node.rootDir, "shared", "hello-shared");
    fs.writeFileSync(script, '#!/bin/sh\necho shared says hi "$1"\n', { mode: 0o755 });
    const result = await h.agent.run(task({ id: "viapath", commandLine: "hello-shared there" }), never);
    assert.equal(result.exitCode, 0);
    assert.equal(stdout("viapath"), "shared says hi there\n");
  });

  it("a missing program is a pre-processing error: CommandProgramNotFound, no exit code", async () => {
    const result = await h.agent.run(task({ id: "missing", commandLine: "no-such-program-4711 arg" }), never);
    assert.equal(result.exitCode, undefined);
    assert.equal(result.failureKind, "preProcessing");
    assert.equal(result.failureInfo?.code, "CommandProgramNotFound");
    assert.equal(result.failureInfo?.category, "usererror");
  });

  it("a task directory that cannot be made is a pre-processing error (CommandLaunchFailed, naming the folder); nothing runs", async () => {
    // a file where the job's folder must go
    const jobFolder = path.join(node.rootDir, "workitems", "blocked");
    fs.mkdirSync(path.dirname(jobFolder), { recursive: true });
    fs.writeFileSync(jobFolder, "");
    const spec = { id: "b1", commandLine: `/bin/sh -c "touch ${path.join(node.rootDir, "ran")}"` };
    const result = await h.agent.run(launch(node, pool, { kind: "task", jobId: "blocked", taskId: "b1", job: { id: "blocked" }, spec }), never);
    assert.equal(result.exitCode, undefined);
    assert.equal(result.failureKind, "preProcessing");
    assert.deepEqual([result.failureInfo?.category, result.failureInfo?.code], ["usererror", "CommandLaunchFailed"]);
    const message = result.failureInfo?.details?.find((detail) => detail.name === "Message")?.value ?? "";
    assert.match(message, /^cannot create the task directory: .*workitems\/blocked\/job-1\/b1: ENOTDIR$/);
    assert.equal(fs.existsSync(path.join(node.rootDir, "ran")), false);
  });

  it("maxWallClockTime kills the process: failureKind timeout, exit code 128+SIGTERM", async () => {
    const began = Date.now();
    const result = await h.agent.run(task({ id: "slow", commandLine: "/bin/sleep 30", constraints: { maxWallClockTime: "PT0.5S" } }), never);
    assert.ok(Date.now() - began < 5000, "killed promptly");
    assert.equal(result.failureKind, "timeout");
    assert.equal(result.exitCode, 143);
    assert.equal(result.failureInfo?.code, "TaskEnded");
    assert.equal(result.failureInfo?.category, "usererror");
  });

  it("a process ignoring SIGTERM is SIGKILLed after the grace period (exit code 137)", async () => {
    const began = Date.now();
    const result = await h.agent.run(
      task({ id: "stubborn", commandLine: `/bin/sh -c "trap '' TERM; /bin/sleep 30"`, constraints: { maxWallClockTime: "PT0.3S" } }),
      never,
    );
    const took = Date.now() - began;
    assert.equal(result.failureKind, "timeout");
    assert.equal(result.exitCode, 137);
    assert.ok(took >= 1200 && took < 6000, `took ${took} ms`);
  });

  it("aborting kills the whole process tree: failureKind killed", async () => {
    const controller = new AbortController();
    let startedPid = 0;
    const running = h.agent.run(
      task({ id: "tree", commandLine: `/bin/sh -c "/bin/sleep 60 & echo $! > child.pid; /bin/sleep 60"` }),
      controller.signal,
      (pid, taskDir) => {
        startedPid = pid;
        assert.equal(taskDir, path.join(node.rootDir, "workitems", "pj", "job-1", "tree"));
      },
    );
    const pidFile = path.join(node.rootDir, "workitems", "pj", "job-1", "tree", "wd", "child.pid");
    const childPid = await waitFor("child pid", () => fs.existsSync(pidFile) && Number(readText(pidFile).trim()));
    assert.ok(isAlive(childPid) && isAlive(startedPid));
    controller.abort();
    const result = await running;
    assert.equal(result.failureKind, "killed");
    assert.equal(result.failureInfo?.code, "TaskEnded");
    assert.equal(result.exitCode, 143);
    assert.equal(result.pid, startedPid);
    await waitFor("child gone", () => !isAlive(childPid), 3000);
  });

  it("an already aborted signal runs nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await h.agent.run(task({ id: "never", commandLine: "/usr/bin/touch ran" }), controller.signal);
    assert.equal(result.failureKind, "killed");
    assert.equal(result.exitCode, undefined);
    assert.equal(fs.existsSync(path.join(result.workingDir, "ran")), false);
  });

  it("a retry reuses the task folders: working directory kept, stdout/stderr rewritten", async () => {
    const spec = { id: "retry", commandLine: `/bin/sh -c "echo run >> runs.txt; echo out-$AZ_BATCH_TASK_ID; echo err >&2; exit 1"` };
    const first = await h.agent.run(task(spec), never);
    const second = await h.agent.run(task(spec, { retryCount: 1 }), never);
    assert.equal(first.taskDir, second.taskDir);
    assert.equal(second.exitCode, 1);
    assert.equal(readText(path.join(second.workingDir, "runs.txt")), "run\nrun\n");
    assert.equal(stdout("retry"), "out-retry\n");
    assert.equal(readText(path.join(second.taskDir, "stderr.txt")), "err\n");
  });

  it("never rejects: a malformed launch ends as a pre-processing failure", async () => {
    const result = await h.agent.run({ ...task({ commandLine: "/bin/true" }), taskId: undefined }, never);
    assert.equal(result.failureKind, "preProcessing");
    assert.deepEqual([result.failureInfo?.category, result.failureInfo?.code], ["servererror", "Unknown"]);
  });

  it("killOrphan kills a leftover task group of this service, and nothing else", async () => {
    const mine = spawn("/bin/sleep", ["60"], { detached: true, stdio: "ignore", env: { AZ_BATCH_NODE_ROOT_DIR: node.rootDir } });
    const foreign = spawn("/bin/sleep", ["60"], { detached: true, stdio: "ignore", env: { AZ_BATCH_NODE_ROOT_DIR: "/mnt/batch/tasks" } });
    try {
      await waitFor("both running", () => isAlive(mine.pid!) && isAlive(foreign.pid!));
      h.agent.killOrphan(foreign.pid!);
      h.agent.killOrphan(mine.pid!);
      await waitFor("orphan gone", () => !isAlive(mine.pid!), 3000);
      // the agent said it left the foreign group alone, and signalled it (if at all) before the orphan it did kill
      assert.ok(
        h.log.some((line) => line.includes(`not killing process group ${foreign.pid}`)),
        h.log.join("\n"),
      );
      assert.ok(isAlive(foreign.pid!), "a process of someone else survives");
    } finally {
      mine.kill("SIGKILL");
      foreign.kill("SIGKILL");
    }
  });
});
