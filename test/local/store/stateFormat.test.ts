// Why: issue 11 part 1: the store refuses (changing nothing, saying how to recover) what it cannot read without losing data.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { StateUnreadableError } from "../../../src/local/store/journalStore";
import { encodeRecord } from "../../../src/local/store/recordCodec";
import { tempDir } from "../../support/localService";
import { contentsOf, copyDir, openStore, taskValue } from "./storeHelpers";

function storeWithSnapshotAndJournal(): string {
  const dir = tempDir("store-format");
  const store = openStore(dir);
  for (let i = 0; i < 5; i++) store.collection("tasks").set(`t${i}`, taskValue(i), "job-a");
  store.tryCompact();
  for (let i = 5; i < 8; i++) store.collection("tasks").set(`t${i}`, taskValue(i), "job-b");
  store.close();
  return dir;
}

const filesOf = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name)).toString("base64")]));

function assertRefused(dir: string, pattern: RegExp): void {
  const before = filesOf(dir);
  assert.throws(
    () => openStore(dir),
    (error: unknown) => error instanceof StateUnreadableError && pattern.test(error.message),
  );
  assert.deepEqual(filesOf(dir), before, "a refused start changes no file");
}

describe("journal store: formats and damage", () => {
  it("refuses a journal or a snapshot written by a newer version, naming both versions and what to do", () => {
    for (const name of ["journal.jsonl", "snapshot.json"]) {
      const dir = storeWithSnapshotAndJournal();
      const file = path.join(dir, name);
      const lines = fs.readFileSync(file, "utf8").split("\n");
      const header = JSON.parse(lines[0].slice(9)) as { version: number };
      lines[0] = encodeRecord({ ...header, version: 3 })
        .toString("utf8")
        .trimEnd();
      fs.writeFileSync(file, lines.join("\n"));
      assertRefused(dir, /newer batch-manager \(state format version 3; this one reads up to 2\).*Run the newer batch-manager/s);
    }
  });

  it("refuses a journal damaged in the middle (intact records after the damage), naming the byte and the truncate command", () => {
    const dir = storeWithSnapshotAndJournal();
    const file = path.join(dir, "journal.jsonl");
    const bytes = fs.readFileSync(file);
    const secondRecord = bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1;
    bytes[secondRecord + 20] ^= 0x01; // one flipped bit in the second record
    fs.writeFileSync(file, bytes);
    assertRefused(dir, new RegExp(`damaged at byte ${secondRecord}: a record is damaged and intact records follow.*truncate -s ${secondRecord}`, "s"));
  });

  it("refuses a snapshot.json cut at any byte (it is only ever replaced whole, so a cut one is damage)", () => {
    const dir = storeWithSnapshotAndJournal();
    const snapshot = fs.readFileSync(path.join(dir, "snapshot.json"));
    for (let cut = 0; cut < snapshot.length; cut++) {
      const copy = copyDir(dir, "store-snap");
      fs.truncateSync(path.join(copy, "snapshot.json"), cut);
      assertRefused(copy, /snapshot\.json is (damaged|incomplete).*(state\/ away|truncate)/s);
      fs.rmSync(copy, { recursive: true });
    }
  });

  it("reads the format before checksums, salvaging the record the old version glued to a torn line, and converts it", () => {
    const dir = tempDir("store-legacy");
    const entry = (k: string, v?: unknown) => JSON.stringify({ c: "tasks", p: "job-a", k, ...(v === undefined ? {} : { v }) });
    fs.writeFileSync(path.join(dir, "snapshot.json"), JSON.stringify({ jobs: { "": [["j", { id: "j" }]] }, tasks: { "job-a": [["t0", { n: 0 }]] } }));
    // the case: a torn line, then two acknowledged records, the first glued to the torn bytes
    fs.writeFileSync(
      path.join(dir, "journal.jsonl"),
      `${entry("t1", { n: 1 })}\n${entry("t2", { n: 2 }).slice(0, 17)}${entry("t3", { n: 3 })}\n${entry("t4", { n: 4 })}\n`,
    );
    const store = openStore(dir);
    assert.deepEqual(contentsOf(store), { jobs: { "": { j: { id: "j" } } }, tasks: { "job-a": { t0: { n: 0 }, t1: { n: 1 }, t3: { n: 3 }, t4: { n: 4 } } } });
    store.close();
    assert.match(
      fs.readFileSync(path.join(dir, "snapshot.json"), "utf8"),
      /^[0-9a-f]{8} \{"format":"batch-manager-local-state","kind":"snapshot","version":2\}/,
    );
    const reopened = openStore(dir);
    assert.deepEqual(contentsOf(reopened).tasks, { "job-a": { t0: { n: 0 }, t1: { n: 1 }, t3: { n: 3 }, t4: { n: 4 } } });
    reopened.close();
  });
});
