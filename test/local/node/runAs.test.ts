// Why: tasks run as their identity against the real service: nonadmin ones never as root (checked with `id` in real processes), named users from the pool's userAccounts, an unknown one fails as on Azure.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { RUN_AS_TASK_USERS, startLocalService, tempDir, type LocalServiceHandle } from "../../support/localService";
import { textOf } from "../files/fileHelpers";
import { poolWithIdleNodes, waitForTask } from "../nodes/poolNodes";
import { unprivilegedAccount } from "../../../src/local/node/taskAccount";

const ROOT = process.getuid?.() === 0;
const NOT_ROOT = "this test process is not root, so the service is not either: every task runs as the service's own user and there is no uid to drop";
const NOBODY = unprivilegedAccount();
const PASSWORD = "Runner-pa55word!";

/** Prints the uid, gid and working directory, and proves the task can write where a nonadmin task may. */
const PROBE = `/bin/sh -c "id -u; id -g; pwd; echo made > made.txt; echo shared > $AZ_BATCH_NODE_SHARED_DIR/$AZ_BATCH_TASK_ID.txt; echo $AZ_BATCH_TASK_USER; echo $(stat -c %u $AZ_BATCH_TASK_DIR $AZ_BATCH_TASK_DIR/wd $AZ_BATCH_TASK_DIR/certs $AZ_BATCH_TASK_DIR/stdout.txt $AZ_BATCH_TASK_DIR/stderr.txt)"`;

interface Probe {
  uid: number;
  gid: number;
  cwd: string;
  user: string;
  /** owners (uid) of the task directory, wd/, certs/, stdout.txt and stderr.txt */
  owners: number[];
}

