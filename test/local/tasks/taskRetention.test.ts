// Why: constraints.retentionTime and job delete clean task directories as the service does; files then answer TaskFilesCleanedup.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BatchServiceClient } from "@azure/batch";
import { startLocalService, waitFor, type LocalServiceHandle } from "../../support/localService";
import { poolWithIdleNodes, sh, waitForTask } from "../jobs/helpers";

describe("task retention", () => {
  let service: LocalServiceHandle;
  let client: BatchServiceClient;

  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
    await poolWithIdleNodes(client, "keep", 1, 2);
    await client.job.add({ id: "retained", poolInfo: { poolId: "keep" } });
  });
  after(() => service.stop());

  it("removes a completed task's directory once its retentionTime ran out, and keeps one whose retention did not", async () => {
    await client.task.add("retained", { id: "short", commandLine: sh("echo short"), constraints: { retentionTime: "PT1S" } });
    await client.task.add("retained", { id: "long", commandLine: sh("echo long") });
    await waitForTask(client, "retained", "short", (task) => task.state === "completed", "completed");
    await waitForTask(client, "retained", "long", (task) => task.state === "completed", "completed");
    const gone = await waitFor(
      async () => {
        try {
          await client.file.getPropertiesFromTask("retained", "short", "stdout.txt");
          return undefined;
        } catch (error) {
          return error as { statusCode: number };
        }
      },
      "the short-retention task's files to be cleaned up",
      30_000,
      500,
    );
    assert.equal(gone.statusCode, 409);
    await assert.rejects(client.file.listFromTask("retained", "short"), { statusCode: 409, code: "TaskFilesCleanedup" });
    const stdout = await client.file.getFromTask("retained", "long", "stdout.txt");
    let text = "";
    for await (const chunk of stdout.readableStreamBody!) text += chunk.toString();
    assert.equal(text.trim(), "long");
  });

  it("removes a deleted job's workitems directory from its nodes", async () => {
    await client.job.add({ id: "doomed", poolInfo: { poolId: "keep" } });
    await client.task.add("doomed", { id: "t", commandLine: sh("echo bye") });
    const task = await waitForTask(client, "doomed", "t", (t) => t.state === "completed", "completed");
    const node = (await client.computeNode.list("keep"))[0];
    const jobDir = path.join(service.dataDir, "nodes", "keep", node.id!, "workitems", "doomed");
    assert.ok(task.nodeInfo?.taskRootDirectory?.startsWith("workitems/doomed/"));
    assert.equal(fs.existsSync(jobDir), true);
    await client.job.deleteMethod("doomed");
    await waitFor(async () => (fs.existsSync(jobDir) ? undefined : true), "the job's directory to be removed", 20_000);
  });
});
