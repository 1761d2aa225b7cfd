// Why: issue 11 part 1 with real processes: SIGKILL at every step of an append and of a compaction loses no acknowledged change.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../../support/localService";
import { openStore } from "./storeHelpers";

const DRIVER = path.join(__dirname, "storeDriver.js");
const COUNT = 24;

/** Runs the driver; returns how many records it acknowledged and how it ended. */
function drive(dir: string, prefix: string, crashAt?: string): { acked: number; signal: NodeJS.Signals | null; status: number | null } {
  const env = { ...process.env, BATCH_MANAGER_TEST_CRASH_AT: crashAt ?? "" };
  const result = spawnSync(process.execPath, [DRIVER, dir, prefix, String(COUNT), "5"], { env, encoding: "utf8", timeout: 30_000 });
  const acks = result.stdout.split("\n").filter((line) => line.startsWith("ack "));
  return { acked: acks.length, signal: result.signal, status: result.status };
}

/** What a reader must find after `acked` acknowledged writes of the driver (deletes included). */
function assertHasAcknowledged(dir: string, prefix: string, acked: number, label: string): void {
  const store = openStore(dir);
  const tasks = store.collection<{ n: number }>("tasks");
  for (let i = 0; i < acked; i++) {
    const deleted = i % 4 === 2 && i + 1 < acked;
    assert.equal(tasks.get(`${prefix}${i}`, "job-a")?.n, deleted ? undefined : i, `${label}: ${prefix}${i}`);
  }
  store.close();
}

const crashPoints = [
  "append:torn@1",
  "append:torn@9",
  "append:written@4",
  "compact:snapshot-torn@1",
  "compact:snapshot-written@1",
  "compact:snapshot-renamed@1",
  "compact:journal-written@1",
  "compact:journal-renamed@1",
  "compact:snapshot-torn@3",
  "compact:snapshot-renamed@2",
];

describe("journal store: SIGKILL at chosen points (real processes)", () => {
  for (const crashAt of crashPoints) {
    it(`keeps every acknowledged change when killed at ${crashAt}, and after the next run's changes`, () => {
      const dir = tempDir("store-crash");
      // a first clean run leaves a journal, so the next run's open folds it (a compaction at start) before appending
      const first = drive(dir, "a");
      assert.equal(first.status, 0);
      const crashed = drive(dir, "b", crashAt);
      assert.equal(crashed.signal, "SIGKILL", `${crashAt} was reached and killed the process`);
      assert.ok(crashed.acked < COUNT);
      assertHasAcknowledged(dir, "a", COUNT, `${crashAt}, first run`);
      assertHasAcknowledged(dir, "b", crashed.acked, `${crashAt}, crashed run`);
      const after = drive(dir, "c");
      assert.equal(after.status, 0);
      assertHasAcknowledged(dir, "b", crashed.acked, `${crashAt}, crashed run, after one more run`);
      assertHasAcknowledged(dir, "c", COUNT, `${crashAt}, the run after the crash`);
    });
  }
});
