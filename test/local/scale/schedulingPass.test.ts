// Why: issue 11 part 5 at the scheduler: a pass over a big job costs what it places, also with a gather task over a huge id range.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AttemptRegistry } from "../../../src/local/dispatcher/attempts";
import { maySatisfy } from "../../../src/local/dispatcher/dependencies";
import { planPlacements } from "../../../src/local/dispatcher/scheduler";
import { BatchState } from "../../../src/local/store/batchState";
import { tempDir } from "../../support/localService";

/** A job of `count` numbered tasks on a pool of one idle 4-slot node, with a gather task (first in line) depending on all of them. */
function bigJobWithGather(count: number): BatchState {
  const state = BatchState.open(tempDir("scheduling-pass"));
  state.batch(() => {
    state.savePool({ wire: { id: "pool", state: "active", taskSlotsPerNode: 4 } });
    state.saveNode({ poolId: "pool", rootDir: "/nowhere", wire: { id: "node", state: "idle", schedulingState: "enabled" } });
    state.saveJob({
      wire: { id: "job", state: "active", poolInfo: { poolId: "pool" }, usesTaskDependencies: true },
      local: { preparation: {}, release: {}, taskSequence: 0 },
    });
    state.saveTask({
      jobId: "job",
      wire: { id: "gather", state: "active", dependsOn: { taskIdRanges: [{ start: 0, end: count - 1 }] } },
      local: { sequence: 0 },
    });
    for (let i = 0; i < count; i++) state.saveTask({ jobId: "job", wire: { id: String(i), state: "active" }, local: { sequence: i + 1 } });
  });
  return state;
}

describe("scheduling pass cost", () => {
  it("places the next tasks of a 50,000-task job in well under a millisecond per pass, skipping the waiting gather", () => {
    const state = bigJobWithGather(50_000);
    const registry = new AttemptRegistry();
    assert.deepEqual(
      planPlacements(state, registry).map((placement) => placement.task.wire.id),
      ["0", "1", "2", "3"],
    );
    const started = process.hrtime.bigint();
    for (let pass = 0; pass < 200; pass++) assert.equal(planPlacements(state, registry).length, 4);
    const perPassMs = Number(process.hrtime.bigint() - started) / 1e6 / 200;
    assert.ok(perPassMs < 1, `a pass took ${perPassMs.toFixed(3)} ms`);
    state.close();
  });

  it("maySatisfy: a dependency on more distinct tasks than the job has completed cannot be satisfied yet", () => {
    assert.equal(maySatisfy(undefined, 0), true);
    assert.equal(maySatisfy({ taskIds: ["a", "A", "a"] }, 1), true, "ids are case-insensitive and counted once");
    assert.equal(maySatisfy({ taskIds: ["a", "b"] }, 1), false);
    assert.equal(maySatisfy({ taskIdRanges: [{ start: 1, end: 10 }] }, 9), false);
    assert.equal(
      maySatisfy(
        {
          taskIdRanges: [
            { start: 1, end: 10 },
            { start: 5, end: 6 },
          ],
        },
        10,
      ),
      true,
    );
  });
});
