// Why: a real process for the crash tests: writes numbered records to a store and prints "ack <key>" once each is durable.
import * as fs from "node:fs";
import { JournalStore } from "../../../src/local/store/journalStore";

const [directory, prefix, count, compactAfter] = process.argv.slice(2);
const store = new JournalStore(directory, { compactAfterEntries: Number(compactAfter) });
store.open();
const tasks = store.collection<{ n: number; pad: string }>("tasks");
for (let i = 0; i < Number(count); i++) {
  tasks.set(`${prefix}${i}`, { n: i, pad: "x".repeat(i * 7) }, "job-a");
  if (i % 4 === 3) tasks.delete(`${prefix}${i - 1}`, "job-a");
  fs.writeSync(1, `ack ${i}\n`);
}
store.close();
