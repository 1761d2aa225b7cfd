// Why: issue 11 part 1: a write torn at any byte of the journal, a full disk at any byte, never lose an acknowledged change.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { StoreWriteError } from "../../../src/local/store/journalStore";
import { diskWithFreeBytes } from "../../../src/local/store/storeIo";
import { tempDir } from "../../support/localService";
import { clone, contentsOf, copyDir, openStore, taskValue, type Contents } from "./storeHelpers";

/** Writes records one by one and notes, after each acknowledged write, the journal length and what a reader must see. */
function journalWithAcks(count: number): { dir: string; acks: { length: number; contents: Contents }[] } {
  const dir = tempDir("store-acks");
  const store = openStore(dir);
  const tasks = store.collection<unknown>("tasks");
  const journal = path.join(dir, "journal.jsonl");
  const acks = [{ length: fs.statSync(journal).size, contents: contentsOf(store) }];
  for (let i = 0; i < count; i++) {
    if (i % 5 === 4) tasks.delete(`t${i - 2}`, "job-a");
    else tasks.set(`t${i}`, taskValue(i), i % 2 ? "job-a" : "job-b");
    acks.push({ length: fs.statSync(journal).size, contents: contentsOf(store) });
  }
  store.close();
  return { dir, acks };
}

describe("journal store: torn writes", () => {
  it("recovers exactly the acknowledged prefix when the journal is cut at every byte, and appends after it safely", () => {
    const { dir, acks } = journalWithAcks(12);
    const full = acks[acks.length - 1].length;
    for (let cut = 0; cut <= full; cut++) {
      const copy = copyDir(dir, "store-cut");
      fs.truncateSync(path.join(copy, "journal.jsonl"), cut);
      const expected = [...acks].reverse().find((ack) => ack.length <= cut)?.contents ?? acks[0].contents;
      const store = openStore(copy);
      assert.deepEqual(contentsOf(store), expected, `cut at byte ${cut}`);
      // the case: writes acknowledged after a torn restart must survive the next restart
      store.collection("tasks").set("after-cut", { n: cut }, "job-a");
      store.close();
      const reopened = openStore(copy);
      const withNew = clone(expected);
      withNew.tasks["job-a"] = { ...withNew.tasks["job-a"], "after-cut": { n: cut } };
      assert.deepEqual(contentsOf(reopened), withNew, `cut at byte ${cut}, then one more write`);
      reopened.close();
      fs.rmSync(copy, { recursive: true });
    }
  });

  it("keeps every acknowledged change when the disk fills up at any byte of a journal write or a compaction", () => {
    const { dir } = journalWithAcks(3);
    const base = contentsOf(openStore(copyDir(dir, "store-base")));
    for (let capacity = 0; capacity < 1500; capacity++) {
      const copy = copyDir(dir, "store-full");
      const io = diskWithFreeBytes(capacity);
      const store = openStore(copy, { io, compactAfterEntries: 4 });
      const tasks = store.collection<unknown>("tasks");
      const acknowledged = clone(base);
      let failure: unknown;
      for (let i = 100; i < 120 && failure === undefined; i++) {
        try {
          tasks.set(`t${i}`, taskValue(i), "job-b");
          acknowledged.tasks["job-b"] = { ...acknowledged.tasks["job-b"], [`t${i}`]: taskValue(i) };
        } catch (error) {
          failure = error;
        }
      }
      assert.ok(failure instanceof StoreWriteError, `capacity ${capacity}: a write fails with StoreWriteError (got ${String(failure)})`);
      assert.match((failure as Error).message, /ENOSPC.*Every change it acknowledged is on disk.*Free disk space/s);
      assert.deepEqual(contentsOf(store), acknowledged, `capacity ${capacity}: memory holds no unacknowledged change`);
      assert.throws(() => tasks.set("later", { n: 1 }, "job-b"), StoreWriteError, "no change is accepted after a failed write");
      store.close();
      const reopened = openStore(copy);
      assert.deepEqual(contentsOf(reopened), acknowledged, `capacity ${capacity}: after a restart`);
      reopened.close();
      fs.rmSync(copy, { recursive: true });
    }
  });

  it("writes a batch in one write, and keeps nothing of a batch the disk had no room for", () => {
    const dir = tempDir("store-batch");
    let writes = 0;
    let disk = diskWithFreeBytes(Number.MAX_SAFE_INTEGER);
    const io = {
      write: (fd: number, buffer: Buffer, offset: number, length: number) => {
        writes++;
        return disk.write(fd, buffer, offset, length);
      },
    };
    const store = openStore(dir, { io });
    const tasks = store.collection<unknown>("tasks");
    writes = 0;
    store.batch(() => {
      for (let i = 0; i < 50; i++) tasks.set(`t${i}`, taskValue(i), "job-a");
    });
    assert.equal(writes, 1, "50 records, one write");
    const acknowledged = contentsOf(store);
    disk = diskWithFreeBytes(1000); // room for a few records of the next batch, not all
    assert.throws(
      () =>
        store.batch(() => {
          for (let i = 50; i < 100; i++) tasks.set(`t${i}`, taskValue(i), "job-a");
        }),
      StoreWriteError,
    );
    assert.throws(() => tasks.set("later", {}, "job-a"), StoreWriteError);
    store.close();
    const reopened = openStore(dir);
    assert.deepEqual(contentsOf(reopened), acknowledged, "the failed batch left nothing, the earlier one is whole");
    reopened.close();
  });

  it("ignores a snapshot.tmp torn at any byte (a compaction the crash interrupted)", () => {
    const { dir, acks } = journalWithAcks(6);
    const store = openStore(dir);
    store.tryCompact();
    store.collection("jobs").set("j1", { id: "j1" });
    store.close();
    const expected = clone(acks[acks.length - 1].contents);
    expected.jobs[""] = { j1: { id: "j1" } };
    const snapshot = fs.readFileSync(path.join(dir, "snapshot.json"));
    for (let cut = 0; cut <= snapshot.length; cut++) {
      const copy = copyDir(dir, "store-tmp");
      fs.writeFileSync(path.join(copy, "snapshot.json.tmp"), snapshot.subarray(0, cut));
      const reopened = openStore(copy);
      assert.deepEqual(contentsOf(reopened), expected, `snapshot.tmp cut at ${cut}`);
      assert.equal(fs.existsSync(path.join(copy, "snapshot.json.tmp")), false);
      reopened.close();
      fs.rmSync(copy, { recursive: true });
    }
  });
});
