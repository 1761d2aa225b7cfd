// Why: the service's durability promise: SIGKILL in the middle of a job, start again on the same data, nothing lost, running tasks requeued.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startLocalService, waitFor } from "../support/localService";
import { LOCAL_POOL_VM_CONFIGURATION } from "../../src/local/common/defaults";

const vm = LOCAL_POOL_VM_CONFIGURATION;

describe("durability", () => {
  it("loses no pool, job or task across a SIGKILL, and requeues the tasks that were running", async () => {
    const first = await startLocalService({ nodes: 2 });
    let client = first.client();
    await client.pool.add({ id: "durable", vmSize: "standard_d2s_v3", virtualMachineConfiguration: vm, targetDedicatedNodes: 2 });
    await client.job.add({ id: "long-job", poolInfo: { poolId: "durable" } });
    const tasks = Array.from({ length: 8 }, (_, i) => ({ id: `t${i}`, commandLine: `/bin/sh -c "sleep 3; echo finished t${i}"` }));
    await client.task.addCollection("long-job", tasks);
    // wait until something completed and something started running recently (so it cannot finish before the kill), then crash
    const runningIds = await waitFor(
      async () => {
        const listed = await client.task.list("long-job");
        const running = listed
          .filter((task) => task.state === "running" && Date.now() - task.executionInfo!.startTime!.getTime() < 1500)
          .map((task) => task.id!);
        return listed.some((task) => task.state === "completed") && running.length > 0 ? running : undefined;
      },
      "a completed and a freshly running task",
      60_000,
      50,
    );
    await first.kill();

    const second = await startLocalService({ dataDir: first.dataDir, nodes: 2 });
    try {
      client = second.client();
      assert.equal((await client.pool.get("durable")).id, "durable");
      assert.equal((await client.job.get("long-job")).id, "long-job");
      const all = await waitFor(
        async () => {
          const listed = await client.task.list("long-job");
          return listed.length === 8 && listed.every((task) => task.state === "completed") ? listed : undefined;
        },
        "all tasks completed after the restart",
        90_000,
        200,
      );
      for (const task of all) {
        assert.equal(task.executionInfo?.exitCode, 0, `${task.id} exit code`);
        if (runningIds.includes(task.id!)) assert.equal(task.executionInfo?.requeueCount, 1, `${task.id} was running at the crash and must be requeued once`);
        const stdout = await (await client.file.getFromTask("long-job", task.id!, "stdout.txt")).readableStreamBody!;
        let text = "";
        for await (const chunk of stdout) text += chunk.toString();
        assert.equal(text.trim(), `finished ${task.id}`);
      }
    } finally {
      await second.stop();
    }
  });
});
