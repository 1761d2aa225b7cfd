// Why: issue 11 part 5: task directories go when their retention runs out, and a sweep looks only at what came due, not at every completed task.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { RetentionSchedule, retentionDeadline } from "../../../src/local/dispatcher/taskRetention";
import { BatchState } from "../../../src/local/store/batchState";
import type { TaskRecord } from "../../../src/local/store/model";
import { tempDir } from "../../support/localService";

const quiet = { debug() {}, info() {}, warn() {}, error() {} } as never;
const END = Date.parse("2026-01-01T00:00:00.000Z");

/** A state with one node and one job, and a completed task whose directory exists on that node. */
function setup() {
  const dir = tempDir("retention");
  const state = BatchState.open(path.join(dir, "state"));
  const rootDir = path.join(dir, "node");
  state.saveNode({ poolId: "pool", wire: { id: "node" }, rootDir });
  state.saveJob({ wire: { id: "job" }, local: { preparation: {}, release: {}, taskSequence: 0 } });
  let sequence = 0;
  const complete = (id: string, retentionTime: string, endMs = END): TaskRecord => {
    const taskRootDirectory = `workitems/job/job-1/${id}`;
    fs.mkdirSync(path.join(rootDir, taskRootDirectory, "wd"), { recursive: true });
    const task: TaskRecord = {
      jobId: "job",
      wire: {
        id,
        state: "completed",
        constraints: { retentionTime },
        executionInfo: { endTime: new Date(endMs).toISOString() },
        nodeInfo: { poolId: "pool", nodeId: "node", taskRootDirectory },
      },
      local: { sequence: ++sequence },
    };
    state.saveTask(task);
    return task;
  };
  const exists = (id: string) => fs.existsSync(path.join(rootDir, "workitems/job/job-1", id));
  return { state, complete, exists };
}

describe("retention schedule", () => {
  it("removes each directory once its retention ran out, and keeps those whose retention did not", () => {
    const { state, complete, exists } = setup();
    complete("loaded", "PT1M"); // completed before the schedule was made: found by its first scan
    const schedule = new RetentionSchedule(state, quiet);
    complete("short", "PT10S");
    complete("long", "PT1H");
    assert.equal(schedule.sweep(END + 5_000), END + 10_000, "the next deadline is the short task's");
    assert.ok(exists("short") && exists("loaded") && exists("long"));
    assert.equal(schedule.sweep(END + 60_000), END + 3_600_000);
    assert.ok(!exists("short") && !exists("loaded") && exists("long"));
    assert.equal(state.getTask("job", "short")!.local.filesRemovedAfter, new Date(END).toISOString());
    assert.equal(schedule.sweep(END + 3_600_000), undefined);
    assert.ok(!exists("long"));
  });

  it("a sweep reads only the tasks that came due, however many completed tasks wait", () => {
    const { state, complete } = setup();
    let reads = 0;
    const schedule = new RetentionSchedule(state, quiet, (task) => {
      reads++;
      return retentionDeadline(task);
    });
    for (let i = 0; i < 2_000; i++) complete(`wait${i}`, "P7D");
    complete("due", "PT1S");
    reads = 0;
    for (let sweep = 0; sweep < 10; sweep++) schedule.sweep(END + 2_000);
    assert.ok(reads <= 2, `${reads} deadline reads for 10 sweeps with one task due among 2,001`);
  });

  it("follows a task that was reactivated and ran again, a changed retention, and a deleted task", () => {
    const { state, complete, exists } = setup();
    const schedule = new RetentionSchedule(state, quiet);
    const again = complete("again", "PT10S");
    again.wire.state = "active";
    state.saveTask(again);
    complete("again", "PT10S", END + 100_000);
    const changed = complete("changed", "PT10S");
    (changed.wire.constraints as { retentionTime: string }).retentionTime = "PT1H";
    state.saveTask(changed);
    complete("deleted", "PT10S");
    state.tasks.delete("deleted", "job");
    schedule.sweep(END + 60_000);
    assert.ok(exists("again"), "the second run's directory has its own retention");
    assert.ok(exists("changed"), "the longer retention holds");
    schedule.sweep(END + 110_000);
    assert.ok(!exists("again"));
    assert.ok(exists("changed"));
  });
});