describe("run-as identities", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 2, env: RUN_AS_TASK_USERS });
    client = service.client();
    await poolWithIdleNodes(client, "runas", 1, {
      taskSlotsPerNode: 4,
      userAccounts: [
        { name: "runner", password: PASSWORD },
        { name: "boss", password: PASSWORD, elevationLevel: "admin" },
        { name: "fixed", password: PASSWORD, linuxUserConfiguration: { uid: 4321, gid: 4322 } },
      ],
      startTask: { commandLine: `/bin/sh -c "id -u > $AZ_BATCH_NODE_STARTUP_DIR/wd/uid.txt"`, waitForSuccess: true },
    });
    await client.job.add({ id: "identities", poolInfo: { poolId: "runas" } });
  });
  after(async () => {
    await service.stop();
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  async function run(taskId: string, userIdentity?: BatchServiceModels.UserIdentity): Promise<{ task: BatchServiceModels.CloudTask; probe?: Probe }> {
    await client.task.add("identities", { id: taskId, commandLine: PROBE, ...(userIdentity ? { userIdentity } : {}) });
    const task = await waitForTask(client, "identities", taskId, "completed");
    if (task.executionInfo?.exitCode !== 0) return { task };
    const [uid, gid, cwd, user, owners] = (await textOf(await client.file.getFromTask("identities", taskId, "stdout.txt"))).trim().split("\n");
    return { task, probe: { uid: Number(uid), gid: Number(gid), cwd, user, owners: (owners ?? "").trim().split(" ").map(Number) } };
  }

  const skipUnlessRoot = (t: TestContext): boolean => {
    if (!ROOT) t.skip(NOT_ROOT);
    return ROOT;
  };

  it("a task without userIdentity (pool nonadmin auto-user) does not run as root; its folders and the shared folder are writable", async (t) => {
    const { task, probe } = await run("default");
    assert.equal(task.executionInfo?.exitCode, 0, JSON.stringify(task.executionInfo));
    assert.equal(probe!.user, "_azbatch");
    assert.match(probe!.cwd, /\/workitems\/identities\/job-1\/default\/wd$/);
    // the service reads what the task wrote (file API, output files)
    assert.equal((await textOf(await client.file.getFromTask("identities", "default", "wd/made.txt"))).trim(), "made");
    if (!skipUnlessRoot(t)) return;
    assert.notEqual(probe!.uid, 0);
    assert.deepEqual([probe!.uid, probe!.gid], [NOBODY.uid, NOBODY.gid]);
    // its task directory and what is in it are its own, as the spawner made them
    assert.deepEqual(probe!.owners, Array(5).fill(NOBODY.uid));
  });

  it("an admin auto-user keeps the service's uid (root)", async (t) => {
    const { probe } = await run("admin", { autoUser: { scope: "task", elevationLevel: "admin" } });
    assert.equal(probe!.user, "_azbatchtask_admin");
    if (skipUnlessRoot(t)) assert.equal(probe!.uid, 0);
  });

  it("named users: nonadmin → unprivileged, admin → root, linuxUserConfiguration uid/gid → those ids", async (t) => {
    const runner = await run("as-runner", { userName: "runner" });
    const boss = await run("as-boss", { userName: "boss" });
    const fixed = await run("as-fixed", { userName: "fixed" });
    assert.deepEqual([runner.probe!.user, boss.probe!.user, fixed.probe!.user], ["runner", "boss", "fixed"]);
    if (!skipUnlessRoot(t)) return;
    assert.deepEqual([runner.probe!.uid, boss.probe!.uid], [NOBODY.uid, 0]);
    assert.deepEqual([fixed.probe!.uid, fixed.probe!.gid], [4321, 4322]);
  });

  it("a userName the pool has no account for: the task completes with TaskSchedulingConstraintFailed and never runs", async () => {
    const { task } = await run("as-ghost", { userName: "ghost" });
    assert.equal(task.executionInfo?.result, "failure");
    assert.equal(task.executionInfo?.exitCode, undefined);
    assert.equal(task.executionInfo?.failureInfo?.category, "usererror");
    assert.equal(task.executionInfo?.failureInfo?.code, "TaskSchedulingConstraintFailed");
    assert.ok(task.executionInfo?.failureInfo?.details?.some((detail) => detail.name === "UserName" && detail.value === "ghost"));
  });

  it("userName and autoUser together are refused at add time, naming userIdentity", async () => {
    await assert.rejects(
      client.task.add("identities", { id: "both", commandLine: "/bin/true", userIdentity: { userName: "runner", autoUser: { elevationLevel: "admin" } } }),
      (error: { statusCode: number; body: { code: string; values: { key: string; value: string }[] } }) => {
        assert.equal(error.statusCode, 400);
        assert.deepEqual(error.body.values[0], { key: "PropertyName", value: "userIdentity" });
        return true;
      },
    );
  });

  it("the start task (task-scoped nonadmin by default) and the job manager run unprivileged too", async (t) => {
    const [node] = await client.computeNode.list("runas");
    const startUid = Number((await textOf(await client.file.getFromComputeNode("runas", node.id!, "startup/wd/uid.txt"))).trim());
    await client.job.add({
      id: "managed",
      poolInfo: { poolId: "runas" },
      jobManagerTask: { id: "manager", commandLine: "/bin/sh -c 'id -u'", userIdentity: { userName: "runner" } },
    });
    const manager = await waitForTask(client, "managed", "manager", "completed");
    assert.equal(manager.executionInfo?.exitCode, 0);
    const managerUid = Number((await textOf(await client.file.getFromTask("managed", "manager", "stdout.txt"))).trim());
    if (!skipUnlessRoot(t)) return;
    assert.deepEqual([startUid, managerUid], [NOBODY.uid, NOBODY.uid]);
  });

  it("a data folder inside a folder closed to nobody: nonadmin tasks run as the service's user, the log says why, nothing above is changed", async (t) => {
    if (!skipUnlessRoot(t)) return;
    const closed = tempDir("local-batch-closed");
    fs.chmodSync(closed, 0o700);
    const other = await startLocalService({ dataDir: path.join(closed, "data"), nodes: 1, env: RUN_AS_TASK_USERS });
    try {
      const otherClient = other.client();
      await poolWithIdleNodes(otherClient, "closed", 1);
      await otherClient.job.add({ id: "j", poolInfo: { poolId: "closed" } });
      await otherClient.task.add("j", { id: "t", commandLine: "/bin/sh -c 'id -u'" });
      assert.equal((await waitForTask(otherClient, "j", "t", "completed")).executionInfo?.exitCode, 0);
      assert.equal((await textOf(await otherClient.file.getFromTask("j", "t", "stdout.txt"))).trim(), "0");
      assert.match(
        other.log(),
        new RegExp(`nonadmin tasks run as the service's user \\(root\\) because nobody \\(uid ${NOBODY.uid}\\) cannot enter ${closed}`),
      );
      assert.equal(fs.statSync(closed).mode & 0o777, 0o700);
    } finally {
      await other.stop();
      fs.rmSync(closed, { recursive: true, force: true });
    }
  });

  it("pool userAccounts are checked at add time: unique names, uid and gid together", async () => {
    const base = {
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: { imageReference: { publisher: "canonical", offer: "x", sku: "y" }, nodeAgentSKUId: "batch.node.ubuntu 22.04" },
    };
    await assert.rejects(
      client.pool.add({
        id: "dupusers",
        ...base,
        userAccounts: [
          { name: "a", password: PASSWORD },
          { name: "a", password: PASSWORD },
        ],
      }),
      (error: { statusCode: number; body: { values: { key: string; value: string }[] } }) => {
        assert.equal(error.statusCode, 400);
        assert.deepEqual(error.body.values[0], { key: "PropertyName", value: "userAccounts[1].name" });
        return true;
      },
    );
    await assert.rejects(
      client.pool.add({ id: "halfids", ...base, userAccounts: [{ name: "a", password: PASSWORD, linuxUserConfiguration: { uid: 5000 } }] }),
      (error: { statusCode: number; body: { values: { key: string; value: string }[] }; message: string }) => {
        assert.deepEqual(error.body.values[0], { key: "PropertyName", value: "userAccounts[0].linuxUserConfiguration" });
        assert.ok(!JSON.stringify(error.body).includes(PASSWORD), "the password is not echoed");
        return true;
      },
    );
    const stateFiles = fs.readdirSync(service.dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const stored = stateFiles.map((entry) => fs.readFileSync(`${entry.parentPath}/${entry.name}`, "latin1")).join("\n");
    assert.ok(!stored.includes(PASSWORD), "pool user passwords are not stored");
  });
});
