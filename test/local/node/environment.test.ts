// Why: checks, variable by variable against node-environment.md, the environment and folders each task kind gets from the node agent.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { NodeRecord, Wire } from "../../../src/local/store/model";
import { addPool, harness, launch, never, nodesOf, parseEnv, readText, readyNode, waitFor, type Harness } from "./helpers";

const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** The variables every kind gets, for a task whose directory is `taskDir`. */
function common(node: NodeRecord, taskDir: string, user: string, identity: string): Record<string, string> {
  const root = node.rootDir;
  const wd = path.join(taskDir, "wd");
  return {
    AZ_BATCH_ACCOUNT_NAME: "localbatch",
    AZ_BATCH_ACCOUNT_URL: "http://127.0.0.1:8510/",
    AZ_BATCH_POOL_ID: node.poolId,
    AZ_BATCH_NODE_ID: node.wire.id,
    AZ_BATCH_NODE_IS_DEDICATED: "true",
    AZ_BATCH_NODE_ROOT_DIR: root,
    AZ_BATCH_NODE_SHARED_DIR: path.join(root, "shared"),
    AZ_BATCH_NODE_STARTUP_DIR: path.join(root, "startup"),
    AZ_BATCH_NODE_MOUNTS_DIR: path.join(root, "fsmounts"),
    AZ_BATCH_TASK_DIR: taskDir,
    AZ_BATCH_TASK_WORKING_DIR: wd,
    AZ_BATCH_CERTIFICATES_DIR: path.join(taskDir, "certs"),
    AZ_BATCH_TASK_USER: user,
    AZ_BATCH_TASK_USER_IDENTITY: identity,
    AZ_BATCH_TASK_RESERVED_EPHEMERAL_DISK_SPACE_BYTES: "1000000",
    HOME: wd,
    PWD: wd,
    USER: user,
    PATH: `${SYSTEM_PATH}:${path.join(root, "shared")}:${wd}`,
  };
}

