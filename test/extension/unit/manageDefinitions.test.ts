// Why: the create/manage logic in plain node against a REAL local service: schema problems named by JSON path, forms and clones that the service accepts, item targets.

import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { runWorkflow } from "../../../src/core/wizard/wizard";
import { scriptedPromptUi } from "../../../src/core/wizard/wizard";
import { jobAddParameter, jobFormSteps, type JobForm, poolAddParameter, poolFormSteps, type PoolForm } from "../../../src/extension/manage/createForms";
import { cloneDefinition, freshId, toClientNames } from "../../../src/extension/manage/definitionClone";
import { definitionFileName, kindOfFileName } from "../../../src/extension/manage/definitionKinds";
import { describeProblems, validateDefinition } from "../../../src/extension/manage/definitionValidation";
import { checkId, checkInterval, checkWhole } from "../../../src/extension/manage/formInputs";
import { isManageClient } from "../../../src/extension/manage/manageClient";
import { jobIdOf, nodeRefOf, poolRefOf, taskRefOf } from "../../../src/extension/manage/manageTargets";
import type { TreeNode } from "../../../src/extension/tree/treeNode";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../../src/local/common/defaults";
import { type LocalServiceHandle, startLocalService } from "../../support/localService";

const item = (id: string, contextValue: string): TreeNode => ({ id, label: id, contextValue, collapsible: "none" });
const never = new AbortController().signal;

