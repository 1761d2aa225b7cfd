// Why: shared helpers of the store tests: a store over a temp folder, its contents as plain data, and folder copies.
import * as fs from "node:fs";
import * as path from "node:path";
import { JournalStore, type JournalStoreOptions } from "../../../src/local/store/journalStore";
import { tempDir } from "../../support/localService";

export type Contents = Record<string, Record<string, Record<string, unknown>>>;

export function openStore(directory: string, options: JournalStoreOptions = {}): JournalStore {
  const store = new JournalStore(directory, { compactAfterEntries: 1_000_000, ...options });
  store.open();
  return store;
}

/** Every record of the given collections as {collection: {partition: {key: value}}}. */
export function contentsOf(store: JournalStore, names: string[] = ["tasks", "jobs"]): Contents {
  const contents: Contents = {};
  for (const name of names) {
    const collection = store.collection<unknown>(name);
    contents[name] = {};
    for (const partition of ["", "job-a", "job-b"]) {
      const records = [...((collection as unknown as { partitions: Map<string, Map<string, unknown>> }).partitions.get(partition)?.entries() ?? [])];
      if (records.length > 0) contents[name][partition] = Object.fromEntries(records);
    }
  }
  return contents;
}

/** A record whose size varies, with a non-ASCII character so byte and character offsets differ. */
export const taskValue = (i: number) => ({ id: `t${i}`, state: i % 3 === 0 ? "completed" : "active", note: "é".repeat(i % 4), n: i });

export function copyDir(from: string, prefix: string): string {
  const to = tempDir(prefix);
  for (const name of fs.readdirSync(from)) fs.copyFileSync(path.join(from, name), path.join(to, name));
  return to;
}

/** A deep copy of the expected contents, to add what a test writes next. */
export const clone = (contents: Contents): Contents => JSON.parse(JSON.stringify(contents)) as Contents;