describe("task environment and folders", () => {
  let h: Harness;
  let node: NodeRecord;
  let pool: Wire;
  const jobWithPrep = {
    id: "jobA",
    jobPreparationTask: { commandLine: "/bin/true" },
    commonEnvironmentSettings: [
      { name: "SHARED_SETTING", value: "from-job" },
      { name: "OVERRIDDEN", value: "job" },
    ],
  };

  before(async () => {
    process.env.NODE_AGENT_TEST_LEAK = "must-not-leak";
    h = harness();
    node = await readyNode(h, "envpool");
    pool = h.state.getPool("envpool")!.wire;
  });
  after(async () => {
    delete process.env.NODE_AGENT_TEST_LEAK;
    await h.close();
  });

  it("creates the node root folders", () => {
    assert.deepEqual(fs.readdirSync(node.rootDir).sort(), ["applications", "fsmounts", "shared", "startup", "workitems"]);
    assert.equal(node.rootDir, path.join(h.dataDir, "nodes", "envpool", node.wire.id));
  });

  it("normal task of a job without preparation: exactly the documented variables, nothing inherited", async () => {
    const result = await h.agent.run(
      launch(node, pool, { kind: "task", jobId: "plainjob", taskId: "t1", job: { id: "plainjob" }, spec: { id: "t1", commandLine: "/usr/bin/env" } }),
      never,
    );
    const taskDir = path.join(node.rootDir, "workitems", "plainjob", "job-1", "t1");
    assert.equal(result.exitCode, 0);
    assert.equal(result.failureKind, undefined);
    assert.equal(result.taskDir, taskDir);
    assert.equal(result.workingDir, path.join(taskDir, "wd"));
    assert.ok(result.pid && result.pid > 1);
    const env = parseEnv(readText(path.join(taskDir, "stdout.txt")));
    assert.deepEqual(env, { ...common(node, taskDir, "_azbatch", "PoolNonAdmin"), AZ_BATCH_JOB_ID: "plainjob", AZ_BATCH_TASK_ID: "t1" });
    assert.deepEqual(fs.readdirSync(taskDir).sort(), ["certs", "stderr.txt", "stdout.txt", "wd"]);
    assert.equal(readText(path.join(taskDir, "stderr.txt")), "");
  });

  it("normal task of a job with preparation: JOB_PREP variables, job settings then task settings", async () => {
    const spec = {
      id: "t2",
      commandLine: "/usr/bin/env",
      environmentSettings: [
        { name: "OVERRIDDEN", value: "task" },
        { name: "TASK_ONLY", value: "x y" },
      ],
    };
    await h.agent.run(launch(node, pool, { kind: "task", jobId: "jobA", taskId: "t2", job: jobWithPrep, spec }), never);
    const jobDir = path.join(node.rootDir, "workitems", "jobA", "job-1");
    const taskDir = path.join(jobDir, "t2");
    const env = parseEnv(readText(path.join(taskDir, "stdout.txt")));
    assert.deepEqual(env, {
      ...common(node, taskDir, "_azbatch", "PoolNonAdmin"),
      AZ_BATCH_JOB_ID: "jobA",
      AZ_BATCH_TASK_ID: "t2",
      AZ_BATCH_JOB_PREP_DIR: path.join(jobDir, "jobpreparation"),
      AZ_BATCH_JOB_PREP_WORKING_DIR: path.join(jobDir, "jobpreparation", "wd"),
      SHARED_SETTING: "from-job",
      OVERRIDDEN: "task",
      TASK_ONLY: "x y",
    });
  });

  it("job manager task", async () => {
    await h.agent.run(
      launch(node, pool, { kind: "jobManager", jobId: "jobA", taskId: "jm", job: jobWithPrep, spec: { id: "jm", commandLine: "/usr/bin/env" } }),
      never,
    );
    const jobDir = path.join(node.rootDir, "workitems", "jobA", "job-1");
    const taskDir = path.join(jobDir, "jm");
    assert.deepEqual(parseEnv(readText(path.join(taskDir, "stdout.txt"))), {
      ...common(node, taskDir, "_azbatch", "PoolNonAdmin"),
      AZ_BATCH_JOB_ID: "jobA",
      AZ_BATCH_TASK_ID: "jm",
      AZ_BATCH_JOB_PREP_DIR: path.join(jobDir, "jobpreparation"),
      AZ_BATCH_JOB_PREP_WORKING_DIR: path.join(jobDir, "jobpreparation", "wd"),
      SHARED_SETTING: "from-job",
      OVERRIDDEN: "job",
    });
  });

  it("job preparation task: its own folder, no JOB_PREP variables", async () => {
    const result = await h.agent.run(
      launch(node, pool, { kind: "jobPreparation", jobId: "jobA", taskId: "jobpreparation", job: jobWithPrep, spec: { commandLine: "/usr/bin/env" } }),
      never,
    );
    const taskDir = path.join(node.rootDir, "workitems", "jobA", "job-1", "jobpreparation");
    assert.equal(result.taskDir, taskDir);
    assert.deepEqual(parseEnv(readText(path.join(taskDir, "stdout.txt"))), {
      ...common(node, taskDir, "_azbatch", "PoolNonAdmin"),
      AZ_BATCH_JOB_ID: "jobA",
      AZ_BATCH_TASK_ID: "jobpreparation",
      SHARED_SETTING: "from-job",
      OVERRIDDEN: "job",
    });
  });

  it("job release task: its own folder and the JOB_PREP variables", async () => {
    const spec = { commandLine: "/usr/bin/env", environmentSettings: [{ name: "R", value: "1" }] };
    await h.agent.run(launch(node, pool, { kind: "jobRelease", jobId: "jobA", taskId: "jobrelease", job: jobWithPrep, spec }), never);
    const jobDir = path.join(node.rootDir, "workitems", "jobA", "job-1");
    const taskDir = path.join(jobDir, "jobrelease");
    assert.deepEqual(parseEnv(readText(path.join(taskDir, "stdout.txt"))), {
      ...common(node, taskDir, "_azbatch", "PoolNonAdmin"),
      AZ_BATCH_JOB_ID: "jobA",
      AZ_BATCH_TASK_ID: "jobrelease",
      AZ_BATCH_JOB_PREP_DIR: path.join(jobDir, "jobpreparation"),
      AZ_BATCH_JOB_PREP_WORKING_DIR: path.join(jobDir, "jobpreparation", "wd"),
      SHARED_SETTING: "from-job",
      OVERRIDDEN: "job",
      R: "1",
    });
  });

  it("custom job preparation id names the folder and AZ_BATCH_JOB_PREP_DIR", async () => {
    const job = { id: "jobB", jobPreparationTask: { id: "myprep", commandLine: "/bin/true" } };
    await h.agent.run(launch(node, pool, { kind: "jobPreparation", jobId: "jobB", taskId: "myprep", job, spec: job.jobPreparationTask }), never);
    await h.agent.run(launch(node, pool, { kind: "task", jobId: "jobB", taskId: "t", job, spec: { id: "t", commandLine: "/usr/bin/env" } }), never);
    const jobDir = path.join(node.rootDir, "workitems", "jobB", "job-1");
    assert.ok(fs.existsSync(path.join(jobDir, "myprep", "wd")));
    assert.equal(parseEnv(readText(path.join(jobDir, "t", "stdout.txt"))).AZ_BATCH_JOB_PREP_DIR, path.join(jobDir, "myprep"));
  });

  it("user identities: task-scoped admin auto-user and a named user", async () => {
    const spec = { id: "u1", commandLine: "/usr/bin/env", userIdentity: { autoUser: { scope: "task", elevationLevel: "admin" } } };
    await h.agent.run(launch(node, pool, { kind: "task", jobId: "users", taskId: "u1", job: { id: "users" }, spec }), never);
    const env1 = parseEnv(readText(path.join(node.rootDir, "workitems", "users", "job-1", "u1", "stdout.txt")));
    assert.deepEqual([env1.USER, env1.AZ_BATCH_TASK_USER, env1.AZ_BATCH_TASK_USER_IDENTITY], ["_azbatchtask_u1", "_azbatchtask_u1", "TaskAdmin"]);
    await h.agent.run(
      launch(
        node,
        { ...pool, userAccounts: [{ name: "alice", password: "********" }] },
        {
          kind: "task",
          jobId: "users",
          taskId: "u2",
          job: { id: "users" },
          spec: { id: "u2", commandLine: "/usr/bin/env", userIdentity: { username: "alice" } },
        },
      ),
      never,
    );
    const env2 = parseEnv(readText(path.join(node.rootDir, "workitems", "users", "job-1", "u2", "stdout.txt")));
    assert.deepEqual([env2.USER, env2.AZ_BATCH_TASK_USER], ["alice", "alice"]);
  });

  it("start task: startup folder, task-scoped user, no job/task ids, its own settings", async () => {
    addPool(h, "startpool", { startTask: { commandLine: "/usr/bin/env", environmentSettings: [{ name: "ST", value: "yes" }] } });
    const started = await waitFor("start task completed", () => nodesOf(h, "startpool").find((n) => n.wire.state === "idle"));
    const taskDir = path.join(started.rootDir, "startup");
    assert.deepEqual(parseEnv(readText(path.join(taskDir, "stdout.txt"))), { ...common(started, taskDir, "_azbatchtask_start", "TaskNonAdmin"), ST: "yes" });
    assert.deepEqual(fs.readdirSync(taskDir).sort(), ["certs", "stderr.txt", "stdout.txt", "wd"]);
  });
});
