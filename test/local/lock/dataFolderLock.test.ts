// Why: issue 11 part 2 at the unit level: the lock file's holder, stale locks (dead pid, reused pid, garbage) and release.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { describe, it } from "node:test";
import { acquireDataFolderLock, DataFolderLockedError, dataFolderLockHolder, lockFileIn } from "../../../src/core/localService/dataFolderLock";
import { tempDir } from "../../support/localService";

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const result = spawnSync("/bin/sh", ["-c", "echo $$"], { encoding: "utf8" });
  return Number(result.stdout.trim());
}

describe("data folder lock", () => {
  it("is exclusive while its holder lives, and free again once released", () => {
    const dir = tempDir("lock");
    const lock = acquireDataFolderLock(dir);
    assert.equal(fs.statSync(lockFileIn(dir)).mode & 0o777, 0o600);
    assert.equal(dataFolderLockHolder(dir)?.pid, process.pid);
    assert.throws(
      () => acquireDataFolderLock(dir),
      (error: unknown) => error instanceof DataFolderLockedError && error.holder.pid === process.pid,
    );
    lock.release();
    assert.equal(fs.existsSync(lockFileIn(dir)), false);
    acquireDataFolderLock(dir).release();
  });

  it("takes over a lock whose holder is dead, whose pid now belongs to another process, or that is not a lock", () => {
    for (const stale of [
      JSON.stringify({ pid: deadPid(), acquiredAt: "2020-01-01T00:00:00Z" }),
      JSON.stringify({ pid: process.ppid, processStart: "1", acquiredAt: "2020-01-01T00:00:00Z" }), // a live pid, another start time
      "garbage",
    ]) {
      const dir = tempDir("lock-stale");
      fs.writeFileSync(lockFileIn(dir), stale);
      assert.equal(dataFolderLockHolder(dir), undefined, `no live holder for ${stale}`);
      const lock = acquireDataFolderLock(dir);
      assert.equal(JSON.parse(fs.readFileSync(lockFileIn(dir), "utf8")).pid, process.pid, `taken over from ${stale}`);
      lock.release();
    }
  });

  it("release leaves a lock alone that another process took since", () => {
    const dir = tempDir("lock-release");
    const lock = acquireDataFolderLock(dir);
    const other = JSON.stringify({ pid: process.ppid, acquiredAt: new Date().toISOString() });
    fs.writeFileSync(lockFileIn(dir), other);
    lock.release();
    assert.equal(fs.readFileSync(lockFileIn(dir), "utf8"), other);
  });
});
