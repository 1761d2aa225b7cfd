// Why: the job-manager form's switch for which runtime processes wait for a debugger: a `--require` preload that opens the inspector only for selected roles/entry points.
import * as fs from "node:fs";
import * as path from "node:path";

/** The variable carrying the selection ("all" or a JSON list of entry-point names; JobManager and FinalizeTask name those roles). */
export const DEBUG_TASKS_VARIABLE = "BATCH_DEBUG_TASKS";

/**
 * Runs before the workload's main.js in every node process of the debug job. A selected process opens the inspector on a
 * free loopback port (Node prints `Debugger listening on ws://…` on stderr) and waits until the debugger lets it run,
 * so breakpoints bind before the first workload line; any other process runs at once.
 */
const PRELOAD = `"use strict";
(() => {
  const selection = process.env.${DEBUG_TASKS_VARIABLE};
  const main = process.argv[1] || "";
  if (!selection || !/main\\.js$/.test(main)) return;
  const role = process.argv[2];
  const name = role === "job-manager" ? "JobManager" : role === "finalize" ? "FinalizeTask" : role === "task" ? process.env.BATCH_TASK_ENTRY_POINT : undefined;
  if (!name) return;
  let wanted = selection === "all";
  if (!wanted) { try { wanted = JSON.parse(selection).includes(name); } catch { wanted = false; } }
  if (wanted) require("node:inspector").open(0, "127.0.0.1", true);
})();
`;

/** Writes the preload under the data folder (nodes run on this machine and read it from there); returns its path. */
export function writeTaskDebugPreload(dataDir: string): string {
  const file = path.join(dataDir, "debug", "task-debug-preload.js");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== PRELOAD) fs.writeFileSync(file, PRELOAD);
  return file;
}