describe("create and manage: definitions against a real local Batch service", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
  });
  after(() => service.stop());

  it("validation names every problem by its JSON path (missing, unknown, mistyped, wrong enum) and drops $schema", () => {
    const text = JSON.stringify({
      $schema: "./x.json",
      vmSize: 2,
      targetDedicatedNodes: "two",
      startTask: { commandLine: "x", resourceFiles: [{ httpUrl: 1 }], userIdentity: { autoUser: { scope: "everywhere" } } },
      colour: "red",
    });
    const { value, problems } = validateDefinition("pool", text);
    assert.equal(value, undefined);
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    assert.equal(byPath.get("id"), "is required");
    assert.match(byPath.get("vmSize") ?? "", /string/);
    assert.match(byPath.get("targetDedicatedNodes") ?? "", /integer/);
    assert.match(byPath.get("startTask.resourceFiles[0].httpUrl") ?? "", /string/);
    assert.match(byPath.get("startTask.userIdentity.autoUser.scope") ?? "", /one of task, pool/);
    assert.match(byPath.get("colour") ?? "", /not a property/);
    assert.match(describeProblems("PoolAddParameter", problems), /^The PoolAddParameter has 6 problems; .*id is required/);

    const ok = validateDefinition("job", JSON.stringify({ $schema: "s", id: "j", poolInfo: { poolId: "p" } }));
    assert.deepEqual(ok, { value: { id: "j", poolInfo: { poolId: "p" } }, problems: [] });
    assert.match(validateDefinition("task", "{ nope").problems[0].message, /^is not valid JSON/);
  });

  it("file names say the kind", () => {
    assert.equal(kindOfFileName("/w/render.POOL.json"), "pool");
    assert.equal(kindOfFileName("a.task.json"), "task");
    assert.equal(kindOfFileName("p.starttask.json"), "startTask");
    assert.equal(kindOfFileName("package.json"), undefined);
    assert.equal(definitionFileName("job", "a b"), "a_b.job.json");
  });

  it("form inputs: errors name the field and the fix", () => {
    assert.match(checkId("Pool id", "a b") ?? "", /^Pool id: use only letters/);
    assert.match(checkId("Pool id", "x".repeat(65)) ?? "", /at most 64/);
    assert.equal(checkId("Pool id", "ok_1-2"), undefined);
    assert.match(checkWhole("Dedicated nodes", "-1", 0, 10) ?? "", /^Dedicated nodes: type a whole number from 0 to 10/);
    assert.match(checkInterval("Evaluation interval", "5m") ?? "", /PT5M/);
    assert.equal(checkInterval("Evaluation interval", "PT15M"), undefined);
  });

  it("the pool and job forms ask in order and build parameters the schema and the service accept", async () => {
    const ui = scriptedPromptUi({ inputs: ["form-pool", "0", "2"], picks: ["standard_d2s_v3", "Ubuntu 22.04"] });
    const pool = await runWorkflow<PoolForm>({ prompts: poolFormSteps, executes: [] }, {}, ui, { report: () => undefined }, never);
    const poolParameter = poolAddParameter(pool as Required<PoolForm>);
    assert.deepEqual(validateDefinition("pool", JSON.stringify(poolParameter)).problems, []);
    await client.pool.add(poolParameter);
    const created = await client.pool.get("form-pool");
    assert.equal(created.taskSlotsPerNode, 2);
    assert.equal(created.virtualMachineConfiguration?.nodeAgentSKUId, "batch.node.ubuntu 22.04");

    const job = await runWorkflow<JobForm>(
      { prompts: jobFormSteps, executes: [] },
      { pools: ["form-pool"] },
      scriptedPromptUi({ inputs: ["form-job"], picks: ["form-pool"] }),
      { report: () => undefined },
      never,
    );
    await client.job.add(jobAddParameter(job));
    assert.equal((await client.job.get("form-job")).poolInfo?.poolId, "form-pool");
  });

  it("clones: a pool, job and task read back become add parameters the schema and the service accept, with a fresh id", async () => {
    await client.pool.add({
      id: "orig",
      vmSize: "standard_d2s_v3",
      virtualMachineConfiguration: LOCAL_POOL_VM_CONFIGURATION,
      targetDedicatedNodes: 0,
      startTask: { commandLine: "/bin/true", waitForSuccess: true },
      metadata: [{ name: "team", value: "render" }],
    });
    const pool = cloneDefinition("pool", await client.pool.get("orig"), freshId("orig"));
    assert.equal(pool.id, "orig-copy");
    for (const key of ["state", "url", "eTag", "creationTime", "currentDedicatedNodes", "allocationState", "autoScaleFormula"])
      assert.equal(key in pool, false, key);
    assert.deepEqual(pool.startTask, { commandLine: "/bin/true", waitForSuccess: true });
    assert.deepEqual(pool.metadata, [{ name: "team", value: "render" }]);
    assert.deepEqual(validateDefinition("pool", JSON.stringify(pool)).problems, []);
    await client.pool.add(toClientNames(pool) as never);
    assert.equal((await client.pool.get("orig-copy")).startTask?.commandLine, "/bin/true");

    await client.job.add({ id: "orig-job", poolInfo: { poolId: "orig" }, priority: 5 });
    await client.task.add("orig-job", { id: "t1", commandLine: "/bin/echo hi", environmentSettings: [{ name: "A", value: "1" }] });
    const job = cloneDefinition("job", await client.job.get("orig-job"), freshId("orig-job"));
    assert.deepEqual(validateDefinition("job", JSON.stringify(job)).problems, []);
    await client.job.add(toClientNames(job) as never);
    assert.equal((await client.job.get("orig-job-copy")).priority, 5);
    const task = cloneDefinition("task", await client.task.get("orig-job", "t1"), freshId("t1"));
    assert.deepEqual(validateDefinition("task", JSON.stringify(task)).problems, []);
    assert.deepEqual(task.environmentSettings, [{ name: "A", value: "1" }]);
    await client.task.add("orig-job", toClientNames(task) as never);
    assert.equal((await client.task.get("orig-job", "t1-copy")).commandLine, "/bin/echo hi");
  });

  it("a container registry's username reaches the SDK under its client name", () => {
    assert.deepEqual(toClientNames({ containerRegistries: [{ username: "u", registryServer: "r" }] }), {
      containerRegistries: [{ userName: "u", registryServer: "r" }],
    });
    assert.equal(freshId("x".repeat(64)).length, 64);
  });

  it("targets come from explorer item ids; the real client is a ManageClient", () => {
    assert.deepEqual(poolRefOf(item("accounts/local/pools/pool:p1", "pool")), { poolId: "p1" });
    assert.equal(poolRefOf(item("accounts/local/pools/pool:p1", "computeNode")), undefined);
    assert.deepEqual(nodeRefOf(item("accounts/local/pools/pool:p1/node:tvm_1", "computeNode")), { poolId: "p1", nodeId: "tvm_1" });
    assert.equal(jobIdOf(item("accounts/local/jobs/job:j/task:t", "task active local")), "j");
    assert.deepEqual(taskRefOf(item("accounts/local/jobs/job:j/task:t", "task active local")), { jobId: "j", taskId: "t" });
    assert.ok(isManageClient(client));
    assert.equal(isManageClient({ pool: {} }), false);
  });
});
