// Why: plain-node unit tests of AutoRefresher's timing (fake account, mocked timers): one reload at a time, the next wait after it, abort on hide/dispose.

import * as assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { type ActiveBranchReloader, AutoRefresher } from "../../../src/extension/tree/autoRefresh";
import { FakeBatch, fakeExplorer } from "../support/fakeBatch";

/** An account with one active job whose running task t1 is shown, as a view shows it. */
async function shownActiveJob() {
  const batch = new FakeBatch();
  batch.jobs.push({ id: "j1", state: "active", tasks: [{ id: "t1", state: "running" }] });
  const explorer = fakeExplorer(batch);
  const [, jobs] = await explorer.expand("Accounts", "Local");
  const [job] = await explorer.model.children(jobs);
  const [task] = await explorer.model.children(job);
  return { batch, ...explorer, task };
}

describe("AutoRefresher (fake account, mocked timers)", () => {
  beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
  afterEach(() => mock.timers.reset());

  it("never overlaps two reloads: a slow reload holds back the next wait until it has finished", async () => {
    const { model, batch, events, task } = await shownActiveJob();
    const refresher = new AutoRefresher(model, { intervalSeconds: () => 5 });
    batch.hold();
    const calls = batch.calls.length;
    refresher.setVisible(true);
    mock.timers.tick(5000);
    await batch.heldCall();
    assert.deepEqual(batch.calls.slice(calls), ["job.list"], "the wait ended: a reload reads the jobs and waits for the service");
    const joined = refresher.tick();
    refresher.reschedule(); // the interval setting changed
    refresher.setVisible(true);
    mock.timers.tick(60_000);
    assert.deepEqual(batch.calls.slice(calls), ["job.list"], "neither a tick, a setting or visibility change, nor the passing time starts a second reload");
    assert.equal(refresher.running, true);

    batch.task("j1", "t1").state = "completed";
    batch.release();
    await joined;
    assert.equal(refresher.ticks, 1);
    assert.equal(events.length, 1);
    assert.equal(events[0], task, "the reload redrew the task that changed");
    const done = batch.calls.length;
    mock.timers.tick(4999);
    assert.equal(batch.calls.length, done, "the next wait started when the reload finished");
    mock.timers.tick(1);
    await refresher.tick(); // joins the reload the wait started
    assert.equal(refresher.ticks, 2);
    assert.deepEqual(batch.calls.slice(done), ["job.list", "task.list j1"]);
    assert.equal(events.length, 1, "nothing changed since: nothing redrawn");
    refresher.dispose();
    assert.equal(refresher.running, false);
  });

  it("dispose aborts the reload in flight: its list call gets the abort, nothing is changed or redrawn, no wait follows", async () => {
    const { model, batch, events, task } = await shownActiveJob();
    let recounts = 0;
    const refresher = new AutoRefresher(model, { intervalSeconds: () => 5, onRefreshed: () => recounts++ });
    refresher.setVisible(true);
    batch.task("j1", "t1").state = "completed";
    batch.hold();
    const reload = refresher.tick();
    await batch.heldCall();
    const signal = batch.signals.at(-1)!;
    assert.equal(signal.aborted, false);
    refresher.dispose();
    assert.equal(signal.aborted, true, "the signal reached the service call and is aborted");
    await reload;
    assert.deepEqual(events, []);
    assert.equal(task.description, "running", "the aborted reload changed nothing");
    assert.equal(refresher.ticks, 0);
    assert.equal(recounts, 0);
    assert.equal(refresher.running, false, "disposed: no next wait");
    batch.release();
    await refresher.tick();
    assert.equal(batch.calls.at(-1), "job.list", "a tick after dispose reloads nothing");
    // what the aborted reload did not show, the next reload does
    await model.refreshActive();
    assert.equal(events.length, 1);
    assert.equal(events[0], task);
  });

  it("hiding the view aborts the reload in flight and pauses; showing it again waits a full interval", async () => {
    const { model, batch, events } = await shownActiveJob();
    const refresher = new AutoRefresher(model, { intervalSeconds: () => 5 });
    refresher.setVisible(true);
    batch.hold();
    mock.timers.tick(5000);
    await batch.heldCall();
    const signal = batch.signals.at(-1)!;
    refresher.setVisible(false);
    assert.equal(signal.aborted, true);
    await refresher.tick(); // joins the aborted reload
    assert.equal(refresher.running, false, "hidden: no wait");
    batch.release();
    const calls = batch.calls.length;
    mock.timers.tick(60_000);
    assert.equal(batch.calls.length, calls, "hidden: no reload");
    refresher.setVisible(true);
    mock.timers.tick(4999);
    assert.equal(batch.calls.length, calls);
    mock.timers.tick(1);
    await refresher.tick();
    assert.equal(refresher.ticks, 1);
    assert.deepEqual(events, []);
    refresher.dispose();
  });

  it("a reload may send many requests on its signal (the SDK listens until a body is read) without a listener-leak warning", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void (warning.name === "MaxListenersExceededWarning" && warnings.push(warning));
    process.on("warning", onWarning);
    try {
      const manyRequests: ActiveBranchReloader = {
        refreshActive: async (signal) => {
          for (let i = 0; i < 20; i++) signal?.addEventListener("abort", () => {});
          return [];
        },
      };
      await new AutoRefresher(manyRequests, { intervalSeconds: () => 5 }).tick();
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    assert.deepEqual(
      warnings.map((warning) => warning.message),
      [],
    );
  });
});
