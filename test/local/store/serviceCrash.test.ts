// Why: issue 11 part 1 through the real service: the reported loss (a torn write after a compaction) and refusals at start.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { encodeRecord } from "../../../src/local/store/recordCodec";
import { CLI, startLocalService, tempDir } from "../../support/localService";

const taskIds = async (service: Awaited<ReturnType<typeof startLocalService>>) => (await service.client().task.list("job")).map((task) => task.id).sort();

describe("durability of the real service (SIGKILL)", () => {
  it("keeps writes acknowledged after a restart whose first journal write was torn by a crash", async () => {
    const first = await startLocalService({ nodes: 1 });
    const dataDir = first.dataDir;
    await first.client().job.add({ id: "job", poolInfo: { poolId: "no-such-pool" } });
    await first.client().task.addCollection(
      "job",
      ["t0", "t1", "t2"].map((id) => ({ id, commandLine: "/bin/true" })),
    );
    await first.kill();

    // the start folds the journal into a snapshot; the first write after it is torn half-way and the process killed
    const torn = await startLocalService({ dataDir, nodes: 1, env: { BATCH_MANAGER_TEST_CRASH_AT: "append:torn@1" } });
    // no retries: the SDK's default ones would wait 30 s on a service that is gone
    await assert.rejects(torn.client({ noRetryPolicy: true }).task.add("job", { id: "torn", commandLine: "/bin/true" }));
    await torn.kill();
    assert.equal(torn.process.signalCode, "SIGKILL");

    const third = await startLocalService({ dataDir, nodes: 1 });
    assert.deepEqual(await taskIds(third), ["t0", "t1", "t2"]);
    await third.client().task.add("job", { id: "t3", commandLine: "/bin/true" });
    await third.client().task.add("job", { id: "t4", commandLine: "/bin/true" });
    await third.kill();

    const fourth = await startLocalService({ dataDir, nodes: 1 });
    try {
      assert.deepEqual(await taskIds(fourth), ["t0", "t1", "t2", "t3", "t4"]);
    } finally {
      await fourth.stop();
    }
  });

  it("refuses to start on a journal from a newer version, saying what is wrong and how to recover, and changes nothing", () => {
    const dataDir = tempDir("newer-state");
    const journal = path.join(dataDir, "state", "journal.jsonl");
    fs.mkdirSync(path.dirname(journal), { recursive: true });
    fs.writeFileSync(journal, encodeRecord({ format: "batch-manager-local-state", kind: "journal", version: 9 }));
    const before = fs.readFileSync(journal);
    const run = spawnSync(process.execPath, [CLI, "local", "start", "--port", "0", "--data", dataDir], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /journal\.jsonl was written by a newer batch-manager \(state format version 9; this one reads up to 2\)\. Nothing was changed\. Run the newer batch-manager on this data folder/,
    );
    assert.deepEqual(fs.readFileSync(journal), before);
    assert.equal(fs.existsSync(path.join(dataDir, "service.lock")), false, "the refused start released its lock");
  });
});
