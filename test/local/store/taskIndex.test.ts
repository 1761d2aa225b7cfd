// Why: issue 11 part 5: the per-job task index (counts by state, ready queue) stays exact through every kind of change.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BatchState } from "../../../src/local/store/batchState";
import type { TaskRecord } from "../../../src/local/store/model";
import { tempDir } from "../../support/localService";

const task = (id: string, sequence: number, state = "active", extra: Partial<TaskRecord["local"]> = {}): TaskRecord => ({
  jobId: "job",
  wire: { id, state },
  local: { sequence, ...extra },
});

const readyIds = (state: BatchState, limit = Infinity): string[] => {
  const ids: string[] = [];
  state.taskIndex("job").ready.visit((record) => {
    ids.push(record.wire.id);
    return ids.length >= limit ? "stop" : "next";
  });
  return ids;
};

describe("task index", () => {
  it("orders the ready queue job manager first, then by insertion; follows state changes, deletes and restarts", () => {
    const dir = tempDir("task-index");
    const state = BatchState.open(dir);
    for (let i = 0; i < 6; i++) state.saveTask(task(`t${i}`, i + 1));
    state.saveTask(task("manager", 7, "active", { jobManager: true }));
    assert.deepEqual(readyIds(state), ["manager", "t0", "t1", "t2", "t3", "t4", "t5"]);
    assert.deepEqual(readyIds(state, 2), ["manager", "t0"], "a stopped visit keeps everything queued");
    assert.deepEqual(readyIds(state), ["manager", "t0", "t1", "t2", "t3", "t4", "t5"]);

    const t1 = state.getTask("job", "t1")!;
    t1.wire.state = "running";
    state.saveTask(t1);
    state.tasks.delete("t3", "job");
    const manager = state.getTask("job", "manager")!;
    manager.wire.state = "completed";
    manager.wire.executionInfo = { result: "failure" };
    state.saveTask(manager);
    assert.deepEqual(readyIds(state), ["t0", "t2", "t4", "t5"]);
    // requeued: back in its place by insertion order
    t1.wire.state = "active";
    state.saveTask(t1);
    assert.deepEqual(readyIds(state), ["t0", "t1", "t2", "t4", "t5"]);
    assert.deepEqual(state.taskIndex("job").counts, { active: 5, running: 0, completed: 1, succeeded: 0, failed: 1 });

    state.close();
    const reopened = BatchState.open(dir);
    assert.deepEqual(readyIds(reopened), ["t0", "t1", "t2", "t4", "t5"], "rebuilt from the journal on open");
    assert.deepEqual(reopened.taskIndex("job").counts, { active: 5, running: 0, completed: 1, succeeded: 0, failed: 1 });
    reopened.tasks.deletePartition("job");
    assert.deepEqual(readyIds(reopened), []);
    assert.equal(reopened.taskIndex("job").size, 0);
    reopened.close();
  });

  it("visits only what a pass looks at: the cost does not grow with the number of completed tasks", () => {
    const state = BatchState.open(tempDir("task-index-scale"));
    for (let i = 0; i < 50_000; i++) state.saveTask(task(`done${i}`, i, "completed"));
    for (let i = 0; i < 10; i++) state.saveTask(task(`ready${i}`, 50_000 + i));
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < 1000; pass++) assert.equal(readyIds(state, 4).length, 4);
    const perPassMs = Number(process.hrtime.bigint() - started) / 1e6 / 1000;
    assert.ok(perPassMs < 0.5, `a pass over a job with 50,000 completed tasks took ${perPassMs.toFixed(3)} ms`);
    assert.equal(state.taskIndex("job").counts.completed, 50_000);
    state.close();
  });
});
