// Why: issue 11 part 5 through the real service: a job of 100,000 tasks stays fast to add to, count, filter and page through.
import assert from "node:assert/strict";
import type { BatchServiceClient } from "@azure/batch";
import { after, before, describe, it } from "node:test";
import { startLocalService, type LocalServiceHandle } from "../../support/localService";

const TASKS = 100_000;
let service: LocalServiceHandle;
let client: BatchServiceClient;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

describe("a job with 100,000 tasks", () => {
  before(async () => {
    service = await startLocalService({ nodes: 1 });
    client = service.client();
    // no pool: every task stays active, so the numbers below are exact
    await client.job.add({ id: "big", poolInfo: { poolId: "no-such-pool" } });
  });
  after(() => service.stop());

  it("adds 100,000 tasks with addCollection (chunks of 100, 8 in flight) in well under a minute", async () => {
    let next = 0;
    const { ms } = await timed(() =>
      Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < TASKS) {
            const start = next;
            next += 100;
            const reply = await client.task.addCollection(
              "big",
              Array.from({ length: 100 }, (_, i) => ({ id: `t${start + i}`, commandLine: "/bin/true" })),
            );
            assert.ok(reply.value!.every((result) => result.status === "success"));
          }
        }),
      ),
    );
    assert.ok(ms < 60_000, `adding took ${ms.toFixed(0)} ms`);
  });

  it("answers task counts without looking at the tasks", async () => {
    await client.job.getTaskCounts("big"); // warm
    const { value, ms } = await timed(() => client.job.getTaskCounts("big"));
    assert.equal(value.taskCounts.active, TASKS);
    assert.ok(ms < 200, `GetTaskCounts took ${ms.toFixed(1)} ms`);
  });

  it("pages through a $filter over all 100,000 tasks in one pass (each page resumes where the last stopped)", async () => {
    const filter = "state eq 'active' and startswith(id, 't9')";
    const { value: pages, ms } = await timed(async () => {
      let page = await client.task.list("big", { taskListOptions: { filter, maxResults: 1000, select: "id" } });
      const ids = page.map((task) => task.id!);
      let requests = 1;
      while (page.odatanextLink) {
        page = await client.task.listNext(page.odatanextLink);
        ids.push(...page.map((task) => task.id!));
        requests++;
      }
      return { ids, requests };
    });
    // t9, t90–t99, t900–t999, t9000–t9999, t90000–t99999
    assert.equal(pages.ids.length, 1 + 10 + 100 + 1000 + 10_000);
    assert.equal(new Set(pages.ids).size, pages.ids.length, "no task twice across pages");
    assert.equal(pages.requests, 12);
    assert.ok(ms < 15_000, `paging the filtered list took ${ms.toFixed(0)} ms`);
  });

  it("serves the first page of the list (what the explorer shows) fast", async () => {
    const { value, ms } = await timed(() => client.task.list("big", { taskListOptions: { maxResults: 100 } }));
    assert.equal(value.length, 100);
    assert.ok(ms < 500, `the first page took ${ms.toFixed(1)} ms`);
  });
});
